using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.TestSupport;

/// <summary>
/// A HaloPSA simulator on 127.0.0.1 plus client options whose waits return at once and move both the client's
/// and the simulator's clocks, so back-off and pacing are observable without sleeping.
/// </summary>
public sealed class HaloTestBed : IAsyncDisposable
{
    private HaloTestBed(HaloPsaSimulator simulator)
    {
        Simulator = simulator;
        Delay = new RecordingDelay(Clock.Advance, simulator.Clock.Advance);
    }

    public HaloPsaSimulator Simulator { get; }

    public ManualClock Clock { get; } = new();

    public RecordingDelay Delay { get; }

    public VerboseLog Verbose { get; } = new();

    public string Site => Simulator.BaseAddress.ToString();

    public static async Task<HaloTestBed> StartAsync(Action<HaloPsaSimulatorOptions>? configure = null)
    {
        var options = new HaloPsaSimulatorOptions();
        configure?.Invoke(options);
        return new HaloTestBed(await HaloPsaSimulator.StartAsync(options));
    }

    public HaloPsaCredentials Credentials(string? site = null, string? secret = null, string? tenant = null, string scope = "all") =>
        new(site ?? Site, HaloPsaSimulator.DefaultClientId, secret ?? HaloPsaSimulator.DefaultClientSecret, tenant, scope);

    public HaloPsaClientOptions Options(Action<HaloPsaClientOptions>? configure = null, HttpMessageHandler? handler = null)
    {
        var options = new HaloPsaClientOptions
        {
            Clock = () => Clock.Now,
            Delay = Delay.Delay,
            Jitter = () => 0.5,
            Verbose = Verbose.Write,
            RequestTimeout = TimeSpan.FromSeconds(10),
            MessageHandler = handler,
        };
        configure?.Invoke(options);
        return options;
    }

    public Task<HaloPsaClient> ConnectAsync(Action<HaloPsaClientOptions>? configure = null, HaloPsaCredentials? credentials = null, HttpMessageHandler? handler = null) =>
        HaloPsaClient.ConnectAsync(credentials ?? Credentials(), Options(configure, handler), CancellationToken.None);

    public ValueTask DisposeAsync() => Simulator.DisposeAsync();
}
