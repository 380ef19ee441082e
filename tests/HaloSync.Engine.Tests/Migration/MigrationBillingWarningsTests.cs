using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Migration;
using HaloSync.Engine.State;
using HaloSync.Engine.Tests.Sync;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Migration;

/// <summary>
/// What ending a legacy invoice would bill wrongly and the rows do not show is warned of before a cutover. Bed: invoice
/// day 15, pre-bill, Business Premium 30.00, Contoso 10 seats, HaloSync's first sync 2026-11-16 (its invoice generates
/// first on 2026-12-15); the legacy integration billed the same seats on its own monthly invoice.
/// </summary>
public sealed class MigrationBillingWarningsTests
{
    private static readonly DateTime Nov15 = new(2026, 11, 15);
    private static readonly DateTime Nov20 = new(2026, 11, 20);
    private static readonly DateTime Dec15 = new(2026, 12, 15);

    private static SimRecurringInvoice LegacyPremium(SyncTestBed bed, int seats, DateTime nextInvoice, List<SimProRata>? pending = null, SimInvoiceLine? otherLine = null)
    {
        var licence = bed.Halo.Store.AddLicence(new SimLicence
        {
            Type = 1, ClientId = bed.ContosoClient, Name = "Microsoft 365 Business Premium", ItemId = bed.PremiumItem, Count = seats, Price = 30.00m,
            BillingCycle = "Monthly", Status = "Active", IsActive = true, StartDate = new DateTime(2025, 3, 1),
        });
        return bed.Halo.Store.AddRecurringInvoice(new SimRecurringInvoice
        {
            ClientId = bed.ContosoClient, Reference = "Monthly Billing", IsRecurringInvoice = true, Period = 2,
            Startdate = new DateTime(2025, 3, nextInvoice.Day), Nextcreationdate = nextInvoice,
            Lines = new List<SimInvoiceLine>
            {
                new SimInvoiceLine
                {
                    ItemId = bed.PremiumItem, ItemShortdescription = "Microsoft 365 Business Premium", QtyOrder = seats, UnitPrice = 30.00m,
                    Startdate = new DateTime(2025, 3, nextInvoice.Day), QuantityLicences = new() { new SimLicenceLink { LicenceId = licence.Id, Kind = 1 } },
                    ProrataData = pending,
                },
            }.Concat(otherLine is null ? Array.Empty<SimInvoiceLine>() : new[] { otherLine }).ToList(),
        });
    }

    private static async Task<List<string>> WarningsAsync(SyncTestBed bed, DateTime asOf)
    {
        using var store = StateStore.Open(bed.StatePath);
        var mapping = new MappingRepository(store).FindOrganization(SherwebSampleData.Contoso.ToString("D"))!;
        var runner = new MigrationRunner(store, bed.HaloClient, (e, error) => bed.Failures.Add((e, error)), bed.Verbose.Add, () => bed.Halo.Clock.UtcNow);
        var review = await runner.ReviewAsync(mapping, asOf, false, default);
        Assert.Single(review.InvoicesToEnd);
        return review.BillingWarnings();
    }

    [Fact]
    public async Task A_legacy_invoice_on_HaloSyncs_day_with_nothing_pending_is_not_warned_of()
    {
        await using var bed = await SyncTestBed.StartAsync();
        LegacyPremium(bed, 10, Dec15);
        await bed.SyncAsync(SyncTestBed.FirstSync);

        Assert.Empty(await WarningsAsync(bed, Nov20));
    }

    // 10 -> 13 on 11-15 after the legacy invoice was generated: its line bills 13 with +3 x 30.00 (30/30) pending, 90.00
    // that HaloSync's first sync (no pro-rata) does not bill; ending the legacy invoice drops it.
    [Fact]
    public async Task Pro_rata_entries_not_invoiced_yet_on_a_legacy_line_are_named_with_what_they_are_worth()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Sherweb.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 13, Nov15);
        var legacy = LegacyPremium(bed, 13, Dec15, new List<SimProRata>
        {
            new() { Date = Nov15, Quantity = 3, Unitprice = 30.0000m, Unitcost = 22.0000m, Shortdescription = "Pro-rata +3", ProrataNextInvoice = true },
        });
        await bed.SyncAsync(SyncTestBed.FirstSync);

        var warning = Assert.Single(await WarningsAsync(bed, Nov20));

        Assert.Equal($"Contoso Ltd: legacy recurring invoice {legacy.Id} 'Monthly Billing' has 1 pro-rata entr(ies) not invoiced yet " +
                     "('Microsoft 365 Business Premium' +3 x 30.00), worth +90.00; ending it drops them. Bill or credit them by hand.", warning);
    }

    /// <summary>
    /// 10 -> 13 on 11-18, after HaloSync's first sync: the legacy line has +3 x 27.0000 pending and HaloSync's own line the
    /// same change (+3 x 27.0000, 11-18). The 12-15 invoice bills it from HaloSync's line; the warning no longer asks the
    /// admin to bill those 81.00 by hand (which billed them twice).
    /// </summary>
    [Fact]
    public async Task A_pending_legacy_entry_HaloSync_bills_too_is_not_named()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var nov18 = new DateTime(2026, 11, 18);
        LegacyPremium(bed, 13, Dec15, new List<SimProRata>
        {
            new() { Date = nov18, Quantity = 3, Unitprice = 27.0000m, Unitcost = 19.8000m, Shortdescription = "Pro-rata +3", ProrataNextInvoice = true },
        });
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(nov18);
        bed.Sherweb.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 13, nov18);
        await bed.SyncAsync(nov18);

        Assert.Empty(await WarningsAsync(bed, Nov20));
    }

    /// <summary>
    /// A legacy line for Acronis (9 x 10.00) was cancelled on 11-17: inactive, with a -9 x 9.3333 credit pending (-84.00).
    /// HaloPSA still invoices it; ending the legacy invoice drops it, so it is named (it was passed over: only active lines were read).
    /// </summary>
    [Fact]
    public async Task A_pending_entry_on_an_inactive_legacy_line_is_named()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var acronis = bed.Halo.Store.AddItem(new SimItem { Name = "Acronis Cyber Protect", Baseprice = 10.00m }).Id!.Value;
        var legacy = LegacyPremium(bed, 10, Dec15, otherLine: new SimInvoiceLine
        {
            ItemId = acronis, ItemShortdescription = "Acronis Cyber Protect", QtyOrder = 9, UnitPrice = 10.00m, Isinactive = true,
            Startdate = new DateTime(2025, 3, 15), Enddate = new DateTime(2026, 11, 17),
            ProrataData = new() { new() { Date = new DateTime(2026, 11, 17), Quantity = -9, Unitprice = 9.3333m, Shortdescription = "Cancelled", ProrataNextInvoice = true } },
        });
        await bed.SyncAsync(SyncTestBed.FirstSync);

        var warning = Assert.Single(await WarningsAsync(bed, Nov20));

        Assert.Equal($"Contoso Ltd: legacy recurring invoice {legacy.Id} 'Monthly Billing' has 1 pro-rata entr(ies) not invoiced yet " +
                     "('Acronis Cyber Protect' -9 x 9.3333), worth -84.00; ending it drops them. Bill or credit them by hand.", warning);
    }

    [Fact]
    public async Task A_legacy_invoice_on_another_day_than_HaloSyncs_is_named_with_both_dates()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var legacy = LegacyPremium(bed, 10, new DateTime(2026, 12, 1));
        await bed.SyncAsync(SyncTestBed.FirstSync);

        var warning = Assert.Single(await WarningsAsync(bed, Nov20));

        Assert.StartsWith($"Contoso Ltd: legacy recurring invoice {legacy.Id} 'Monthly Billing' generates next on 2026-12-01 and HaloSync's on 2026-12-15: " +
                          "around the cutover the days between are billed twice or by neither.", warning);
    }

    // Both invoices generated on 12-15: [12-15, 01-15) is billed twice (300.00 each) before any cutover.
    [Fact]
    public async Task A_period_both_invoices_generated_on_the_same_day_is_named_as_billed_twice()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var legacy = LegacyPremium(bed, 10, Dec15);
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var billed = bed.GenerateDueInvoices(Dec15).Where(i => i.ClientId == bed.ContosoClient)
            .SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Where(l => l.ItemId == bed.PremiumItem).Sum(l => l.NetAmount ?? 0m);
        Assert.Equal(600.00m, billed);
        bed.Today(Dec15);

        var warning = Assert.Single(await WarningsAsync(bed, Dec15));

        Assert.Equal($"Contoso Ltd: legacy recurring invoice {legacy.Id} 'Monthly Billing' and HaloSync's recurring invoice both generated on 2026-12-15: " +
                     "the period they bill is billed twice. Credit one of them by hand.", warning);
    }

    // The cutover left until 01-20: both invoices generated on 12-15 and 01-15, two periods billed twice (600.00 too much).
    [Fact]
    public async Task Every_period_both_invoices_generated_is_counted()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var legacy = LegacyPremium(bed, 10, Dec15);
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var jan15 = new DateTime(2027, 1, 15);
        var billed = bed.GenerateDueInvoices(Dec15).Concat(bed.GenerateDueInvoices(jan15)).Where(i => i.ClientId == bed.ContosoClient)
            .SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Where(l => l.ItemId == bed.PremiumItem).Sum(l => l.NetAmount ?? 0m);
        Assert.Equal(1200.00m, billed);
        var jan20 = new DateTime(2027, 1, 20);
        bed.Today(jan20);

        var warning = Assert.Single(await WarningsAsync(bed, jan20));

        Assert.Equal($"Contoso Ltd: legacy recurring invoice {legacy.Id} 'Monthly Billing' and HaloSync's recurring invoice both generated on each invoice day " +
                     "from 2026-12-15 to 2027-01-15: 2 periods are billed twice. Credit one invoice of each by hand.", warning);
    }

    // Post-bill, HaloSync's first sync on 12-15 before HaloPSA generates: its new line carries -10 x 30.00 (30/30) for the
    // period before it, so on 12-15 the legacy invoice bills [11-15, 12-15) 300.00 and HaloSync's 0.00: billed once, no
    // warning (crediting one invoice as told left the period billed 0.00). Left until 01-20, the 01-15 invoices both bill
    // [12-15, 01-15): that one period is named.
    [Fact]
    public async Task Post_bill_a_first_sync_on_the_invoice_day_does_not_make_that_day_s_period_billed_twice()
    {
        await using var bed = await SyncTestBed.StartAsync(s => s.BillingMethod = BillingMethod.PostBill, today: Dec15);
        var legacy = LegacyPremium(bed, 10, Dec15);
        await bed.SyncAsync(Dec15);
        decimal Premium(IEnumerable<SimInvoice> generated, bool haloSync) => generated.Where(i => i.ClientId == bed.ContosoClient && (i.Reference == "HaloSync") == haloSync)
            .SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Where(l => l.ItemId == bed.PremiumItem).Sum(l => l.NetAmount ?? 0m);
        var december = bed.GenerateDueInvoices(Dec15);
        Assert.Equal((300.00m, 0.00m), (Premium(december, haloSync: false), Premium(december, haloSync: true)));
        var dec20 = new DateTime(2026, 12, 20);
        bed.Today(dec20);

        Assert.Empty(await WarningsAsync(bed, dec20));

        var jan15 = new DateTime(2027, 1, 15);
        var january = bed.GenerateDueInvoices(jan15);
        Assert.Equal((300.00m, 300.00m), (Premium(january, haloSync: false), Premium(january, haloSync: true)));
        var jan20 = new DateTime(2027, 1, 20);
        bed.Today(jan20);
        Assert.Equal($"Contoso Ltd: legacy recurring invoice {legacy.Id} 'Monthly Billing' and HaloSync's recurring invoice both generated on 2027-01-15: " +
                     "the period they bill is billed twice. Credit one of them by hand.", Assert.Single(await WarningsAsync(bed, jan20)));
    }

    // Post-bill, HaloSync's first sync on 11-16 (not an invoice day), and a purchase on 12-15 whose line starts that day:
    // both invoices bill [11-15, 12-15) on 12-15 and [12-15, 01-15) on 01-15 (300.00 each time). Two periods are billed
    // twice; the line started on HaloSync's first invoice day is not a first sync on it.
    [Fact]
    public async Task Post_bill_a_line_started_on_HaloSyncs_first_invoice_day_does_not_hide_a_period_billed_twice()
    {
        await using var bed = await SyncTestBed.StartAsync(s => s.BillingMethod = BillingMethod.PostBill);
        var legacy = LegacyPremium(bed, 10, Dec15);
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(Dec15);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, SherwebSampleData.ExchangeSku, 2, purchaseDate: new DateTimeOffset(Dec15.AddHours(9), TimeSpan.Zero));
        Assert.Equal(0, (await bed.SyncAsync(Dec15)).Failed);
        var jan15 = new DateTime(2027, 1, 15);
        var generated = bed.GenerateDueInvoices(Dec15).Concat(bed.GenerateDueInvoices(jan15)).Where(i => i.ClientId == bed.ContosoClient)
            .SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Where(l => l.ItemId == bed.PremiumItem).Sum(l => l.NetAmount ?? 0m);
        Assert.Equal(1200.00m, generated);
        var jan20 = new DateTime(2027, 1, 20);
        bed.Today(jan20);

        Assert.Equal($"Contoso Ltd: legacy recurring invoice {legacy.Id} 'Monthly Billing' and HaloSync's recurring invoice both generated on each invoice day " +
                     "from 2026-12-15 to 2027-01-15: 2 periods are billed twice. Credit one invoice of each by hand.", Assert.Single(await WarningsAsync(bed, jan20)));
    }
}
