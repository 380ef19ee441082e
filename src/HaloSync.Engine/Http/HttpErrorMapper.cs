using System;
using System.Globalization;
using System.Net;
using System.Net.Http;

namespace HaloSync.Engine.Http;

/// <summary>Turns an unsuccessful answer into a <see cref="HaloSyncException"/> whose message says what to do.</summary>
public static class HttpErrorMapper
{
    /// <param name="serviceName">"HaloPSA", "Sherweb"...</param>
    /// <param name="operation">What was being done, e.g. "reading items".</param>
    public static HaloSyncException ToException(string serviceName, string operation, HttpResponseMessage response, string? body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var serverSays = ApiErrorMessage.Extract(body);
        var detail = serverSays is null ? string.Empty : $" {serviceName} said: {serverSays}.";

        switch (response.StatusCode)
        {
            case HttpStatusCode.BadRequest:
                return new HaloSyncException("HttpBadRequest", HaloSyncErrorKind.InvalidData,
                    $"{serviceName} rejected the request while {operation} (400).{detail} Check the values involved; if they look right, report this with the sync log.");
            case HttpStatusCode.Unauthorized:
                return new HaloSyncException("HttpUnauthorized", HaloSyncErrorKind.Authentication,
                    $"{serviceName} refused the credentials while {operation} (401).{detail} Check the client id and secret and connect again.");
            case HttpStatusCode.Forbidden:
                return new HaloSyncException("HttpForbidden", HaloSyncErrorKind.PermissionDenied,
                    $"{serviceName} denied permission while {operation} (403).{detail} Give the API application the permission it needs and connect again.");
            case HttpStatusCode.NotFound:
                return new HaloSyncException("HttpNotFound", HaloSyncErrorKind.NotFound,
                    $"{serviceName} found nothing at {response.RequestMessage?.RequestUri?.AbsolutePath} while {operation} (404).{detail} Check the site address; the record may also have been deleted.");
            case (HttpStatusCode)429:
                var wait = RetryAfterParser.Parse(response, body, now);
                var when = wait is { } w ? $"about {Math.Ceiling(w.TotalSeconds).ToString(CultureInfo.InvariantCulture)} seconds" : "a few minutes";
                return new HaloSyncException("HttpRateLimited", HaloSyncErrorKind.RateLimited,
                    $"{serviceName}'s rate limit is exhausted while {operation} (429), even after waiting and retrying.{detail} Wait {when} and run again; other tools using the same {serviceName} account share this limit.");
        }

        if (status is >= 300 and < 400)
        {
            return new HaloSyncException("HttpRedirected", HaloSyncErrorKind.InvalidArgument,
                $"{serviceName} answered {status} while {operation}, sending the request on to {RedirectTarget(response)}. HaloSync does not follow " +
                $"redirects (the credentials would not go with them). If that is where {serviceName} is, connect with that address; otherwise check the address.");
        }

        if (status >= 500)
        {
            return new HaloSyncException("HttpServerError", HaloSyncErrorKind.ResourceUnavailable,
                $"{serviceName} failed while {operation} ({status}), even after retrying.{detail} It may be down or overloaded; try again later.");
        }

        return new HaloSyncException("HttpUnexpectedStatus", HaloSyncErrorKind.InvalidOperation,
            $"{serviceName} answered {status} while {operation}.{detail} Check the site address and try again.");
    }

    /// <summary>Where a redirect points, with the values of secret-looking query parameters hidden.</summary>
    private static string RedirectTarget(HttpResponseMessage response)
    {
        var location = response.Headers.Location;
        if (location is null)
        {
            return "an address it did not give";
        }

        if (!location.IsAbsoluteUri && response.RequestMessage?.RequestUri is { } requested)
        {
            location = new Uri(requested, location);
        }

        return location.IsAbsoluteUri ? location.GetLeftPart(UriPartial.Authority) + SafeUrl.Describe(location) : SafeUrl.Describe(location);
    }
}
