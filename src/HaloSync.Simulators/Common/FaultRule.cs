using System;

namespace HaloSync.Simulators.Common;

/// <summary>A fault applied to the next <see cref="Times"/> requests that match <see cref="PathContains"/> and <see cref="Method"/>.</summary>
public sealed class FaultRule
{
    public FaultKind Kind { get; set; }

    public int StatusCode { get; set; } = 500;

    public string? Body { get; set; }

    public string ContentType { get; set; } = "application/json";

    /// <summary>Sent verbatim as the Retry-After header (seconds or an HTTP date) when set.</summary>
    public string? RetryAfter { get; set; }

    public TimeSpan Delay { get; set; }

    /// <summary>Only requests whose path contains this (case-insensitive); null matches every path.</summary>
    public string? PathContains { get; set; }

    /// <summary>Only requests with this method; null matches every method.</summary>
    public string? Method { get; set; }

    public int Times { get; set; } = 1;

    /// <summary>
    /// Carry the request out first (the write happens), then lose its answer to the fault: a 5xx, a dropped
    /// connection, or an answer too late for the client's timeout. The case a client must never resend blind.
    /// </summary>
    public bool AfterHandling { get; set; }

    public static FaultRule Status(int statusCode, string? body = null, string? retryAfter = null, string? pathContains = null, int times = 1) =>
        new() { Kind = FaultKind.Status, StatusCode = statusCode, Body = body, RetryAfter = retryAfter, PathContains = pathContains, Times = times };

    public static FaultRule Slow(TimeSpan delay, string? pathContains = null, int times = 1) =>
        new() { Kind = FaultKind.SlowResponse, Delay = delay, PathContains = pathContains, Times = times };

    public static FaultRule Drop(string? pathContains = null, int times = 1) =>
        new() { Kind = FaultKind.DropConnection, PathContains = pathContains, Times = times };

    /// <summary>The next matching request is carried out, then answered by <paramref name="lostAs"/> instead of its real answer.</summary>
    public static FaultRule AnswerLost(FaultRule lostAs, string method, string pathContains)
    {
        lostAs.AfterHandling = true;
        lostAs.Method = method;
        lostAs.PathContains = pathContains;
        return lostAs;
    }

    internal bool Matches(string method, string path) =>
        (PathContains is null || path.IndexOf(PathContains, StringComparison.OrdinalIgnoreCase) >= 0)
        && (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase));
}
