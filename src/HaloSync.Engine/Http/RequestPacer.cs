using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Http;

/// <summary>
/// Client-side rolling-window limiter: at most <see cref="MaxRequests"/> requests in any <see cref="Window"/>.
/// Waiting here is cheaper than being answered 429 and backing off, because a rolling window on the
/// server only frees up as old requests age out of it.
/// A request counts in the window from the moment its answer arrived (until then it always counts): the server
/// counts it from when it received it, some time between sending and answering, so counting from the answer never
/// lets a request reach the server while the one it replaces in the window is still in the server's window.
/// </summary>
public sealed class RequestPacer
{
    /// <summary>How long to look again when every request of a full window is still waiting for its answer.</summary>
    private static readonly TimeSpan InFlightRecheck = TimeSpan.FromMilliseconds(250);

    private readonly List<Turn> turns = new();
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

    /// <summary>Requests that count in the window now: those in flight and those answered within the last <see cref="Window"/>.</summary>
    public int InWindow
    {
        get
        {
            lock (turns)
            {
                ForgetAgedOut(clock());
                return turns.Count;
            }
        }
    }

    /// <summary>
    /// Waits until one more request fits in the window and takes its place. Dispose the turn when the answer has
    /// arrived (or the request failed): from then on it ages out of the window.
    /// </summary>
    public async Task<Turn> WaitTurnAsync(CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan wait;
            lock (turns)
            {
                var now = clock();
                ForgetAgedOut(now);
                if (turns.Count < MaxRequests)
                {
                    var turn = new Turn(this, waited);
                    turns.Add(turn);
                    return turn;
                }

                var answered = turns.Where(t => t.AnsweredAt is not null).Select(t => t.AnsweredAt!.Value).ToList();
                wait = answered.Count == 0 ? InFlightRecheck : answered.Min() + Window - now;
            }

            await delay(wait, cancellationToken).ConfigureAwait(false);
            waited += wait;
        }
    }

    /// <summary>Drops the requests answered a whole window ago; a request still waiting for its answer always counts.</summary>
    private void ForgetAgedOut(DateTimeOffset now) => turns.RemoveAll(t => t.AnsweredAt + Window <= now);

    private void End(Turn turn)
    {
        lock (turns)
        {
            turn.AnsweredAt ??= clock();
        }
    }

    /// <summary>One request's place in the window.</summary>
    public sealed class Turn : IDisposable
    {
        private readonly RequestPacer pacer;

        internal Turn(RequestPacer pacer, TimeSpan waited)
        {
            this.pacer = pacer;
            Waited = waited;
        }

        /// <summary>How long the request waited for its place.</summary>
        public TimeSpan Waited { get; }

        internal DateTimeOffset? AnsweredAt { get; set; }

        public void Dispose() => pacer.End(this);
    }
}
