using System.Globalization;
using System.Text.Json;
using HaloSync.Simulators.Common;

namespace HaloSync.Simulators.Cumulus;

/// <summary>Ready-made faults in the shapes Sherweb's gateway and APIs use; enqueue them on <see cref="SherwebSimulator.Faults"/>.</summary>
public static class SherwebFaults
{
    public static GatewayErrorResponse RateLimitBody(int seconds) =>
        new(429, $"Rate limit is exceeded. Try again in {seconds.ToString(CultureInfo.InvariantCulture)} seconds.");

    /// <summary>A gateway 429 saying "Try again in N seconds", with or without a Retry-After header.</summary>
    public static FaultRule RateLimited(int seconds, bool withRetryAfterHeader, string? pathContains = null, int times = 1) =>
        FaultRule.Status(429, JsonSerializer.Serialize(RateLimitBody(seconds), SimulatorHost.ControlJson),
            withRetryAfterHeader ? seconds.ToString(CultureInfo.InvariantCulture) : null, pathContains, times);

    /// <summary>A ProblemDetails server error (500, 503...).</summary>
    public static FaultRule ServerError(int statusCode = 500, string? pathContains = null, int times = 1) =>
        FaultRule.Status(statusCode, JsonSerializer.Serialize(
            new ProblemDetailsResponse($"https://httpstatuses.io/{statusCode}", "Server error", statusCode, "The service is temporarily unavailable.", string.Empty,
                new System.Collections.Generic.Dictionary<string, object>()), SimulatorHost.ControlJson), null, pathContains, times);
}
