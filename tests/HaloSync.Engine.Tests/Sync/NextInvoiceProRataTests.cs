using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Sync;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// Pro-rata for the invoice HaloPSA generates next (its nextcreationdate), not only for the period the change falls in:
/// a change seen on the invoice day before HaloPSA generates, and a change or purchase first written after an invoice
/// day, are billed once. Bed: invoice day 15, Business Premium item 30.00, Contoso 10 seats, first sync 2026-11-16;
/// the periods [11-15, 12-15) and [12-15, 01-15) are 30 and 31 days long.
/// </summary>
public sealed class NextInvoiceProRataTests
{
    private static readonly DateTime Nov25 = new(2026, 11, 25);
    private static readonly DateTime Dec14 = new(2026, 12, 14);
    private static readonly DateTime Dec15 = new(2026, 12, 15);
    private static readonly DateTime Dec16 = new(2026, 12, 16);
    private static readonly DateTime Jan15 = new(2027, 1, 15);
    private static readonly Guid Premium = SherwebSampleData.ContosoBusinessPremium;
    private const string NewSku = "SW-AUDIT-PHONE";

    private static Action<SyncConfiguration> Method(BillingMethod method) => s => s.BillingMethod = method;

    /// <summary>A bed after the first sync where Sherweb has Contoso's Business Premium go 10 -> 13 on <paramref name="day"/>, today.</summary>
    private static async Task<SyncTestBed> ContosoChangedOn(DateTime day, BillingMethod method)
    {
        var bed = await SyncTestBed.StartAsync(Method(method));
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(day);
        bed.Sherweb.ChangeQuantity(Premium, 13, day);
        return bed;
    }

    /// <summary>A bed after the first sync whose HaloPSA has an item (30.00) for a Sherweb product no one has bought yet.</summary>
    private static async Task<(SyncTestBed Bed, int Item)> WithTeamsPhoneMapped(BillingMethod method)
    {
        var bed = await SyncTestBed.StartAsync(Method(method));
        var item = bed.Halo.Store.AddItem(new SimItem { Name = "Teams Phone", Baseprice = 30.00m, Costprice = 0m, SupplierPartCode = NewSku }).Id!.Value;
        bed.Sherweb.PutProduct(new SherwebProduct { Sku = NewSku, Name = "Teams Phone", Description = "Teams Phone", MonthlyListPrice = 8.00m, YearlyListPrice = 96.00m });
        await bed.SyncAsync(SyncTestBed.FirstSync);
        return (bed, item);
    }

    /// <summary>What one generated invoice of the client bills for the lines of an item (main lines and pro-rata lines).</summary>
    private static decimal Billed(SyncTestBed bed, DateTime day, int client, int itemId)
        => bed.Halo.Store.GenerateInvoices(day).Where(i => i.ClientId == client)
            .SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Where(l => l.ItemId == itemId).Sum(l => l.NetAmount ?? 0m);

    // A purchase after the organization's first sync, of a product mapped only after the invoice day, is a new purchase
    // (design-decisions.md) billed from its purchase date. Post-bill, bought 11-25, mapped 12-16: the 12-15 invoice
    // (arrears for [11-15, 12-15)) was generated without it, so the 01-15 invoice bills [12-15, 01-15) at 4 x 30.00 = 120.00
    // plus the 20 days from 11-25 to 12-14 it missed: +4 x 30.00 x 20/30 = 80.00 -> 200.00. (The spec's rule for the
    // period alone credited -4 x 30.00 x 10/30 = -40.00 for days never billed: 80.00.)
    [Fact]
    public async Task PostBill_a_purchase_mapped_after_the_invoice_day_is_charged_the_days_that_invoice_missed()
    {
        await using var bed = await SyncTestBed.StartAsync(Method(BillingMethod.PostBill));
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Sherweb.PutProduct(new SherwebProduct { Sku = NewSku, Name = "Teams Phone", Description = "Teams Phone", MonthlyListPrice = 8.00m, YearlyListPrice = 96.00m });
        bed.Today(Nov25);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, NewSku, 4, purchaseDate: new DateTimeOffset(Nov25.AddHours(14), TimeSpan.Zero));
        await bed.SyncAsync(Nov25); // product unmapped: reported, not synced
        bed.Halo.Store.GenerateInvoices(Dec15); // HaloPSA's 12-15 invoice, without the new product
        bed.Today(Dec16);
        var item = bed.Halo.Store.AddItem(new SimItem { Name = "Teams Phone", Baseprice = 30.00m, Costprice = 0m, SupplierPartCode = NewSku }).Id!.Value;

        await bed.SyncAsync(Dec16); // automatic mapping maps it now

        Assert.Equal(200.00m, Billed(bed, Jan15, bed.ContosoClient, item));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1a. The same, periods late: 4 seats bought 11-25 and no run until 01-20 (a runbook down), so HaloPSA generated
    // 12-15 and 01-15 without the line; [01-15, 02-15) is 31 days. The line starts 11-25, so the 02-15 invoice bills it
    // for its whole period, and the entry charges every earlier day no invoice billed:
    //  post-bill: 02-15 bills [01-15, 02-15) 4 x 30.00 = 120.00 + 4 x 30.00 x (20/30 + 31/31) = 4 x 50.0000 = 200.00 -> 320.00.
    //    Before: 120.00 - 4 x 30.00 x 10/30 = 80.00 (credited 11-15 to 11-24, days before the purchase).
    //  pre-bill: 02-15 bills [02-15, 03-15) 120.00 + 4 x 30.00 x (20/30 + 31/31 + 31/31) = 4 x 80.0000 = 320.00 -> 440.00.
    //    Before: 120.00 + 4 x 20.0000 = 200.00 (12-15 to 02-14 never billed).
    // ---------------------------------------------------------------------------------------------------------------
    [Theory]
    [InlineData(BillingMethod.PostBill, 320.00)]
    [InlineData(BillingMethod.PreBill, 440.00)]
    public async Task A_purchase_first_seen_two_invoice_days_later_is_charged_every_day_no_invoice_billed(BillingMethod method, double expected)
    {
        var (bed, item) = await WithTeamsPhoneMapped(method);
        await using var _ = bed;
        bed.Today(Nov25);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, NewSku, 4, purchaseDate: new DateTimeOffset(Nov25.AddHours(14), TimeSpan.Zero));
        bed.Halo.Store.GenerateInvoices(Dec15);
        bed.Halo.Store.GenerateInvoices(Jan15);
        var jan20 = new DateTime(2027, 1, 20);
        bed.Today(jan20);

        await bed.SyncAsync(jan20);

        Assert.Equal((decimal)expected, Billed(bed, new DateTime(2027, 2, 15), bed.ContosoClient, item));
        Assert.Equal(120.00m, Billed(bed, new DateTime(2027, 3, 15), bed.ContosoClient, item));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1c. A purchase dated after an invoice day HaloPSA has not generated yet (its scheduler a day late, or a run with
    // -AsOf 12-14 while Sherweb already lists a 12-16 purchase): 4 seats bought 12-16, written on 12-16 (or 12-14) while
    // HaloPSA's next invoice is still 12-15. That invoice does not bill a line starting 12-16; 01-15 is the first to.
    //  pre-bill: 01-15 bills [01-15, 02-15) 4 x 30.00 = 120.00 + 12-16 to 01-14, 4 x 30.00 x 30/31 = 4 x 29.0323 -> 236.13.
    //    Before: 4 x -0.9677 credited for 12-15, a day before the purchase: 116.13.
    //  post-bill: 01-15 bills [12-15, 01-15) 120.00 - 12-15 alone, 4 x 30.00 x 1/31 = 4 x 0.9677 -> 116.13.
    //    Before: 31 days credited from 11-15 (-4 x 30.9677): -3.87.
    // ---------------------------------------------------------------------------------------------------------------
    [Theory]
    [InlineData(BillingMethod.PreBill, 16, 236.13)]
    [InlineData(BillingMethod.PreBill, 14, 236.13)]
    [InlineData(BillingMethod.PostBill, 16, 116.13)]
    [InlineData(BillingMethod.PostBill, 14, 116.13)]
    public async Task A_purchase_dated_after_an_invoice_day_HaloPSA_has_not_generated_is_billed_from_its_date(BillingMethod method, int runDay, double jan15)
    {
        var (bed, item) = await WithTeamsPhoneMapped(method);
        await using var _ = bed;
        bed.Today(Dec16);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, NewSku, 4, purchaseDate: new DateTimeOffset(Dec16.AddHours(9), TimeSpan.Zero));

        await bed.SyncAsync(new DateTime(2026, 12, runDay));

        Assert.Equal((0m, (decimal)jan15), (Billed(bed, Dec15, bed.ContosoClient, item), Billed(bed, Jan15, bed.ContosoClient, item)));
        Assert.Equal(120.00m, Billed(bed, new DateTime(2027, 2, 15), bed.ContosoClient, item));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1b. The same root cause on the everyday path: 4 seats bought late on 12-14 (the day before the invoice day), first
    // listed by Sherweb / first seen by a run on 12-15 after HaloPSA generated the 12-15 invoice (periods: [11-15, 12-15)
    // L = 30, [12-15, 01-15) L = 31). The line starts 12-14 and the entry is computed in the period of 12-14.
    //  post-bill: owed on 01-15: 4 x 30.00 for [12-15, 01-15) = 120.00 + 4 x 30.00 x 1/30 = 4.00 for 12-14 -> 124.00.
    //    Before: 120.00 - 4 x (30.00 x 29/30 = 29.0000) = 120.00 - 116.00 = 4.00 (120.00 short).
    //  pre-bill: owed on 01-15: 120.00 for [01-15, 02-15) + 120.00 for [12-15, 01-15) (missed by 12-15) + 4.00 -> 244.00.
    //    Before: 120.00 + 4 x 1.0000 = 124.00 (120.00 short).
    // ---------------------------------------------------------------------------------------------------------------
    [Theory]
    [InlineData(BillingMethod.PostBill, 124.00)]
    [InlineData(BillingMethod.PreBill, 244.00)]
    public async Task A_purchase_of_the_day_before_seen_after_the_invoice_is_generated_is_billed_for_the_missed_period(BillingMethod method, double expected)
    {
        var (bed, item) = await WithTeamsPhoneMapped(method);
        await using var _ = bed;
        bed.Today(Dec14);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, NewSku, 4, purchaseDate: new DateTimeOffset(Dec14.AddHours(23).AddMinutes(50), TimeSpan.Zero));
        bed.Halo.Store.GenerateInvoices(Dec15); // HaloPSA generates first thing on 12-15
        bed.Today(Dec15);

        await bed.SyncAsync(Dec15);

        Assert.Equal((decimal)expected, Billed(bed, Jan15, bed.ContosoClient, item));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. A change whose run died the day before the invoice day, finished by the next run after HaloPSA generated.
    // Contoso 10 -> 13 on 12-14; the 12-14 run is killed before any write; HaloPSA generates 12-15 (the line still at 10);
    // the 12-16 run finishes the change "on its own date" (12-14, period [11-15, 12-15), L = 30).
    //  post-bill: the 12-15 invoice billed 10 x 30.00 = 300.00 for [11-15, 12-15) where the customer had 13 on one day:
    //    owed +3 x 30.00 x 1/30 = 3.00; 01-15 bills [12-15, 01-15) at 13 = 390.00, so 01-15 should total 393.00.
    //    Before: entry -3 x (30.00 x 29/30 = 29.0000) = -87.00, 01-15 = 390.00 - 87.00 = 303.00 (90.00 short).
    //  pre-bill: the 12-15 invoice billed 10 seats for [12-15, 01-15) where the customer holds 13: owed 3 x 30.00 = 90.00
    //    plus +3 x 30.00 x 1/30 = 3.00 for 12-14; 01-15 bills 13 x 30.00 = 390.00 for [01-15, 02-15): 483.00.
    //    Before: entry +3 x 1.0000 = 3.00, 01-15 = 393.00 (90.00 short).
    // With the 12-16 run's recurring-invoice answer lost (HaloPSA carried it out), the line is read back and its entry
    // found by its marker: the log still keeps the entry written, not the one first planned.
    // ---------------------------------------------------------------------------------------------------------------
    [Theory]
    [InlineData(BillingMethod.PostBill, 393.00, false)]
    [InlineData(BillingMethod.PreBill, 483.00, false)]
    [InlineData(BillingMethod.PostBill, 393.00, true)]
    [InlineData(BillingMethod.PreBill, 483.00, true)]
    public async Task A_change_finished_after_the_invoice_day_is_billed_for_what_the_invoice_missed(BillingMethod method, double expected, bool answerLost)
    {
        await using var bed = await ContosoChangedOn(Dec14, method);
        var dying = new InterceptedHalo(bed.HaloClient) { Before = call => { if (call == "SaveLicences") throw new OperationCanceledException("killed"); } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(Dec14, dying));
        Assert.Equal(300.00m, Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem)); // 10 x 30.00
        bed.Today(Dec16);
        if (answerLost)
        {
            bed.Halo.Faults.Enqueue(FaultRule.AnswerLost(FaultRule.Status(502), "POST", "/api/RecurringInvoice"));
        }

        Assert.Equal(0, (await bed.SyncAsync(Dec16)).Failed);

        Assert.Equal(answerLost, bed.Verbose.Any(l => l.Contains("reading back the recurring invoices", StringComparison.Ordinal)));
        Assert.Equal((decimal)expected, Billed(bed, Jan15, bed.ContosoClient, bed.PremiumItem));
        // The log keeps the entry written: +3 (pre-bill) or -(-3) (post-bill) seats at 30.00 x 1/30 (12-14), plus, pre-bill,
        // 30.00 x 31/31 for the period the 12-15 invoice billed at 10.
        var entry = bed.Log().Single(e => e.Kind == SyncEventKind.ChangeQuantity && e.Status == SyncEventStatus.Success).ProRata!;
        Assert.Equal(method == BillingMethod.PreBill ? (3, 31.0000m, 32) : (3, 1.0000m, 1), (entry.Quantity, entry.UnitPrice, entry.Days));
        Assert.Contains("charged, 2026-12-14 to", entry.Description);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. A change on the invoice day, seen by a run before HaloPSA generates that day's invoice (nextcreationdate = 12-15,
    // which the run reads; the one-off charges already use it). Contoso 10 -> 13 on 12-15.
    //  pre-bill: the 12-15 invoice bills [12-15, 01-15) in advance; the customer holds 13 all of it: 13 x 30.00 = 390.00.
    //    Before: line already at 13 (390.00) plus entry +3 x 30.00 x 31/31 = 90.00 -> 480.00 (3 seats billed twice).
    //  post-bill: the 12-15 invoice bills [11-15, 12-15) in arrears, when the customer had 10: 300.00. The line is at 13,
    //    so the entry credits the whole period: -3 x 30.00 x 30/30 = -90.00 -> 390.00 - 90.00 = 300.00.
    //    Before: the spec's f is 0 on the invoice day, so no entry -> 390.00.
    // ---------------------------------------------------------------------------------------------------------------
    [Theory]
    [InlineData(BillingMethod.PreBill, 390.00)]
    [InlineData(BillingMethod.PostBill, 300.00)]
    public async Task A_change_on_the_invoice_day_seen_before_HaloPSA_generates_is_billed_once(BillingMethod method, double expected)
    {
        await using var bed = await ContosoChangedOn(Dec15, method);
        Assert.Equal(Dec15, bed.Invoices(bed.ContosoClient).Single().Nextcreationdate!.Value.Date);

        await bed.SyncAsync(Dec15);

        Assert.Equal((decimal)expected, Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem));
        var change = bed.Log().Single(e => e.Kind == SyncEventKind.ChangeQuantity);
        if (method == BillingMethod.PreBill)
        {
            Assert.Null(change.ProRata);
            Assert.Equal("Quantity changed 10 -> 13 (+3) on 2026-12-15: no pro-rata, HaloPSA's invoice of 2026-12-15 bills the change for the whole period", change.Detail);
        }
        else
        {
            Assert.Equal((-3, 30.0000m, 30), (change.ProRata!.Quantity, change.ProRata.UnitPrice, change.ProRata.Days));
            Assert.Contains("credited, 2026-11-15 to 2026-12-14", change.ProRata.Description);
        }
    }

    // The same change when HaloPSA generated first, and a change the day before the invoice day.
    //  generated first, pre-bill: 12-15 = 300.00; 01-15 = 13 x 30.00 + 3 x 30.00 x 31/31 = 480.00 (sum 780 = 2 x 390).
    //  generated first, post-bill: 12-15 = 300.00; 01-15 = 13 x 30.00 = 390.00, no entry (f = 0).
    //  day before, pre-bill: 12-15 = 13 x 30.00 + 3 x 30.00 x 1/30 = 393.00.
    //  day before, post-bill: 12-15 = 13 x 30.00 - 3 x 30.00 x 29/30 = 303.00 (= 10 x 30 + 3 x 1).
    [Theory]
    [InlineData(BillingMethod.PreBill, true, 300.00, 480.00)]
    [InlineData(BillingMethod.PostBill, true, 300.00, 390.00)]
    [InlineData(BillingMethod.PreBill, false, 393.00, 390.00)]
    [InlineData(BillingMethod.PostBill, false, 303.00, 390.00)]
    public async Task Control_change_after_generation_or_the_day_before(BillingMethod method, bool onInvoiceDayAfterGeneration, double dec15, double jan15)
    {
        await using var bed = await SyncTestBed.StartAsync(Method(method));
        await bed.SyncAsync(SyncTestBed.FirstSync);
        decimal first;
        if (onInvoiceDayAfterGeneration)
        {
            bed.Today(Dec15);
            first = Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem);
            bed.Sherweb.ChangeQuantity(Premium, 13, Dec15);
            await bed.SyncAsync(Dec15);
        }
        else
        {
            bed.Today(Dec14);
            bed.Sherweb.ChangeQuantity(Premium, 13, Dec14);
            await bed.SyncAsync(Dec14);
            first = Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem);
        }

        Assert.Equal(((decimal)dec15, (decimal)jan15), (first, Billed(bed, Jan15, bed.ContosoClient, bed.PremiumItem)));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Failures around the invoice day: the entry written for HaloPSA's date is kept only by a write that succeeded, and a
    // write that reached HaloPSA without an entry is not given one later. Contoso 10 -> 13 on 12-15, seen before HaloPSA
    // generates the 12-15 invoice.
    // ---------------------------------------------------------------------------------------------------------------

    // Pre-bill, the run is killed right after HaloPSA saved the line at 13 with no entry (state not saved). HaloPSA
    // generates 12-15 at 13 seats: 390.00. The 12-16 run finishes the event with HaloPSA's date now 01-15, where the
    // rule's +3 x 30.00 x 31/31 would be due had 12-15 billed 10; it billed 13, so 01-15 is 13 x 30.00 = 390.00, not 480.00.
    [Fact]
    public async Task A_write_that_reached_HaloPSA_without_an_entry_is_not_given_one_when_finished_after_the_invoice()
    {
        await using var bed = await ContosoChangedOn(Dec15, BillingMethod.PreBill);
        var dying = new InterceptedHalo(bed.HaloClient) { After = call => { if (call == "SaveRecurringInvoices") throw new OperationCanceledException("killed"); } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(Dec15, dying));
        Assert.Equal(390.00m, Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem));
        bed.Today(Dec16);

        await bed.SyncAsync(Dec16);

        Assert.Equal(390.00m, Billed(bed, Jan15, bed.ContosoClient, bed.PremiumItem));
    }

    // The same, twice: the run is killed after HaloPSA saved the line at 13, Sherweb goes 13 -> 15 the same day, and the
    // next run (which writes both events at once) is killed too, both events unrecorded, no entry written.
    //  killed after HaloPSA saved the line at 15: 12-15 bills 15 seats (450.00) and neither change is due anything more:
    //    01-15 = 15 x 30.00 = 450.00. (The 10 -> 13 event, whose quantity the line no longer showed, was given
    //    +3 x 30.00 x 31/31: 540.00.)
    //  killed before that save: 12-15 bills 13 seats (390.00); the 13 -> 15 change is due +2 x 30.00 x 31/31 = 60.00:
    //    01-15 = 450.00 + 60.00 = 510.00.
    [Theory]
    [InlineData(true, 450.00, 450.00)]
    [InlineData(false, 390.00, 510.00)]
    public async Task Writes_of_one_day_that_reached_HaloPSA_without_entries_are_not_given_them_when_finished_after_the_invoice(
        bool secondWriteReachedHalo, double dec15, double jan15)
    {
        await using var bed = await ContosoChangedOn(Dec15, BillingMethod.PreBill);
        static void Die(string call)
        {
            if (call == "SaveRecurringInvoices")
            {
                throw new OperationCanceledException("killed");
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(Dec15, new InterceptedHalo(bed.HaloClient) { After = Die }));
        bed.Sherweb.ChangeQuantity(Premium, 15, Dec15);
        var second = secondWriteReachedHalo ? new InterceptedHalo(bed.HaloClient) { After = Die } : new InterceptedHalo(bed.HaloClient) { Before = Die };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(Dec15, second));
        Assert.Equal((decimal)dec15, Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem));
        bed.Today(Dec16);

        var finished = await bed.SyncAsync(Dec16);

        Assert.Equal(0, finished.Failed);
        Assert.Equal((decimal)jan15, Billed(bed, Jan15, bed.ContosoClient, bed.PremiumItem));
    }

    // HaloPSA refuses the 12-15 write; the 12-16 run retries after HaloPSA generated 12-15 at the old quantity.
    //  pre-bill: 12-15 billed [12-15, 01-15) at 10 (300.00), so +3 x 30.00 x 31/31 = 90.00 is due: 01-15 = 390 + 90 = 480.00.
    //  post-bill: 12-15 billed [11-15, 12-15) at 10 (300.00), right; the change is on the anchor (f = 0): 01-15 = 390.00.
    [Theory]
    [InlineData(BillingMethod.PreBill, 480.00)]
    [InlineData(BillingMethod.PostBill, 390.00)]
    public async Task A_refused_write_is_retried_for_the_date_HaloPSA_gives_then(BillingMethod method, double expected)
    {
        await using var bed = await ContosoChangedOn(Dec15, method);
        var refusing = new InterceptedHalo(bed.HaloClient)
        {
            Before = call => { if (call == "SaveRecurringInvoices") throw new HaloSyncException("HttpBadRequest", HaloSyncErrorKind.InvalidData, "refused"); },
        };
        await bed.SyncAsync(Dec15, refusing);
        Assert.Equal(SyncEventStatus.Failed, bed.Log().Single(e => e.Kind == SyncEventKind.ChangeQuantity).Status);
        Assert.Equal(300.00m, Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem));
        bed.Today(Dec16);

        await bed.SyncAsync(Dec16);

        Assert.Equal((decimal)expected, Billed(bed, Jan15, bed.ContosoClient, bed.PremiumItem));
    }

    // Post-bill, a line that starts on the invoice day, before HaloPSA generates that day's invoice: that invoice bills
    // the period before ([11-15, 12-15)) from the line, for seats the customer did not have (or HaloSync did not bill).
    //  a purchase of 4 on 12-15: 12-15 = 4 x 30.00 - 4 x 30.00 x 30/30 = 0.00; 01-15 = 4 x 30.00 = 120.00.
    //  a first sync on 12-15 (Contoso's 10 seats): 12-15 = 10 x 30.00 - 10 x 30.00 = 0.00; 01-15 = 300.00.
    //  Before: 12-15 billed 120.00 and 300.00 for the month before.
    [Fact]
    public async Task PostBill_a_purchase_on_the_invoice_day_before_HaloPSA_generates_bills_nothing_for_the_period_before()
    {
        await using var bed = await SyncTestBed.StartAsync(Method(BillingMethod.PostBill));
        var item = bed.Halo.Store.AddItem(new SimItem { Name = "Teams Phone", Baseprice = 30.00m, Costprice = 0m, SupplierPartCode = NewSku }).Id!.Value;
        bed.Sherweb.PutProduct(new SherwebProduct { Sku = NewSku, Name = "Teams Phone", Description = "Teams Phone", MonthlyListPrice = 8.00m, YearlyListPrice = 96.00m });
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(Dec15);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, NewSku, 4, purchaseDate: new DateTimeOffset(Dec15.AddHours(2), TimeSpan.Zero));

        await bed.SyncAsync(Dec15);

        Assert.Equal((0.00m, 120.00m), (Billed(bed, Dec15, bed.ContosoClient, item), Billed(bed, Jan15, bed.ContosoClient, item)));
    }

    // Fabrikam (3 seats at 30.00, first synced 11-16) is mapped to another client, Contoso Holdings, on 12-15. Each period
    // is billed once, whether the run comes before HaloPSA generates the 12-15 invoices or after (HaloPSA then generates
    // Holdings' new invoice, which starts 12-15, later that day):
    //  post-bill, before: Fabrikam's client bills [11-15, 12-15) from its ended line, +3 x 30.00 x 30/30 = 90.00; Holdings'
    //    line starts 12-15 and is credited the period before: 0.00; 01-15: 0.00 and 90.00. (Before the fix the ended line,
    //    inactive, billed nothing: 90.00 never billed.)
    //  post-bill, after: Fabrikam's 12-15 invoice bills [11-15, 12-15) at 3: 90.00; Holdings' 0.00; then 0.00 and 90.00.
    //  pre-bill, before: Fabrikam's ended line bills nothing more ([11-15, 12-15) was billed on 11-15); Holdings' first
    //    invoice, 12-15, bills [12-15, 01-15): 90.00; 01-15: 0.00 and 90.00.
    //  pre-bill, after: Fabrikam's 12-15 invoice bills [12-15, 01-15) at 3: 90.00, and so does Holdings' (it starts on
    //    12-15): Fabrikam is credited it on 01-15, -3 x 30.00 x 31/31 = -90.00. (Before the fix: billed twice.)
    [Theory]
    [InlineData(BillingMethod.PostBill, false, 90.00, 0.00, 0.00)]
    [InlineData(BillingMethod.PostBill, true, 90.00, 0.00, 0.00)]
    [InlineData(BillingMethod.PreBill, false, 0.00, 90.00, 0.00)]
    [InlineData(BillingMethod.PreBill, true, 90.00, 90.00, -90.00)]
    public async Task An_organization_mapped_to_another_client_on_the_invoice_day_is_billed_each_period_once(
        BillingMethod method, bool generatedFirst, double oldClientDec15, double newClientDec15, double oldClientJan15)
    {
        await using var bed = await SyncTestBed.StartAsync(Method(method));
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(Dec15);
        bed.MapOrganization(SherwebSampleData.Fabrikam, bed.HoldingsClient);
        var dec15 = generatedFirst ? bed.Halo.Store.GenerateInvoices(Dec15).ToList() : new List<SimInvoice>();

        var summary = await bed.SyncAsync(Dec15);

        Assert.Equal((0, 1), (summary.Failed, summary.EndedOnOldClient));
        dec15.AddRange(bed.GenerateDueInvoices(Dec15));
        decimal BilledTo(IEnumerable<SimInvoice> invoices, int client)
            => invoices.Where(i => i.ClientId == client).SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Sum(l => l.NetAmount ?? 0m);
        Assert.Equal(((decimal)oldClientDec15, (decimal)newClientDec15), (BilledTo(dec15, bed.FabrikamClient), BilledTo(dec15, bed.HoldingsClient)));
        bed.Today(Dec16);
        bed.Halo.Requests.Clear();
        Assert.Equal(0, (await bed.SyncAsync(Dec16)).Failed);
        Assert.Equal(0, bed.Writes());
        var jan15 = bed.Halo.Store.GenerateInvoices(Jan15);
        Assert.Equal(((decimal)oldClientJan15, 90.00m), (BilledTo(jan15, bed.FabrikamClient), BilledTo(jan15, bed.HoldingsClient)));
    }

    [Fact]
    public async Task PostBill_a_first_sync_on_the_invoice_day_before_HaloPSA_generates_bills_from_the_next_invoice()
    {
        await using var bed = await SyncTestBed.StartAsync(Method(BillingMethod.PostBill));
        bed.Today(Dec15);

        await bed.SyncAsync(Dec15);

        Assert.Equal((0.00m, 300.00m), (Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem), Billed(bed, Jan15, bed.ContosoClient, bed.PremiumItem)));
    }
}

