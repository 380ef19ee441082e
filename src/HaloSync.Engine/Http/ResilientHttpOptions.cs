using System;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Http;

/// <summary>How <see cref="ResilientHttpTransport"/> retries, paces and reports. Every time source is injectable for tests.</summary>
public sealed class ResilientHttpOptions
{
    /// <summary>Name used in messages, e.g. "HaloPSA" or "Sherweb".</summary>
    public string ServiceName { get; set; } = "the API";

    /// <summary>Attempts per request, the first one included.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Back-off before the second attempt; doubles for each further attempt.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest back-off between two attempts when the server gives no Retry-After.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest Retry-After the transport will sit out; a longer one fails at once with a rate-limit error.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>
    /// How long one request may wait in total on 429 answers. Within it a 429 does not use up an attempt (a rate limit
    /// is a reason to wait, not a failure); beyond it the request fails and nothing more is sent until the wait is over.
    /// </summary>
    public TimeSpan RateLimitBudget { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time limit of one attempt.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How long a save that may be sent only if never sent (<see cref="RetrySafety.OnlyIfNotSent"/>) waits after it timed
    /// out or its connection dropped, before its caller reads its records back: a server still working on it has that
    /// long to finish, so the read-back finds what it saved rather than send it again.
    /// </summary>
    public TimeSpan LostWriteGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Waits between attempts and in the pacer. Tests pass one that returns at once.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    /// <summary>Now, for Retry-After given as an HTTP date.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Returns a number in [0, 1) used to spread back-off waits.</summary>
    public Func<double> Jitter { get; set; } = ThreadSafeRandom.NextDouble;

    /// <summary>Optional client-side rolling-window limiter shared by every request of one connection.</summary>
    public RequestPacer? Pacer { get; set; }

    /// <summary>Receives one line per attempt, wait and failure. Never carries headers, bodies, tokens or secrets.</summary>
    public Action<string>? Verbose { get; set; }
}
