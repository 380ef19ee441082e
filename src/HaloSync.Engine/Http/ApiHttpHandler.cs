using System.Net.Http;

namespace HaloSync.Engine.Http;

/// <summary>The handler both API clients send through: no cookie jar and no redirect following, since neither API
/// uses them (a redirect would also drop the bearer token), and every request costs less without them.</summary>
internal static class ApiHttpHandler
{
    public static HttpClientHandler Create() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
    };
}
