using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;

namespace HaloSync.Engine.Http;

/// <summary>The handler both API clients send through: no cookie jar and no redirect following, since neither API
/// uses them (a redirect would also drop the bearer token), and every request costs less without them.</summary>
internal static class ApiHttpHandler
{
    /// <summary>
    /// Connections per host. .NET Framework (Windows PowerShell 5.1) otherwise allows 2, which would queue the 16
    /// organizations read from Sherweb at a time behind each other; .NET's own default is unlimited.
    /// </summary>
    public const int MaxConnectionsPerServer = 32;

    public static HttpClientHandler Create()
    {
        if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", System.StringComparison.Ordinal))
        {
            ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
        }

        return new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = MaxConnectionsPerServer,
        };
    }

    /// <summary>
    /// The HTTP client of an API client: through <paramref name="handler"/> when given (tests, simulators), otherwise
    /// through <see cref="Create"/>. No client-wide timeout (each request has its own) and no "Expect: 100-continue",
    /// which .NET Framework would otherwise send with every POST, waiting up to 350 ms for an interim answer.
    /// </summary>
    public static HttpClient CreateClient(HttpMessageHandler? handler, bool disposeHandler)
    {
        var client = new HttpClient(handler ?? Create(), disposeHandler: handler is null || disposeHandler)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.ExpectContinue = false;
        return client;
    }

    /// <summary>
    /// The protocols .NET Framework's HttpClient may use, with TLS 1.2 added: HaloPSA and Sherweb refuse older ones,
    /// and Windows PowerShell 5.1 often offers only SSL 3 and TLS 1.0 unless the machine's registry says otherwise.
    /// "System default" (0, the operating system decides) is left alone, as is every protocol the host enabled.
    /// </summary>
    public static SecurityProtocolType WithTls12(SecurityProtocolType current)
        => current == 0 ? current : current | SecurityProtocolType.Tls12;
}
