using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Sync;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// Golden tests: records already billed in HaloPSA carry these exact texts, so no refactoring may change them.
/// A failure here means existing customers' records would no longer be found (and would be billed twice).
/// </summary>
public sealed class KeyFormatTests
{
    private static readonly Guid Subscription = new("9a1e0000-0000-4000-8000-000000000001");

    [Fact]
    public void Keys_written_into_HaloPSA_and_the_state_keep_their_exact_format()
    {
        Assert.Equal("sub-9a1e0000-0000-4000-8000-000000000001", HaloKeys.Subscription(Subscription));
        Assert.Equal("halosync:sub-9a1e0000-0000-4000-8000-000000000001", HaloKeys.Licence(HaloKeys.Subscription(Subscription)));
        Assert.Equal("[halosync:sub-9a1e0000-0000-4000-8000-000000000001]", HaloKeys.LineMarker(HaloKeys.Subscription(Subscription)));
        Assert.Equal("[halosync:sub-9a1e0000-0000-4000-8000-000000000001:2026-11-20:10->13:e42]",
            HaloKeys.ProRataMarker(HaloKeys.Subscription(Subscription), new DateTime(2026, 11, 20), 10m, 13m, 42));
        Assert.Equal("[halosync:chg-h0:2026-11-20:0->1.5:e7]", HaloKeys.ProRataMarker("chg-h0", new DateTime(2026, 11, 20), 0m, 1.5m, 7));
        Assert.Equal("[halosync:sub-9a1e0000-0000-4000-8000-000000000001:2026-11-20:10->13]",
            HaloKeys.LegacyProRataMarker(HaloKeys.Subscription(Subscription), new DateTime(2026, 11, 20), 10m, 13m));
        Assert.Equal("item-3010", HaloKeys.Item(3010));
        Assert.Equal("HaloSync", HaloKeys.InvoiceReference);
        Assert.Equal("invoice", HaloKeys.InvoiceLinkKey);
    }

    [Fact]
    public void The_key_of_a_line_marker_is_read_back_and_a_pro_rata_marker_is_not_a_line_marker()
    {
        Assert.Equal("sub-9a1e0000-0000-4000-8000-000000000001",
            HaloKeys.KeyInLineMarker("Microsoft 365 Business Premium [halosync:sub-9a1e0000-0000-4000-8000-000000000001]"));
        Assert.Equal("chg-hb8325a7d3d55c2e0333b971690cee419", HaloKeys.KeyInLineMarker("Azure [halosync:chg-hb8325a7d3d55c2e0333b971690cee419]"));
        Assert.Equal("chg-h2", HaloKeys.KeyInLineMarker("Copied [halosync:chg-h1] then re-keyed [halosync:chg-h2]"));
        Assert.Null(HaloKeys.KeyInLineMarker("[halosync:sub-9a1e0000-0000-4000-8000-000000000001:2026-11-20:10->13]"));
        Assert.Null(HaloKeys.KeyInLineMarker("[halosync:sub-9a1e0000-0000-4000-8000-000000000001:2026-11-20:10->13:e42]"));
        Assert.Null(HaloKeys.KeyInLineMarker("Microsoft 365 Business Premium"));
        Assert.Null(HaloKeys.KeyInLineMarker(null));
    }

    [Fact]
    public void Charge_keys_keep_their_exact_format_with_and_without_a_charge_id()
    {
        var usage = new PayableCharge
        {
            Sku = "MS-AZURE-PLAN", ChargeName = "Consumption", ChargeType = ChargeType.Usage, BillingCycleType = BillingCycleType.Monthly,
            PeriodFrom = new DateTime(2026, 2, 1), PeriodTo = new DateTime(2026, 2, 28), Quantity = 1m,
        };
        var withId = new PayableCharge { ChargeId = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), Sku = "X" };

        // SHA-256 of "3F0C6A55-...0001 US MS-AZURE-PLAN US Consumption US Usage US Monthly US 2026-02-01 US 2026-02-28" (US = U+001F), first 16 bytes.
        Assert.Equal("chg-hb8325a7d3d55c2e0333b971690cee419", ChargeIdentity.Of(usage, "3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0001").Key);
        Assert.Equal("chg-0f8fad5b-d9cb-469f-a165-70867728950e", ChargeIdentity.Of(withId, "anyone").Key);
    }

    [Fact]
    public async Task A_sync_writes_the_keys_into_the_fields_HaloSync_reads_them_back_from()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);

        var licenceBody = bed.Halo.Requests.Matching("/api/SoftwareLicence", "POST").Single().Body;
        var licences = JsonDocument.Parse(licenceBody).RootElement.EnumerateArray().Select(l => l.GetProperty("snowid").GetString()).ToList();
        Assert.Contains("halosync:sub-" + SherwebSampleData.ContosoBusinessPremium.ToString("D"), licences);
        var invoice = JsonDocument.Parse(bed.Halo.Requests.Matching("/api/RecurringInvoice", "POST").Single().Body).RootElement.EnumerateArray()
            .Single(i => i.GetProperty("client_id").GetInt32() == bed.ContosoClient);
        Assert.Equal("HaloSync", invoice.GetProperty("reference").GetString());
        Assert.Equal("Microsoft 365 Business Premium [halosync:sub-" + SherwebSampleData.ContosoBusinessPremium.ToString("D") + "]",
            invoice.GetProperty("lines")[0].GetProperty("item_longdescription").GetString());
    }
}
