using System;
using System.Collections.Generic;

namespace HaloSync.Simulators.Common;

/// <summary>At most <see cref="Limit"/> requests per key in any <see cref="Window"/>, measured on the simulated clock.</summary>
public sealed class RollingWindowRateLimiter
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> history = new(StringComparer.Ordinal);
    private readonly SimulatedClock clock;

    public RollingWindowRateLimiter(SimulatedClock clock, int limit = 300, TimeSpan? window = null)
    {
        this.clock = clock;
        Limit = limit;
        Window = window ?? TimeSpan.FromMinutes(5);
    }

    public int Limit { get; set; }

    public TimeSpan Window { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Counts one request for <paramref name="key"/> unless the window is full; then says when a slot frees up.</summary>
    public bool TryAcquire(string key, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!Enabled)
        {
            return true;
        }

        lock (history)
        {
            var now = clock.UtcNow;
            if (!history.TryGetValue(key, out var times))
            {
                times = new Queue<DateTimeOffset>();
                history[key] = times;
            }

            while (times.Count > 0 && times.Peek() + Window <= now)
            {
                times.Dequeue();
            }

            if (times.Count >= Limit)
            {
                retryAfter = times.Peek() + Window - now;
                return false;
            }

            times.Enqueue(now);
            return true;
        }
    }

    public void Reset()
    {
        lock (history) { history.Clear(); }
    }
}
