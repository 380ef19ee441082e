using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HaloSync.Simulators.Common;

/// <summary>
/// Runs one simulator as an ASP.NET Core app on 127.0.0.1 (a free port by default) with the shared plumbing:
/// request log, per-request latency, fault injection and the common control routes under <see cref="ControlPrefix"/>
/// (GET index, GET/DELETE requests, GET/POST/DELETE faults, GET/POST clock, POST latency).
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private SimulatorHost(WebApplication app, SimulatorHostOptions options)
    {
        this.app = app;
        ControlPrefix = options.ControlPrefix.TrimEnd('/');
        Clock = options.Clock ?? new SimulatedClock();
    }

    public static JsonSerializerOptions ControlJson { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public Uri BaseAddress { get; private set; } = null!;

    public string ControlPrefix { get; }

    public SimulatedClock Clock { get; }

    public RequestLog Requests { get; } = new();

    public FaultInjector Faults { get; } = new();

    /// <summary>Added to every API request before it is handled.</summary>
    public TimeSpan Latency { get; set; }

    /// <param name="mapRoutes">Maps the simulator's own API and control routes.</param>
    public static async Task<SimulatorHost> StartAsync(Action<WebApplication, SimulatorHost> mapRoutes, SimulatorHostOptions? options = null)
    {
        options ??= new SimulatorHostOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var host = new SimulatorHost(app, options);

        app.Use(host.HandleCrossCuttingAsync);
        host.MapCommonControlRoutes(app.MapGroup(host.ControlPrefix));
        mapRoutes(app, host);

        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return host;
    }

    public bool IsControlPath(PathString path) => path.StartsWithSegments(ControlPrefix, StringComparison.OrdinalIgnoreCase);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleCrossCuttingAsync(HttpContext context, Func<Task> next)
    {
        if (IsControlPath(context.Request.Path))
        {
            await next().ConfigureAwait(false);
            return;
        }

        var entry = Requests.Add(Clock.UtcNow, context.Request.Method, context.Request.Path.Value ?? "/",
            context.Request.QueryString.Value ?? string.Empty, await ReadBodyAsync(context.Request).ConfigureAwait(false),
            context.Request.Headers.ContainsKey("Authorization"));
        try
        {
            if (Latency > TimeSpan.Zero)
            {
                await Task.Delay(Latency, context.RequestAborted).ConfigureAwait(false);
            }

            var fault = Faults.TryTake(context.Request.Method, context.Request.Path.Value ?? "/");
            if (fault is { AfterHandling: true })
            {
                await HandleThenLoseAnswerAsync(context, next, fault).ConfigureAwait(false);
            }
            else if (!await ApplyFaultAsync(context, fault).ConfigureAwait(false))
            {
                await next().ConfigureAwait(false);
            }
        }
        finally
        {
            entry.StatusCode = context.RequestAborted.IsCancellationRequested ? 0 : context.Response.StatusCode;
        }
    }

    /// <summary>The request is carried out (state changes), then its answer is replaced by the fault: a 5xx, a drop, or a late answer.</summary>
    private async Task HandleThenLoseAnswerAsync(HttpContext context, Func<Task> next, FaultRule fault)
    {
        var answer = context.Response.Body;
        using var carriedOut = new MemoryStream();
        context.Response.Body = carriedOut;
        try
        {
            await next().ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = answer;
        }

        if (fault.Kind == FaultKind.SlowResponse)
        {
            await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
            carriedOut.Position = 0;
            await carriedOut.CopyToAsync(answer).ConfigureAwait(false);
            return;
        }

        context.Response.Clear();
        await ApplyFaultAsync(context, fault).ConfigureAwait(false);
    }

    /// <returns>True when the fault answered (or dropped) the request.</returns>
    private static async Task<bool> ApplyFaultAsync(HttpContext context, FaultRule? fault)
    {
        switch (fault?.Kind)
        {
            case FaultKind.SlowResponse:
                await Task.Delay(fault.Delay, context.RequestAborted).ConfigureAwait(false);
                return false;
            case FaultKind.DropConnection:
                context.Abort();
                return true;
            case FaultKind.Status:
                context.Response.StatusCode = fault.StatusCode;
                if (fault.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = fault.RetryAfter;
                }

                if (fault.Body is not null)
                {
                    context.Response.ContentType = fault.ContentType;
                    await context.Response.WriteAsync(fault.Body).ConfigureAwait(false);
                }

                return true;
            default:
                return false;
        }
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        request.Body.Position = 0;
        return body;
    }

    private void MapCommonControlRoutes(RouteGroupBuilder control)
    {
        // The control surface's index: every control route of this simulator (common and its own), read from
        // the routing table so it never goes stale.
        control.MapGet("/", (EndpointDataSource endpoints) => Results.Json(new
        {
            baseAddress = BaseAddress.ToString(),
            control = ControlPrefix + "/",
            routes = endpoints.Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.RoutePattern.RawText is { } text && text.StartsWith(ControlPrefix, StringComparison.OrdinalIgnoreCase))
                .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? new[] { "*" })
                    .Select(method => method + " " + e.RoutePattern.RawText))
                .Distinct()
                .OrderBy(route => route.Substring(route.IndexOf(' ') + 1), StringComparer.Ordinal)
                .ThenBy(route => route, StringComparer.Ordinal)
                .ToArray(),
        }, ControlJson));
        control.MapGet("/requests", () => Results.Json(Requests.Snapshot(), ControlJson));
        control.MapDelete("/requests", () =>
        {
            Requests.Clear();
            return Results.NoContent();
        });
        control.MapGet("/faults", () => Results.Json(Faults.Pending, ControlJson));
        control.MapPost("/faults", async (HttpRequest request) =>
        {
            var rule = await JsonSerializer.DeserializeAsync<FaultRule>(request.Body, ControlJson).ConfigureAwait(false);
            if (rule is null)
            {
                return Results.BadRequest(new { error = "Send a fault rule as JSON." });
            }

            Faults.Enqueue(rule);
            return Results.Json(rule, ControlJson);
        });
        control.MapDelete("/faults", () =>
        {
            Faults.Clear();
            return Results.NoContent();
        });
        control.MapGet("/clock", () => Results.Json(new { utcNow = Clock.UtcNow }, ControlJson));
        control.MapPost("/clock", async (HttpRequest request) =>
        {
            var change = await JsonSerializer.DeserializeAsync<ClockChange>(request.Body, ControlJson).ConfigureAwait(false);
            if (change?.UtcNow is { } at)
            {
                Clock.Set(at);
            }

            if (change?.AdvanceSeconds is { } seconds)
            {
                Clock.Advance(TimeSpan.FromSeconds(seconds));
            }

            return Results.Json(new { utcNow = Clock.UtcNow }, ControlJson);
        });
        control.MapPost("/latency", async (HttpRequest request) =>
        {
            using var document = await JsonDocument.ParseAsync(request.Body).ConfigureAwait(false);
            Latency = TimeSpan.FromMilliseconds(document.RootElement.GetProperty("milliseconds").GetDouble());
            return Results.Json(new { milliseconds = Latency.TotalMilliseconds }, ControlJson);
        });
    }
}
