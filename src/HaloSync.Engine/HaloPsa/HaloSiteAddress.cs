using System;
using HaloSync.Engine.Http;

namespace HaloSync.Engine.HaloPsa;

/// <summary>Works out the HaloPSA web address from what the user typed.</summary>
public static class HaloSiteAddress
{
    /// <summary>
    /// "contoso.halopsa.com", "https://contoso.halopsa.com/" and the Resource Server URL "https://contoso.halopsa.com/api"
    /// (which the Cumulus setup guide tells users to paste) all give "https://contoso.halopsa.com/".
    /// </summary>
    public static Uri Normalize(string site)
    {
        var uri = ApiEndpoint.NormalizeBaseUri(site, "HaloPSA");
        var path = uri.AbsolutePath.TrimEnd('/');
        foreach (var suffix in new[] { "/api", "/auth" })
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return new UriBuilder(uri) { Path = path.Substring(0, path.Length - suffix.Length) + "/" }.Uri;
            }
        }

        return uri;
    }
}
