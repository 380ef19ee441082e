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
}
