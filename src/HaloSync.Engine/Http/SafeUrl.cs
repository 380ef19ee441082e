using System;
using System.Linq;

namespace HaloSync.Engine.Http;

/// <summary>Describes a URL for logs and messages: path and query, with values of secret-looking parameters hidden.</summary>
public static class SafeUrl
{
    private static readonly string[] SensitiveNameParts = { "secret", "token", "password", "key", "code", "signature", "assertion" };

    public static string Describe(Uri? uri)
    {
        if (uri is null)
        {
            return "(no address)";
        }

        var path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString.Split('?')[0];
        var query = uri.IsAbsoluteUri ? uri.Query : (uri.OriginalString.Contains("?") ? uri.OriginalString.Substring(uri.OriginalString.IndexOf('?')) : string.Empty);
        if (query.Length <= 1)
        {
            return path;
        }

        var parts = query.Substring(1).Split('&').Select(RedactPair);
        return path + "?" + string.Join("&", parts);
    }

    private static string RedactPair(string pair)
    {
        var separator = pair.IndexOf('=');
        if (separator < 0)
        {
            return pair;
        }

        var name = Uri.UnescapeDataString(pair.Substring(0, separator));
        var sensitive = SensitiveNameParts.Any(part => name.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0);
        return sensitive ? pair.Substring(0, separator) + "=***" : pair;
    }
}
