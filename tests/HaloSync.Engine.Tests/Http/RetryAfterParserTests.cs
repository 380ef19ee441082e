using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using HaloSync.Engine.Http;

namespace HaloSync.Engine.Tests.Http;

public class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Reads_seconds_from_the_header()
    {
        using var response = new HttpResponseMessage((HttpStatusCode)429);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(12));

        Assert.Equal(TimeSpan.FromSeconds(12), RetryAfterParser.Parse(response, body: null, Now));
    }

    [Fact]
    public void Reads_an_http_date_from_the_header()
    {
        using var response = new HttpResponseMessage((HttpStatusCode)429);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfterParser.Parse(response, body: null, Now));
    }

    [Fact]
    public void A_date_in_the_past_means_no_wait()
    {
        using var response = new HttpResponseMessage((HttpStatusCode)429);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(-30));

        Assert.Equal(TimeSpan.Zero, RetryAfterParser.Parse(response, body: null, Now));
    }

    [Theory]
    [InlineData("{\"message\":\"Rate limit is exceeded. Try again in 7 seconds.\"}", 7)]
    [InlineData("try again in 1 second", 1)]
    public void Reads_try_again_in_seconds_from_the_body(string body, int seconds)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)429);

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterParser.Parse(response, body, Now));
    }

    [Fact]
    public void Gives_nothing_when_the_server_does_not_say()
    {
        using var response = new HttpResponseMessage((HttpStatusCode)429);

        Assert.Null(RetryAfterParser.Parse(response, "{\"error\":\"Rate Limit Reached - 300 Requests per rolling 5 minute window\"}", Now));
    }
}
