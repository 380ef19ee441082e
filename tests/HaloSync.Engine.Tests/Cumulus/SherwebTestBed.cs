using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Http;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

/// <summary>A Sherweb simulator on 127.0.0.1 seeded with the sample account, and clients wired to it with instant back-off.</summary>
public sealed class SherwebTestBed : IAsyncDisposable
{
    /// <summary>A Tuesday in the middle of a calendar-month billing period.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 17, 10, 0, 0, TimeSpan.Zero);

    private readonly List<CumulusClient> clients = new();

    private SherwebTestBed(SherwebSimulator simulator) => Simulator = simulator;

    public SherwebSimulator Simulator { get; }

    /// <summary>Every verbose line any client wrote.</summary>
    public ConcurrentQueue<string> Verbose { get; } = new();

    /// <summary>Every back-off or Retry-After wait a client asked for; none is really waited, the simulated clock jumps instead.</summary>
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public static async Task<SherwebTestBed> StartAsync(Func<SherwebSeed, SherwebSeed>? adjustSeed = null)
    {
        var seed = SherwebSampleData.Create(Start.UtcDateTime.Date);
        var simulator = await SherwebSimulator.StartAsync(adjustSeed is null ? seed : adjustSeed(seed),
            new SimulatorHostOptions { Clock = new SimulatedClock(Start) });
        return new SherwebTestBed(simulator);
    }

    public static CumulusCredentials SampleCredentials(string? clientId = null, string? secret = null, string? subscriptionKey = null) =>
        new(clientId ?? SherwebSampleData.ClientId, secret ?? SherwebSampleData.ClientSecret, subscriptionKey ?? SherwebSampleData.SubscriptionKey);

    public CumulusClient Client(CumulusCredentials? credentials = null, int maxAttempts = 4, TimeSpan? requestTimeout = null, string? apiBaseUri = null, string acceptLanguage = "en")
    {
        var client = new CumulusClient(credentials ?? SampleCredentials(), new CumulusClientOptions
        {
            ApiBaseUri = apiBaseUri ?? Simulator.BaseAddress.ToString(),
            AcceptLanguage = acceptLanguage,
            Clock = () => Simulator.Clock.UtcNow,
            Http = new ResilientHttpOptions
            {
                ServiceName = "Sherweb",
                MaxAttempts = maxAttempts,
                RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
                Delay = (wait, _) =>
                {
                    Waits.Enqueue(wait);
                    Simulator.Clock.Advance(wait);
                    return Task.CompletedTask;
                },
                Verbose = Verbose.Enqueue,
            },
        });
        clients.Add(client);
        return client;
    }

    /// <summary>A plain HTTP client on the simulator, for checking the wire behaviour itself.</summary>
    public HttpClient RawHttp() => new() { BaseAddress = Simulator.BaseAddress };

    public async Task<string> RawTokenAsync(string scope)
    {
        using var http = RawHttp();
        using var response = await http.PostAsync(SherwebSimulator.TokenPath, TokenForm(SherwebSampleData.ClientId, SherwebSampleData.ClientSecret, scope));
        var body = await response.Content.ReadAsStringAsync();
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public static FormUrlEncodedContent TokenForm(string clientId, string secret, string scope, string grantType = "client_credentials") =>
        new(new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        });

    /// <summary>Asserts that neither the sample secret nor the subscription key leaked into any text.</summary>
    public void AssertNoSecretIn(params string?[] texts)
    {
        foreach (var text in texts.Concat(Verbose))
        {
            Assert.DoesNotContain(SherwebSampleData.ClientSecret, text ?? string.Empty);
            Assert.DoesNotContain(SherwebSampleData.SubscriptionKey, text ?? string.Empty);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await Simulator.DisposeAsync();
    }
}
