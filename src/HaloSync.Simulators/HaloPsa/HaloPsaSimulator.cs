using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Simulators.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>
/// A stateful HaloPSA on 127.0.0.1 for tests and the sandbox. Drive it in-process through this class
/// (seed, state, requests, faults, clock, applications) or over HTTP under /_sim/.
/// </summary>
public sealed class HaloPsaSimulator : IAsyncDisposable
{
    public const string DefaultClientId = "halosync-sim-client";
    public const string DefaultClientSecret = "halosync-sim-secret";

    private readonly ConcurrentDictionary<string, HaloApiApplication> applications = new(StringComparer.Ordinal);

    private HaloPsaSimulator(HaloPsaSimulatorOptions options, SimulatedClock clock)
    {
        Options = options;
        Clock = clock;
        Store = new HaloPsaStore(clock);
        Tokens = new TokenIssuer(clock) { Lifetime = options.TokenLifetime };
        RateLimiter = new RollingWindowRateLimiter(clock, options.RateLimit, options.RateWindow);
        AddApplication(DefaultClientId, DefaultClientSecret, HaloPermissions.HaloSyncSet.ToArray());
    }

    public HaloPsaSimulatorOptions Options { get; }

    public SimulatorHost Host { get; private set; } = null!;

    public Uri BaseAddress => Host.BaseAddress;

    public SimulatedClock Clock { get; }

    public HaloPsaStore Store { get; }

    public TokenIssuer Tokens { get; }

    public RollingWindowRateLimiter RateLimiter { get; }

    public RequestLog Requests => Host.Requests;

    public FaultInjector Faults => Host.Faults;

    public IReadOnlyCollection<HaloApiApplication> Applications => applications.Values.ToList();

    public static async Task<HaloPsaSimulator> StartAsync(HaloPsaSimulatorOptions? options = null, string url = "http://127.0.0.1:0")
    {
        options ??= new HaloPsaSimulatorOptions();
        var simulator = new HaloPsaSimulator(options, options.RealTimeClock ? SimulatedClock.Running() : new SimulatedClock(options.ClockStart));
        simulator.Host = await SimulatorHost.StartAsync(
            (app, host) =>
            {
                new HaloPsaApi(simulator).Map(app);
                new HaloPsaControlRoutes(simulator).Map(app.MapGroup(host.ControlPrefix));
            },
            new SimulatorHostOptions { Url = url, Clock = simulator.Clock }).ConfigureAwait(false);
        return simulator;
    }

    /// <summary>Adds or replaces an API application with exactly these permissions (e.g. "read:items", or "all").</summary>
    public HaloApiApplication AddApplication(string clientId, string clientSecret, params string[] permissions) =>
        AddApplication(new HaloApiApplication(clientId, clientSecret, permissions));

    public HaloApiApplication AddApplication(HaloApiApplication application)
    {
        applications[application.ClientId] = application;
        return application;
    }

    public HaloApiApplication Application(string clientId) =>
        applications.TryGetValue(clientId, out var application) ? application : throw new ArgumentException($"No application {clientId}.", nameof(clientId));

    /// <summary>Takes one permission away from an application, e.g. RevokePermission(DefaultClientId, "edit:invoices").</summary>
    public void RevokePermission(string clientId, string permission)
    {
        lock (Application(clientId).Permissions)
        {
            Application(clientId).Permissions.Remove(permission);
        }
    }

    internal HaloApiApplication? FindApplication(string clientId) => applications.TryGetValue(clientId, out var application) ? application : null;

    public void ApplySettings(HaloPsaSettingsChange change)
    {
        if (change.RateLimit is { } limit)
        {
            RateLimiter.Limit = Options.RateLimit = limit;
        }

        if (change.RateWindowSeconds is { } window)
        {
            RateLimiter.Window = Options.RateWindow = TimeSpan.FromSeconds(window);
        }

        if (change.SendRetryAfterOnRateLimit is { } retryAfter)
        {
            Options.SendRetryAfterOnRateLimit = retryAfter;
        }

        if (change.ExpiredTokenAnswers400 is { } quirk)
        {
            Options.ExpiredTokenAnswers400 = quirk;
        }

        if (change.DefaultMaxPageSize is { } pageSize)
        {
            Options.DefaultMaxPageSize = pageSize;
        }

        foreach (var (resource, size) in change.MaxPageSizes ?? new Dictionary<string, int>())
        {
            Options.MaxPageSizes[resource] = size;
        }

        if (change.TokenLifetimeSeconds is { } lifetime)
        {
            Tokens.Lifetime = Options.TokenLifetime = TimeSpan.FromSeconds(lifetime);
        }

        if (change.LicencesKeepItemId is { } keep)
        {
            Options.LicencesKeepItemId = keep;
        }

        if (change.ListsAsBareArrays is { } bare)
        {
            Options.ListsAsBareArrays = bare;
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
