using System;

namespace HaloSync.Simulators.Common;

/// <summary>The simulator's notion of now. Tests move it to expire tokens or age out rate-limit windows without waiting.</summary>
public sealed class SimulatedClock
{
    private readonly object gate = new();
    private DateTimeOffset now;

    public SimulatedClock(DateTimeOffset? start = null)
    {
        now = start ?? DateTimeOffset.UtcNow;
    }

    public DateTimeOffset UtcNow
    {
        get { lock (gate) { return now; } }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate) { now += by; }
    }

    public void Set(DateTimeOffset value)
    {
        lock (gate) { now = value; }
    }
}
