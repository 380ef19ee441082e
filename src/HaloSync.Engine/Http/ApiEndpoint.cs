using System;
using System.Net;

namespace HaloSync.Engine.Http;

/// <summary>Turns what a user typed as a site into a base address that is safe to send credentials to.</summary>
public static class ApiEndpoint
{
    /// <summary>
    /// Accepts "contoso.halopsa.com", "https://contoso.halopsa.com/" or a loopback "http://127.0.0.1:5000".
    /// A site without a scheme is taken as https. Plain http is refused unless the host is loopback,
    /// because the client secret and bearer tokens would otherwise travel in clear text.
    /// </summary>
    public static Uri NormalizeBaseUri(string site, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(site))
        {
            throw new HaloSyncException("EndpointMissing", HaloSyncErrorKind.InvalidArgument,
                $"No {serviceName} address was given. Pass the site address, for example https://yourcompany.example.com.");
        }

        var text = site.Trim();
        if (text.IndexOf("://", StringComparison.Ordinal) < 0)
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new HaloSyncException("EndpointInvalid", HaloSyncErrorKind.InvalidArgument,
                $"'{site.Trim()}' is not a valid {serviceName} address. Pass it as https://host, for example https://yourcompany.example.com.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            throw new HaloSyncException("EndpointNotHttps", HaloSyncErrorKind.InvalidArgument,
                $"The {serviceName} address '{uri.GetLeftPart(UriPartial.Authority)}' uses plain http. Use https:// (plain http is only allowed for 127.0.0.1, ::1 and localhost).");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new HaloSyncException("EndpointInvalid", HaloSyncErrorKind.InvalidArgument,
                $"The {serviceName} address must start with https:// (got '{uri.Scheme}://').");
        }

        var builder = new UriBuilder(uri) { Query = string.Empty, Fragment = string.Empty, UserName = string.Empty, Password = string.Empty };
        if (!builder.Path.EndsWith("/", StringComparison.Ordinal))
        {
            builder.Path += "/";
        }

        return builder.Uri;
    }

    public static bool IsLoopback(Uri uri)
    {
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
