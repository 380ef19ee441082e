using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HaloSync.Engine.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HaloSync.Engine.Tests.Http;

public sealed class ApiHttpHandlerTests
{
    [Fact]
    public async Task A_redirect_is_answered_not_followed_and_no_cookie_is_sent_back()
    {
        var cookiesSeen = new ConcurrentQueue<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapGet("/moved", (HttpContext context) =>
        {
            cookiesSeen.Enqueue(context.Request.Headers.Cookie.ToString());
            context.Response.Headers.SetCookie = "ARRAffinity=abc; Path=/";
            return Results.Redirect("/elsewhere");
        });
        app.MapGet("/elsewhere", () => "followed");
        await app.StartAsync();
        var address = new Uri(app.Urls.Single());

        using var client = new HttpClient(ApiHttpHandler.Create());
        using var first = await client.GetAsync(new Uri(address, "/moved"));
        using var second = await client.GetAsync(new Uri(address, "/moved"));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(new[] { string.Empty, string.Empty }, cookiesSeen.ToArray());
        await app.StopAsync();
    }
}
