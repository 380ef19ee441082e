using System;

namespace HaloSync.Engine.Tests.TestSupport;

/// <summary>A clock tests move by hand.</summary>
public sealed class ManualClock
{
    private readonly object gate = new();
    private DateTimeOffset now;

    public ManualClock(DateTimeOffset? start = null)
    {
        now = start ?? new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    }

    public DateTimeOffset Now
    {
        get { lock (gate) { return now; } }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate) { now += by; }
    }
}
