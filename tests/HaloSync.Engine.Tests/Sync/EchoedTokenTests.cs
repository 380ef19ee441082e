using System;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>An error answer that quotes the request's bearer token back: the token reaches neither the state file nor an error.</summary>
public sealed class EchoedTokenTests
{
    private static readonly DateTime Nov20 = new(2026, 11, 20);

    private static string StateFileText(SyncTestBed bed)
        => string.Concat(new[] { string.Empty, "-wal" }.Select(suffix => bed.StatePath + suffix).Where(System.IO.File.Exists)
            .Select(path => System.Text.Encoding.Latin1.GetString(System.IO.File.ReadAllBytes(path))));

    [Fact]
    public async Task A_HaloPSA_error_quoting_the_token_keeps_it_out_of_the_log_the_state_file_and_the_error()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var token = bed.Halo.Tokens.Issued.Last().Value;
        bed.Today(Nov20);
        bed.Sherweb.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 13, Nov20);
        bed.Halo.Faults.Enqueue(new FaultRule
        {
            Kind = FaultKind.Status, StatusCode = 400, Method = "POST", PathContains = "/api/SoftwareLicence", Times = 10,
            Body = "{\"Message\":\"Request rejected. Headers: Authorization: Bearer " + token + "\"}",
        });

        var run = await bed.SyncAsync(Nov20);

        Assert.True(run.Failed > 0);
        var failed = bed.Log().Where(e => e.Error is not null).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, e => Assert.Contains("Authorization: Bearer ***", e.Error));
        Assert.DoesNotContain(token, StateFileText(bed));
        Assert.DoesNotContain(bed.Failures, f => f.Error.Message.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Sherweb_error_quoting_the_token_keeps_it_out_of_the_state_file_and_the_error()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var token = bed.Sherweb.Tokens.Issued.Last().Value;
        bed.Sherweb.Faults.Enqueue(new FaultRule
        {
            Kind = FaultKind.Status, StatusCode = 400, PathContains = "customers", Times = 10,
            Body = "{\"detail\":\"Bad request; Authorization: Bearer " + token + "\"}",
        });

        var error = await Assert.ThrowsAnyAsync<HaloSyncException>(() => bed.SyncAsync(SyncTestBed.FirstSync));

        Assert.Contains("Bearer ***", error.Message);
        Assert.DoesNotContain(token, error.Message);
        Assert.DoesNotContain(token, StateFileText(bed));
    }
}
