using System;
using System.Net;
using System.Net.Http;
using HaloSync.Engine.Http;

namespace HaloSync.Engine.Tests.Http;

public sealed class HttpErrorMapperTests
{
    [Theory]
    [InlineData(HttpStatusCode.MovedPermanently, "https://contoso.halopsa.com/api/Item?count=1", "https://contoso.halopsa.com/api/Item?count=1")]
    [InlineData(HttpStatusCode.Found, "/login?returnUrl=%2Fapi", "https://halo.contoso.com/login?returnUrl=%2Fapi")]
    [InlineData(HttpStatusCode.TemporaryRedirect, "https://sso.contoso.com/authorize?client_secret=s3cret&state=1", "https://sso.contoso.com/authorize?client_secret=***&state=1")]
    public void A_redirect_names_where_it_points_with_secrets_hidden(HttpStatusCode status, string location, string expectedTarget)
    {
        using var response = new HttpResponseMessage(status)
        {
            RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://halo.contoso.com/api/Item?count=1"),
        };
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);

        var error = HttpErrorMapper.ToException("HaloPSA", "reading items", response, body: null, DateTimeOffset.UtcNow);

        Assert.Equal("HttpRedirected", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.InvalidArgument, error.Kind);
        Assert.Contains($"HaloPSA answered {(int)status} while reading items, sending the request on to {expectedTarget}.", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void A_redirect_without_a_location_says_so()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Redirect);

        var error = HttpErrorMapper.ToException("Sherweb", "reading customers", response, body: null, DateTimeOffset.UtcNow);

        Assert.Equal("HttpRedirected", error.ErrorId);
        Assert.Contains("sending the request on to an address it did not give", error.Message);
    }
}
