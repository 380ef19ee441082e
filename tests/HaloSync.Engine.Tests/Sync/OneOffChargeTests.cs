using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// "Each charge is added once": a usage charge (Azure, 1 x 150.00 at the item's price) is billed by exactly one of the
/// invoices HaloPSA generates on 12-15, 01-15 and 02-15 (invoice day 15), whenever the run that adds it comes: the day
/// before the invoice day, on the invoice day before or after HaloPSA generates, or finishing a write that died before
/// the invoice day. The simulated HaloPSA bills a line on a generation when it has started by then and has not ended
/// before the previous one.
/// </summary>
public sealed class OneOffChargeTests
{
    private static readonly DateTime Dec14 = new(2026, 12, 14);
    private static readonly DateTime Dec15 = new(2026, 12, 15);
    private static readonly DateTime Dec16 = new(2026, 12, 16);
    private static readonly DateTime[] InvoiceDays = { Dec15, new(2027, 1, 15), new(2027, 2, 15) };

    private static async Task<SyncTestBed> BedWithAzureChargeAsync()
    {
        var bed = await SyncTestBed.StartAsync();
        try
        {
            bed.Halo.Store.AddItem(new SimItem { Name = "Azure consumption", Baseprice = 150.00m, SupplierPartCode = SherwebSampleData.AzureSku });
            await bed.SyncAsync(SyncTestBed.FirstSync);
            bed.Sherweb.AddCharge(new SherwebExtraCharge
            {
                CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, PeriodFrom = new DateTime(2026, 11, 1), PeriodTo = new DateTime(2026, 11, 30),
                UnitListPrice = 123.45m, BilledOn = new DateTime(2026, 12, 2),
            });
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>What the generated invoices of these days bill Contoso for Azure (on any client), and on which days.</summary>
    private static (decimal Total, string Days) AzureBilled(SyncTestBed bed, IEnumerable<DateTime> days)
    {
        var billed = new List<(DateTime Day, decimal Amount)>();
        foreach (var day in days)
        {
            var lines = bed.Halo.Store.GenerateInvoices(day).SelectMany(i => i.Lines ?? new List<SimInvoiceLine>());
            billed.AddRange(lines.Where(l => l.ItemShortdescription?.Contains("Azure", StringComparison.Ordinal) == true).Select(l => (day, l.NetAmount ?? 0m)));
        }

        return (billed.Sum(b => b.Amount), string.Join(", ", billed.Select(b => b.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task Added_the_day_before_the_invoice_day_it_is_billed_by_that_invoice_only()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec14);
        Assert.Equal(1, (await bed.SyncAsync(Dec14)).Charges);

        Assert.Equal((150.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
        var e = Assert.Single(bed.Log(), e => e.Kind == HaloSync.Engine.Sync.SyncEventKind.AddCharge);
        Assert.Equal((Dec14, Dec14), (e.LineStart!.Value, e.LineEnd!.Value));
    }

    /// <summary>
    /// The charge is added to Contoso Ltd's invoice on 12-03; the state file is lost and set up again with Contoso on
    /// Contoso Holdings. The run finds the charge's line on Contoso Ltd by its marker and adopts it there: billed once,
    /// 150.00 on 12-15, not added to Holdings as well (which billed it twice before).
    /// </summary>
    [Fact]
    public async Task Already_on_the_old_client_of_a_lost_state_file_it_is_adopted_there_and_not_added_to_the_new_one()
    {
        await using var bed = await BedWithAzureChargeAsync();
        var (dec3, dec4) = (new DateTime(2026, 12, 3), new DateTime(2026, 12, 4));
        bed.Today(dec3);
        Assert.Equal(1, (await bed.SyncAsync(dec3)).Charges);
        bed.LoseStateFile();
        bed.MapOrganization(SherwebSampleData.Contoso, bed.HoldingsClient);
        bed.Today(dec4);

        var found = await bed.SyncAsync(dec4);

        Assert.Equal((0, 2, 0), (found.Charges, found.EndedOnOldClient, found.Failed));
        var adopted = Assert.Single(bed.Log(), e => e.RunId == found.RunId && e.Entity == HaloSync.Engine.Sync.HaloEntity.RecurringInvoice);
        Assert.Equal((HaloSync.Engine.Sync.SyncEventKind.Adopt, bed.ContosoClient), (adopted.Kind, adopted.HaloClientId!.Value));
        Assert.Equal(0, (await bed.SyncAsync(dec4)).Charges);
        Assert.Equal((150.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
    }

    [Fact]
    public async Task Added_on_the_invoice_day_before_HaloPSA_generates_it_is_billed_that_day_only()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec15);
        Assert.Equal(1, (await bed.SyncAsync(Dec15)).Charges);

        Assert.Equal((150.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
    }

    [Fact]
    public async Task Added_on_the_invoice_day_after_HaloPSA_generated_it_is_billed_by_the_next_invoice_only()
    {
        await using var bed = await BedWithAzureChargeAsync();
        var december = AzureBilled(bed, new[] { Dec15 });
        bed.Today(Dec15);
        Assert.Equal(1, (await bed.SyncAsync(Dec15)).Charges);

        Assert.Equal((0m, ""), december);
        Assert.Equal((150.00m, "2027-01-15"), AzureBilled(bed, InvoiceDays.Skip(1)));
    }

    [Fact]
    public async Task Finished_after_the_invoice_day_by_the_next_run_it_is_billed_by_the_next_invoice_only()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec14);
        var dying = new InterceptedHalo(bed.HaloClient)
        {
            Before = call => { if (call == "SaveRecurringInvoices") throw new OperationCanceledException("killed"); },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(Dec14, dying));
        var december = AzureBilled(bed, new[] { Dec15 });
        bed.Today(Dec16);

        var next = await bed.SyncAsync(Dec16);

        Assert.Equal((0, 1), (next.Failed, next.Charges));
        Assert.Equal((0m, ""), december);
        Assert.Equal((150.00m, "2027-01-15"), AzureBilled(bed, InvoiceDays.Skip(1)));
        var e = Assert.Single(bed.Log(), e => e.Kind == HaloSync.Engine.Sync.SyncEventKind.AddCharge);
        Assert.Equal((Dec16, new DateTime(2027, 1, 14)), (e.LineStart!.Value, e.LineEnd!.Value));
    }
}
