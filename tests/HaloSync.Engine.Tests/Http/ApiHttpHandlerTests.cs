using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HaloSync.Engine.Http;
using HaloSync.Simulators.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HaloSync.Engine.Tests.Http;

public sealed class ApiHttpHandlerTests
{
    [Fact]
    public async Task A_redirect_is_answered_not_followed_and_no_cookie_is_sent_back()
    {
        var cookiesSeen = new ConcurrentQueue<string>();
        await using var site = await SimulatorHost.StartAsync((app, _) =>
        {
            app.MapGet("/moved", (HttpContext context) =>
            {
                cookiesSeen.Enqueue(context.Request.Headers.Cookie.ToString());
                context.Response.Headers.SetCookie = "ARRAffinity=abc; Path=/";
                return Results.Redirect("/elsewhere");
            });
            app.MapGet("/elsewhere", () => "followed");
        });

        using var client = new HttpClient(ApiHttpHandler.Create());
        using var first = await client.GetAsync(new Uri(site.BaseAddress, "moved"));
        using var second = await client.GetAsync(new Uri(site.BaseAddress, "moved"));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(new[] { string.Empty, string.Empty }, cookiesSeen.ToArray());
    }

    [Fact]
    public void Clients_allow_the_concurrent_reads_and_do_not_ask_for_100_continue()
    {
        // Both matter on .NET Framework (Windows PowerShell 5.1): 2 connections per host and Expect: 100-continue on every POST otherwise.
        using var client = ApiHttpHandler.CreateClient(handler: null, disposeHandler: true);
        using var handler = ApiHttpHandler.Create();

        Assert.Equal(32, handler.MaxConnectionsPerServer);
        Assert.True(ApiHttpHandler.MaxConnectionsPerServer >= 2 * HaloSync.Engine.Sync.CumulusSubscriptionReader.DefaultConcurrency);
        Assert.False(client.DefaultRequestHeaders.ExpectContinue);
        Assert.Equal(System.Threading.Timeout.InfiniteTimeSpan, client.Timeout);
    }

    [Theory]
    [InlineData((SecurityProtocolType)48 /* SSL 3 */ | SecurityProtocolType.Tls, (SecurityProtocolType)48 | SecurityProtocolType.Tls | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls12, SecurityProtocolType.Tls12)]
    [InlineData((SecurityProtocolType)12288 /* TLS 1.3 */, (SecurityProtocolType)12288 | SecurityProtocolType.Tls12)]
    [InlineData((SecurityProtocolType)0 /* system default */, (SecurityProtocolType)0)]
    public void TLS_12_is_added_to_what_NET_Framework_offers_unless_the_system_decides(SecurityProtocolType current, SecurityProtocolType expected)
        => Assert.Equal(expected, ApiHttpHandler.WithTls12(current));
}
