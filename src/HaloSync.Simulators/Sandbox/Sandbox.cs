using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Simulators.Sandbox;

/// <summary>Both simulators with the demo data set, and the connection values a user or a script needs.</summary>
public sealed class Sandbox : IAsyncDisposable
{
    private Sandbox(HaloPsaSimulator halo, SherwebSimulator sherweb)
    {
        Halo = halo;
        Sherweb = sherweb;
    }

    public HaloPsaSimulator Halo { get; }

    public SherwebSimulator Sherweb { get; }

    /// <param name="haloPort">0 picks a free port.</param>
    /// <param name="scale">A benchmark account instead of the demo data set.</param>
    /// <param name="haloOptions">The HaloPSA simulator's settings (rate limit...); defaults when null. Both simulators' clocks follow real time.</param>
    public static async Task<Sandbox> StartAsync(DateTime today, int haloPort = 0, int sherwebPort = 0, ScaleDataSet? scale = null,
        HaloPsaSimulatorOptions? haloOptions = null)
    {
        haloOptions ??= new HaloPsaSimulatorOptions();
        haloOptions.RealTimeClock = true;
        var halo = await HaloPsaSimulator.StartAsync(haloOptions, $"http://127.0.0.1:{haloPort}").ConfigureAwait(false);
        try
        {
            if (scale is null)
            {
                DemoDataSet.SeedHalo(halo.Store);
            }
            else
            {
                scale.SeedHalo(halo.Store);
            }

            var sherweb = await SherwebSimulator.StartAsync(scale?.SherwebSeed(today) ?? DemoDataSet.SherwebSeed(today),
                new SimulatorHostOptions { Url = $"http://127.0.0.1:{sherwebPort}", Clock = SimulatedClock.Running() }).ConfigureAwait(false);
            return new Sandbox(halo, sherweb);
        }
        catch
        {
            // The Sherweb port is taken, say: do not leave the HaloPSA simulator listening.
            await halo.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The HALOSYNC_SANDBOX_* variables examples/main-job.ps1 reads. The values only work against this sandbox.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => new Dictionary<string, string>
    {
        ["HALOSYNC_SANDBOX_HALO_SITE"] = Halo.BaseAddress.ToString(),
        ["HALOSYNC_SANDBOX_HALO_CLIENT_ID"] = HaloPsaSimulator.DefaultClientId,
        ["HALOSYNC_SANDBOX_HALO_CLIENT_SECRET"] = HaloPsaSimulator.DefaultClientSecret,
        ["HALOSYNC_SANDBOX_SHERWEB_URI"] = Sherweb.BaseAddress.ToString(),
        ["HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID"] = DemoDataSet.SherwebClientId,
        ["HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET"] = DemoDataSet.SherwebClientSecret,
        ["HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY"] = DemoDataSet.SherwebSubscriptionKey,
    };

    public async ValueTask DisposeAsync()
    {
        await Halo.DisposeAsync().ConfigureAwait(false);
        await Sherweb.DisposeAsync().ConfigureAwait(false);
    }
}
