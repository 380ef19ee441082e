using System;
using System.Globalization;
using System.Net.Http;
using System.Text.RegularExpressions;

namespace HaloSync.Engine.Http;

/// <summary>Reads how long a server asked us to wait: the Retry-After header (seconds or HTTP date) or a body saying "Try again in N seconds".</summary>
public static class RetryAfterParser
{
    private static readonly Regex TryAgainInSeconds = new(@"try again in\s+(\d+(?:\.\d+)?)\s*sec", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static TimeSpan? Parse(HttpResponseMessage response, string? body, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return ParseBody(body);
    }

    public static TimeSpan? ParseBody(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return null;
        }

        var match = TryAgainInSeconds.Match(body);
        return match.Success
            ? TimeSpan.FromSeconds(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            : null;
    }
}
