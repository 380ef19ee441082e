using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Http;

/// <summary>
/// Client-side rolling-window limiter: at most <see cref="MaxRequests"/> sends in any <see cref="Window"/>.
/// Waiting here is cheaper than being answered 429 and backing off, because a rolling window on the
/// server only frees up as old requests age out of it.
/// </summary>
public sealed class RequestPacer
{
    private readonly Queue<DateTimeOffset> sendTimes = new();
    private readonly Func<DateTimeOffset> clock;
    private readonly Func<TimeSpan, CancellationToken, Task> delay;

    public RequestPacer(int maxRequests = 300, TimeSpan? window = null, Func<DateTimeOffset>? clock = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        if (maxRequests < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRequests), "The pacer must allow at least one request per window.");
        }

        MaxRequests = maxRequests;
        Window = window ?? TimeSpan.FromSeconds(300);
        this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        this.delay = delay ?? Task.Delay;
    }

    public int MaxRequests { get; }

    public TimeSpan Window { get; }

    /// <summary>Waits until one more request fits in the window, then counts it. Returns how long it waited.</summary>
    public async Task<TimeSpan> WaitTurnAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan wait;
            lock (sendTimes)
            {
                var now = clock();
                while (sendTimes.Count > 0 && sendTimes.Peek() + Window <= now)
                {
                    sendTimes.Dequeue();
                }

                if (sendTimes.Count < MaxRequests)
                {
                    sendTimes.Enqueue(now);
                    return waited;
                }

                wait = sendTimes.Peek() + Window - now;
            }

            await delay(wait, cancellationToken).ConfigureAwait(false);
            waited += wait;
        }
    }
}
