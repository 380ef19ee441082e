using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Module.Tests.Support;

/// <summary>Both simulators on 127.0.0.1 for one test, and the credentials a user would pass.</summary>
public sealed class Simulators : IAsyncDisposable
{
    private Simulators(HaloPsaSimulator halo, SherwebSimulator sherweb)
    {
        Halo = halo;
        Sherweb = sherweb;
    }

    public HaloPsaSimulator Halo { get; }

    public SherwebSimulator Sherweb { get; }

    /// <param name="today">The simulated date both simulators start on (default: the real date).</param>
    public static async Task<Simulators> StartAsync(DateTime? today = null)
    {
        var start = today ?? DateTime.UtcNow.Date;
        var clock = new DateTimeOffset(start.AddHours(10), TimeSpan.Zero);
        var halo = await HaloPsaSimulator.StartAsync(new HaloPsaSimulatorOptions { ClockStart = clock });
        var sherweb = await SherwebSimulator.StartAsync(SherwebSampleData.Create(start), new global::HaloSync.Simulators.Common.SimulatorHostOptions { Clock = new global::HaloSync.Simulators.Common.SimulatedClock(clock) });
        return new(halo, sherweb);
    }

    public static PSCredential Credential(string user, string secret)
    {
        var password = new SecureString();
        foreach (var c in secret)
        {
            password.AppendChar(c);
        }

        return new PSCredential(user, password);
    }

    public static SecureString Secure(string value) => Credential("x", value).Password;

    /// <summary>Variables for scripts: $HaloSite, $HaloCredential, $SherwebUri, $SherwebCredential, $SubscriptionKey.</summary>
    public Dictionary<string, object?> Variables() => new()
    {
        ["HaloSite"] = Halo.BaseAddress.ToString(),
        ["HaloCredential"] = Credential(HaloPsaSimulator.DefaultClientId, HaloPsaSimulator.DefaultClientSecret),
        ["SherwebUri"] = Sherweb.BaseAddress.ToString(),
        ["SherwebCredential"] = Credential(SherwebSampleData.ClientId, SherwebSampleData.ClientSecret),
        ["SubscriptionKey"] = Secure(SherwebSampleData.SubscriptionKey),
    };

    public async ValueTask DisposeAsync()
    {
        await Halo.DisposeAsync();
        await Sherweb.DisposeAsync();
    }
}
