using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;
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

    /// <summary>A bed after the first sync whose HaloPSA sells Azure consumption at 150.00 (mapped automatically by its SKU).</summary>
    private static async Task<SyncTestBed> BedWithAzureItemAsync()
    {
        var bed = await SyncTestBed.StartAsync();
        try
        {
            bed.Halo.Store.AddItem(new SimItem { Name = "Azure consumption", Baseprice = 150.00m, SupplierPartCode = SherwebSampleData.AzureSku });
            await bed.SyncAsync(SyncTestBed.FirstSync);
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    /// <summary>The same, with Contoso's November Azure usage (123.45) listed by Sherweb on 12-02.</summary>
    private static async Task<SyncTestBed> BedWithAzureChargeAsync()
    {
        var bed = await BedWithAzureItemAsync();
        bed.Sherweb.AddCharge(new SherwebExtraCharge
        {
            CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, PeriodFrom = new DateTime(2026, 11, 1), PeriodTo = new DateTime(2026, 11, 30),
            UnitListPrice = 123.45m, BilledOn = new DateTime(2026, 12, 2),
        });
        return bed;
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

    private static readonly DateTime Dec3 = new(2026, 12, 3);
    private static readonly DateTime Dec10 = new(2026, 12, 10);

    private static async Task SetAzurePriceAsync(SyncTestBed bed, decimal price)
    {
        using var admin = bed.Admin();
        var azure = bed.Halo.Store.Items.Single(i => i.Name == "Azure consumption").Id!.Value;
        await admin.SaveItemsAsync(new[] { new HaloItem { Id = azure, BasePrice = price } });
    }

    private static List<Simulators.HaloPsa.SimInvoiceLine> AzureLines(SyncTestBed bed)
        => bed.Invoices(bed.ContosoClient).SelectMany(i => i.Lines ?? new List<Simulators.HaloPsa.SimInvoiceLine>())
            .Where(l => l.ItemShortdescription?.Contains("Azure", StringComparison.Ordinal) == true).ToList();

    /// <summary>
    /// The charge is added on 12-03 at the item's 150.00; the item becomes 160.00 on 12-10, before the 12-15 invoice.
    /// The spec puts a new price "on every active line HaloSync keeps" for the item: the 12-10 run sets the charge's line
    /// to 160.00 (a -WhatIf run first writes nothing), the 12-15 invoice bills 160.00 once, and a further run writes nothing.
    /// </summary>
    [Fact]
    public async Task A_new_item_price_before_the_invoice_reaches_the_charge_line_and_is_billed_once()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec3);
        Assert.Equal(1, (await bed.SyncAsync(Dec3)).Charges);
        await SetAzurePriceAsync(bed, 160.00m);
        bed.Today(Dec10);
        var beforePreview = bed.Writes();
        await bed.SyncAsync(Dec10, whatIf: true);
        Assert.Equal(beforePreview, bed.Writes());
        Assert.Equal(150.00m, Assert.Single(AzureLines(bed)).UnitPrice);

        var repriced = await bed.SyncAsync(Dec10);

        Assert.Equal((0, 1), (repriced.Failed, repriced.Updated));
        var e = Assert.Single(bed.Log(), e => e.RunId == repriced.RunId);
        Assert.Equal((SyncEventKind.UpdatePrice, HaloEntity.RecurringInvoice, 160.00m), (e.Kind, e.Entity, e.UnitPrice!.Value));
        Assert.StartsWith("chg-", e.CumulusKey);
        var line = Assert.Single(AzureLines(bed));
        Assert.Equal((160.00m, 1m, Dec3, Dec14), (line.UnitPrice!.Value, line.QtyOrder!.Value, line.Startdate!.Value.Date, line.Enddate!.Value.Date));
        var writes = bed.Writes();
        var again = await bed.SyncAsync(new DateTime(2026, 12, 11));
        Assert.Equal((writes, 0), (bed.Writes(), bed.Log().Count(l => l.RunId == again.RunId)));
        Assert.Equal((160.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
    }

    /// <summary>
    /// The charge is added on 12-03 on "Azure consumption" at 150.00; on 12-10, before the 12-15 invoice, the product is
    /// mapped by hand to "Azure (CSP)" at 160.00. The line moves to that item at its price (ChangeItem, as a subscription's
    /// line does), and the 12-15 invoice bills 1 x 160.00 = 160.00 on "Azure (CSP)" once; a further run writes nothing.
    /// </summary>
    [Fact]
    public async Task A_charge_line_still_to_be_invoiced_moves_to_the_item_its_product_is_mapped_to()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec3);
        Assert.Equal(1, (await bed.SyncAsync(Dec3)).Charges);
        var csp = bed.Halo.Store.AddItem(new SimItem { Name = "Azure (CSP)", Baseprice = 160.00m }).Id!.Value;
        bed.WithStore(store =>
        {
            var mappings = new MappingRepository(store);
            var product = mappings.FindProduct(SherwebSampleData.AzureSku)!;
            (product.HaloItemId, product.HaloItemName, product.Source) = (csp, "Azure (CSP)", MappingSource.Manual);
            mappings.SaveProduct(product, DateTimeOffset.UtcNow);
        });
        bed.Today(Dec10);

        var moved = await bed.SyncAsync(Dec10);

        Assert.Equal(0, moved.Failed);
        var e = Assert.Single(bed.Log(), e => e.RunId == moved.RunId);
        Assert.Equal((SyncEventKind.ChangeItem, HaloEntity.RecurringInvoice, csp, 160.00m), (e.Kind, e.Entity, e.HaloItemId!.Value, e.UnitPrice!.Value));
        var line = Assert.Single(AzureLines(bed));
        Assert.Equal((csp, 160.00m, Dec14), (line.ItemId!.Value, line.UnitPrice!.Value, line.Enddate!.Value.Date));
        var writes = bed.Writes();
        var again = await bed.SyncAsync(new DateTime(2026, 12, 11));
        Assert.Equal((writes, 0), (bed.Writes(), bed.Log().Count(l => l.RunId == again.RunId)));
        var billed = bed.GenerateDueInvoices(Dec15).SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Where(l => l.ItemId == csp).ToList();
        Assert.Equal(160.00m, Assert.Single(billed).NetAmount);
    }

    /// <summary>
    /// The product of a charge still to be invoiced is mapped to an item HaloPSA does not list: the line keeps its item
    /// and 150.00 (nothing is priced at 0.00, nothing written), and the run says so.
    /// </summary>
    [Fact]
    public async Task A_charge_whose_product_is_mapped_to_a_missing_item_keeps_its_line_and_is_warned_of()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec3);
        await bed.SyncAsync(Dec3);
        bed.WithStore(store =>
        {
            var mappings = new MappingRepository(store);
            var product = mappings.FindProduct(SherwebSampleData.AzureSku)!;
            (product.HaloItemId, product.HaloItemName, product.Source) = (99999, "Azure (gone)", MappingSource.Manual);
            mappings.SaveProduct(product, DateTimeOffset.UtcNow);
        });
        bed.Today(Dec10);
        var writes = bed.Writes();

        var run = await bed.SyncAsync(Dec10);

        Assert.Equal(writes, bed.Writes());
        Assert.Equal(150.00m, Assert.Single(AzureLines(bed)).UnitPrice);
        Assert.Contains(run.Warnings, w => w.Contains("mapped to HaloPSA item 99999, which HaloPSA does not list", StringComparison.Ordinal)
                                          && w.Contains("the charge's line keeps the item and price it was added at", StringComparison.Ordinal));
    }

    /// <summary>Once HaloPSA generated the 12-15 invoice that billed the charge at 150.00, a new item price does not touch its line.</summary>
    [Fact]
    public async Task A_new_item_price_after_the_invoice_billed_the_charge_leaves_its_line_alone()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec3);
        await bed.SyncAsync(Dec3);
        var december = AzureBilled(bed, new[] { Dec15 });
        await SetAzurePriceAsync(bed, 160.00m);
        bed.Today(Dec16);

        var later = await bed.SyncAsync(Dec16);

        Assert.Equal((150.00m, "2026-12-15"), december);
        Assert.DoesNotContain(bed.Log(), e => e.RunId == later.RunId && e.Entity == HaloEntity.RecurringInvoice);
        Assert.Equal(150.00m, Assert.Single(AzureLines(bed)).UnitPrice);
        Assert.Equal((0m, ""), AzureBilled(bed, InvoiceDays.Skip(1)));
    }

    /// <summary>
    /// The admin removes the charge's line in HaloPSA (a credit agreed with the customer), then the item's price changes:
    /// the run says so and adds nothing back, so nothing is billed, and the next run has nothing to say.
    /// </summary>
    [Fact]
    public async Task A_new_item_price_does_not_bring_back_a_charge_line_removed_in_HaloPSA()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec3);
        await bed.SyncAsync(Dec3);
        using (var admin = bed.Admin())
        {
            var invoice = (await admin.GetRecurringInvoicesAsync(bed.ContosoClient, true)).Single();
            invoice.Lines!.RemoveAll(l => l.ShortDescription?.Contains("Azure", StringComparison.Ordinal) == true);
            await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice { Id = invoice.Id, Lines = invoice.Lines });
        }

        Assert.Empty(AzureLines(bed));
        await SetAzurePriceAsync(bed, 160.00m);
        bed.Today(Dec10);

        var repriced = await bed.SyncAsync(Dec10);

        Assert.Equal(0, repriced.Failed);
        var e = Assert.Single(bed.Log(), e => e.RunId == repriced.RunId);
        Assert.Equal((SyncEventKind.UpdatePrice, SyncEventStatus.Success), (e.Kind, e.Status));
        Assert.Equal("The item's price is now 160.00, but the charge's line is no longer on HaloSync's recurring invoice (removed in HaloPSA): not added again", e.Detail);
        Assert.Empty(AzureLines(bed));
        var next = await bed.SyncAsync(new DateTime(2026, 12, 11));
        Assert.DoesNotContain(bed.Log(), l => l.RunId == next.RunId);
        Assert.Equal((0m, ""), AzureBilled(bed, InvoiceDays));
    }

    /// <summary>A charge line ended (or made inactive) in HaloPSA before the price changes is left as HaloPSA holds it.</summary>
    [Theory]
    [InlineData(false, "ended in HaloPSA on 2026-12-05: left at 150.00")]
    [InlineData(true, "is inactive in HaloPSA: left as it is")]
    public async Task A_new_item_price_leaves_a_charge_line_ended_or_made_inactive_in_HaloPSA(bool inactive, string why)
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec3);
        await bed.SyncAsync(Dec3);
        using (var admin = bed.Admin())
        {
            var invoice = (await admin.GetRecurringInvoicesAsync(bed.ContosoClient, true)).Single();
            var azure = invoice.Lines!.Single(l => l.ShortDescription?.Contains("Azure", StringComparison.Ordinal) == true);
            if (inactive)
            {
                azure.IsInactive = true;
            }
            else
            {
                azure.EndDate = new DateTime(2026, 12, 5);
            }

            await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice { Id = invoice.Id, Lines = invoice.Lines });
        }

        await SetAzurePriceAsync(bed, 160.00m);
        bed.Today(Dec10);

        var repriced = await bed.SyncAsync(Dec10);

        var e = Assert.Single(bed.Log(), e => e.RunId == repriced.RunId);
        Assert.Equal((SyncEventKind.UpdatePrice, SyncEventStatus.Success), (e.Kind, e.Status));
        Assert.StartsWith("The item's price is now 160.00, but the charge's line ", e.Detail);
        Assert.EndsWith(why, e.Detail);
        var line = Assert.Single(AzureLines(bed));
        Assert.Equal((150.00m, inactive), (line.UnitPrice!.Value, line.Isinactive == true));
    }

    /// <summary>Sherweb credits 40.00 of Azure as a charge of 1 at -40.00: the 12-15 invoice credits one unit at the item's price (-150.00), where it billed +150.00.</summary>
    [Fact]
    public async Task A_credit_priced_below_zero_is_credited_not_billed()
    {
        await using var bed = await BedWithAzureItemAsync();
        bed.Sherweb.AddCharge(new SherwebExtraCharge
        {
            CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, ChargeName = "Credit", PeriodFrom = new DateTime(2026, 11, 1),
            PeriodTo = new DateTime(2026, 11, 30), UnitListPrice = -40.00m, BilledOn = new DateTime(2026, 12, 2),
        });
        bed.Today(Dec3);

        await bed.SyncAsync(Dec3);

        var line = Assert.Single(AzureLines(bed));
        Assert.Equal((-1m, 40.00m), (line.QtyOrder!.Value, line.UnitCost!.Value));
        Assert.Equal((-150.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
    }

    /// <summary>
    /// Sherweb lists October's Azure usage in its November period, late on 11-30, after the day's run: a run on 12-01 reads
    /// the December period and the one just closed, so the charge is added then (billed 150.00 once, on 12-15), and no
    /// later run adds it again. An organization first synced after that period closed is not billed its charges.
    /// </summary>
    [Fact]
    public async Task A_charge_listed_at_the_end_of_Sherweb_s_period_is_added_by_a_run_in_the_next_one()
    {
        await using var bed = await BedWithAzureItemAsync();
        var (nov30, dec1, dec2) = (new DateTime(2026, 11, 30), new DateTime(2026, 12, 1), new DateTime(2026, 12, 2));
        bed.Today(nov30);
        Assert.Equal(0, (await bed.SyncAsync(nov30)).Charges);
        foreach (var customer in new[] { SherwebSampleData.Contoso, SherwebSampleData.Fabrikam })
        {
            bed.Sherweb.AddCharge(new SherwebExtraCharge
            {
                CustomerId = customer, Sku = SherwebSampleData.AzureSku, PeriodFrom = new DateTime(2026, 10, 1), PeriodTo = new DateTime(2026, 10, 31),
                UnitListPrice = 123.45m, BilledOn = nov30,
            });
        }

        bed.MapOrganization(SherwebSampleData.Fabrikam, null);
        bed.Today(dec1);
        var december = await bed.SyncAsync(dec1);
        bed.MapOrganization(SherwebSampleData.Fabrikam, bed.HoldingsClient); // another client: a first sync there
        bed.Today(dec2);
        var again = await bed.SyncAsync(dec2);

        Assert.Equal((1, 0), (december.Charges, again.Charges));
        Assert.Equal(bed.ContosoClient, Assert.Single(bed.Log(), e => e.Kind == SyncEventKind.AddCharge).HaloClientId);
        Assert.Equal((150.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
    }

    /// <summary>
    /// The 12-10 reprice (150.00 -> 160.00) is refused by HaloPSA; the item becomes 170.00; the 12-14 run finishes the
    /// failed event and puts the item's current price on the line, so the 12-15 invoice bills 170.00 (it billed 160.00).
    /// </summary>
    [Fact]
    public async Task A_reprice_retried_after_a_failure_bills_the_item_s_current_price()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec3);
        await bed.SyncAsync(Dec3);
        await SetAzurePriceAsync(bed, 160.00m);
        bed.Today(Dec10);
        var refusing = new InterceptedHalo(bed.HaloClient)
        {
            Before = call =>
            {
                if (call == "SaveRecurringInvoices")
                {
                    throw new HaloSyncException("Refused", HaloSyncErrorKind.InvalidData, "HaloPSA refused the invoice.");
                }
            },
        };
        Assert.Equal(1, (await bed.SyncAsync(Dec10, halo: refusing)).Failed);
        await SetAzurePriceAsync(bed, 170.00m);
        bed.Today(Dec14);

        var retried = await bed.SyncAsync(Dec14);

        Assert.Equal(0, retried.Failed);
        Assert.Equal(170.00m, Assert.Single(AzureLines(bed)).UnitPrice);
        Assert.Equal((170.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
    }

    /// <summary>
    /// The 12-03 write of the charge reached HaloPSA but its answer was lost; HaloPSA's 12-15 invoice billed it at 150.00;
    /// the item is 170.00 when the 12-16 run finishes the write: the line keeps the price it was billed at (no UpdatePrice).
    /// </summary>
    [Fact]
    public async Task A_charge_finished_after_its_invoice_keeps_the_price_it_was_billed_at()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec3);
        var lost = new InterceptedHalo(bed.HaloClient)
        {
            After = call =>
            {
                if (call == "SaveRecurringInvoices")
                {
                    throw new HaloSyncException("Timeout", HaloSyncErrorKind.ResourceUnavailable, "The answer was lost.");
                }
            },
        };
        Assert.Equal(1, (await bed.SyncAsync(Dec3, halo: lost)).Failed);
        Assert.Equal((150.00m, "2026-12-15"), AzureBilled(bed, new[] { Dec15 }));
        await SetAzurePriceAsync(bed, 170.00m);
        bed.Today(Dec16);

        var finished = await bed.SyncAsync(Dec16);

        Assert.Equal(0, finished.Failed);
        Assert.DoesNotContain(bed.Log(), e => e.RunId == finished.RunId && e.Kind == SyncEventKind.UpdatePrice);
        Assert.Equal(150.00m, Assert.Single(AzureLines(bed)).UnitPrice);
    }

    /// <summary>A charge without a charge id Sherweb lists in the period just closed and again in the current one is one charge: added once, and not warned of as two to bill by hand.</summary>
    [Fact]
    public async Task A_charge_listed_in_the_closed_and_the_current_period_is_one_charge()
    {
        await using var bed = await BedWithAzureItemAsync();
        foreach (var billedOn in new[] { new DateTime(2026, 11, 30), new DateTime(2026, 12, 1) })
        {
            bed.Sherweb.AddCharge(new SherwebExtraCharge
            {
                CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, ChargeId = null, PeriodFrom = new DateTime(2026, 10, 1),
                PeriodTo = new DateTime(2026, 10, 31), UnitListPrice = 123.45m, BilledOn = billedOn,
            });
        }

        bed.Today(new DateTime(2026, 12, 2));
        var run = await bed.SyncAsync(new DateTime(2026, 12, 2));

        Assert.Equal(1, run.Charges);
        Assert.DoesNotContain(run.Warnings, w => w.Contains("Bill the others in HaloPSA by hand", StringComparison.Ordinal));
        Assert.Equal((150.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
    }

    [Fact]
    public async Task Added_the_day_before_the_invoice_day_it_is_billed_by_that_invoice_only()
    {
        await using var bed = await BedWithAzureChargeAsync();
        bed.Today(Dec14);
        Assert.Equal(1, (await bed.SyncAsync(Dec14)).Charges);

        Assert.Equal((150.00m, "2026-12-15"), AzureBilled(bed, InvoiceDays));
        var e = Assert.Single(bed.Log(), e => e.Kind == SyncEventKind.AddCharge);
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
        var adopted = Assert.Single(bed.Log(), e => e.RunId == found.RunId && e.Entity == HaloEntity.RecurringInvoice);
        Assert.Equal((SyncEventKind.Adopt, bed.ContosoClient), (adopted.Kind, adopted.HaloClientId!.Value));
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
        var e = Assert.Single(bed.Log(), e => e.Kind == SyncEventKind.AddCharge);
        Assert.Equal((Dec16, new DateTime(2027, 1, 14)), (e.LineStart!.Value, e.LineEnd!.Value));
    }
}
