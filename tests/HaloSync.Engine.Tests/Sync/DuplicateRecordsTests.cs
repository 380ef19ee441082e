using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// What HaloPSA holds twice of HaloSync's (a lost answer carried out late, a record copied by hand) bills twice until
/// someone ends it, and HaloSync's invoice disabled by hand bills nothing: each run names them, and writes nothing more for them.
/// </summary>
public sealed class DuplicateRecordsTests
{
    private static readonly DateTime Nov17 = new(2026, 11, 17);
    private static readonly string PremiumKey = "sub-" + SherwebSampleData.ContosoBusinessPremium.ToString("D");

    [Fact]
    public async Task A_second_HaloSync_invoice_a_key_on_two_subscriptions_and_on_two_lines_are_each_warned_of()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var first = await bed.SyncAsync(SyncTestBed.FirstSync);
        Assert.DoesNotContain(first.Warnings, w => w.Contains("HaloSync's key", StringComparison.Ordinal) || w.Contains("HaloSync recurring invoices", StringComparison.Ordinal));
        var kept = bed.Invoices(bed.ContosoClient).Single();
        var keptLine = bed.Lines(bed.ContosoClient, SherwebSampleData.ContosoBusinessPremium).Single();
        var keptLicence = bed.Licences(SherwebSampleData.ContosoBusinessPremium).Single();
        var copy = bed.Halo.Store.AddRecurringInvoice(new SimRecurringInvoice
        {
            ClientId = bed.ContosoClient, Reference = "HaloSync", IsRecurringInvoice = true, Period = 2, Nextcreationdate = kept.Nextcreationdate,
            Lines = new() { new SimInvoiceLine { ItemId = bed.PremiumItem, ItemShortdescription = keptLine.ItemShortdescription, ItemLongdescription = keptLine.ItemLongdescription, QtyOrder = 10, UnitPrice = 30.00m } },
        });
        var copiedLicence = bed.Halo.Store.AddLicence(new SimLicence
        {
            Type = 1, ClientId = bed.ContosoClient, Name = keptLicence.Name, Count = 10, Price = 30.00m, Status = "Active", IsActive = true, Snowid = keptLicence.Snowid,
        });
        bed.Today(Nov17);
        var writesBefore = bed.Writes();

        var run = await bed.SyncAsync(Nov17);

        Assert.Equal(writesBefore, bed.Writes());
        var duplicates = run.Warnings.Where(w => w.StartsWith("Contoso Ltd: ", StringComparison.Ordinal) && !w.Contains("Sherweb", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, duplicates.Count);
        Assert.Contains($"Contoso Ltd: HaloPSA has 2 enabled HaloSync recurring invoices (ids {Ids(kept.Id, copy.Id)}); each bills its lines.", duplicates[0]);
        Assert.StartsWith($"Contoso Ltd: 2 active HaloPSA subscriptions carry HaloSync's key halosync:{PremiumKey} (ids {keptLicence.Id}, {copiedLicence.Id})", duplicates[1]);
        Assert.StartsWith($"Contoso Ltd: 2 billing lines carry HaloSync's key {PremiumKey} (", duplicates[2]);
        Assert.Contains($"of recurring invoice {copy.Id}", duplicates[2]);
    }

    [Fact]
    public async Task HaloSyncs_recurring_invoice_disabled_in_HaloPSA_is_warned_of_since_its_lines_bill_nothing()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var invoice = bed.Invoices(bed.ContosoClient).Single();
        bed.Halo.Store.Seed(new System.Text.Json.Nodes.JsonObject
        {
            ["invoices"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = invoice.Id, ["disabled"] = true }),
        });
        bed.Today(Nov17);

        var run = await bed.SyncAsync(Nov17);

        Assert.Contains($"Contoso Ltd: HaloSync's recurring invoice {invoice.Id} is disabled in HaloPSA, so the lines HaloSync keeps on it bill nothing.", run.Warnings.Single(w => w.Contains("disabled", StringComparison.Ordinal)));
        Assert.DoesNotContain(bed.GenerateDueInvoices(new DateTime(2026, 12, 15)), i => i.ClientId == bed.ContosoClient);
    }

    private static string Ids(params int?[] ids) => string.Join(", ", ids.Select(i => i!.Value).OrderBy(Math.Abs));
}
