using System;

namespace HaloSync.Simulators.Common;

/// <summary>
/// The simulator's notion of now. Tests use a stopped clock and move it to expire tokens or age out rate-limit
/// windows without waiting; the sandbox uses a running one (real time plus whatever it was moved by), so that its
/// rate-limit windows and tokens age as HaloPSA's and Sherweb's do.
/// </summary>
public sealed class SimulatedClock
{
    private readonly object gate = new();
    private readonly bool running;
    private DateTimeOffset now;
    private TimeSpan offset;

    public SimulatedClock(DateTimeOffset? start = null)
    {
        now = start ?? DateTimeOffset.UtcNow;
    }

    private SimulatedClock(bool running) => this.running = running;

    /// <summary>A clock that follows real time; Advance and Set move it relative to real time.</summary>
    public static SimulatedClock Running() => new(running: true);

    public DateTimeOffset UtcNow
    {
        get { lock (gate) { return running ? DateTimeOffset.UtcNow + offset : now; } }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            offset += by;
            now += by;
        }
    }

    public void Set(DateTimeOffset value)
    {
        lock (gate)
        {
            offset = value - DateTimeOffset.UtcNow;
            now = value;
        }
    }
}
