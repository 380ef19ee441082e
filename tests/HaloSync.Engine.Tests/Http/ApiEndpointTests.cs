using HaloSync.Engine.Http;

namespace HaloSync.Engine.Tests.Http;

public class ApiEndpointTests
{
    [Theory]
    [InlineData("contoso.halopsa.com", "https://contoso.halopsa.com/")]
    [InlineData("  https://contoso.halopsa.com  ", "https://contoso.halopsa.com/")]
    [InlineData("https://contoso.halopsa.com/sub?x=1#frag", "https://contoso.halopsa.com/sub/")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://127.8.9.10", "http://127.8.9.10/")]
    [InlineData("http://localhost:8080/", "http://localhost:8080/")]
    [InlineData("http://[::1]:8080", "http://[::1]:8080/")]
    public void Accepts_https_and_loopback_http(string site, string expected)
    {
        Assert.Equal(expected, ApiEndpoint.NormalizeBaseUri(site, "HaloPSA").ToString());
    }

    [Theory]
    [InlineData("http://contoso.halopsa.com")]
    [InlineData("http://10.0.0.5")]
    [InlineData("http://128.0.0.1")]
    public void Refuses_plain_http_to_other_hosts(string site)
    {
        var error = Assert.Throws<HaloSyncException>(() => ApiEndpoint.NormalizeBaseUri(site, "HaloPSA"));

        Assert.Equal("EndpointNotHttps", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("Use https://", error.Message);
    }

    [Theory]
    [InlineData("", "EndpointMissing")]
    [InlineData("https://", "EndpointInvalid")]
    [InlineData("ftp://contoso.halopsa.com", "EndpointInvalid")]
    public void Explains_unusable_addresses(string site, string errorId)
    {
        var error = Assert.Throws<HaloSyncException>(() => ApiEndpoint.NormalizeBaseUri(site, "HaloPSA"));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains("HaloPSA", error.Message);
    }
}
