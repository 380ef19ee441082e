using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Sync;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// A subscription's <c>item_id</c> is in Halo's 2025 API, not in the 2024 schema: a tenant at that level drops it. Its
/// absence there is no hand edit, while a tenant that keeps it still has a cleared link (item 0) set back.
/// </summary>
public sealed class LicenceItemLinkTests
{
    [Fact]
    public async Task On_a_tenant_that_does_not_keep_item_id_later_runs_write_nothing_and_report_no_hand_edit()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Options.LicencesKeepItemId = false;
        var first = await bed.SyncAsync(SyncTestBed.FirstSync);
        Assert.Equal(0, first.Failed);
        Assert.All(bed.Halo.Store.Licences, licence => Assert.Null(licence.ItemId));

        for (var day = 1; day <= 2; day++)
        {
            var date = SyncTestBed.FirstSync.AddDays(day);
            bed.Today(date);
            var writesBefore = bed.Writes();

            var later = await bed.SyncAsync(date);

            Assert.Equal(0, later.DriftReverted);
            Assert.Equal(writesBefore, bed.Writes());
        }

        Assert.DoesNotContain(bed.Log(), e => e.Kind == SyncEventKind.RevertDrift);
    }

    [Fact]
    public async Task On_a_tenant_that_keeps_item_id_a_link_cleared_by_hand_is_set_back()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var licence = bed.Licences(SherwebSampleData.ContosoBusinessPremium).Single();
        Assert.Equal(bed.PremiumItem, licence.ItemId);
        bed.Halo.Store.Seed(new System.Text.Json.Nodes.JsonObject
        {
            ["licences"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = licence.Id, ["item_id"] = 0 }),
        });
        var next = SyncTestBed.FirstSync.AddDays(1);
        bed.Today(next);

        var run = await bed.SyncAsync(next);

        Assert.Equal(1, run.DriftReverted);
        Assert.Equal(bed.PremiumItem, bed.Licences(SherwebSampleData.ContosoBusinessPremium).Single().ItemId);
        Assert.Contains(bed.Log(), e => e.Kind == SyncEventKind.RevertDrift && e.Detail!.Contains("subscription item 0 (should be " + bed.PremiumItem + ")"));
    }
}
