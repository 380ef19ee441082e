using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Migration;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Tests.Migration;

/// <summary>
/// How legacy records are told from HaloSync's, how they pair, and what a cutover may end, on records built by hand.
/// Client 12, on 2026-11-20. HaloSync's: licence 101 (known by its id in the links only), licence 102 (known by its key),
/// invoice -1 with its line 11 (marker). Legacy: licences 201 to 203, invoice -2 "Monthly Billing" (Business Premium
/// and a backup line), invoice -3 "Support" (managed services only).
/// </summary>
public sealed class MigrationReviewTests
{
    private const int Client = 12;
    private static readonly DateTime Today = new(2026, 11, 20);
    private static readonly OrganizationMapping Contoso = new() { OrganizationId = "org-1", Name = "Contoso Ltd", HaloClientId = Client, HaloClientName = "Contoso Ltd", SyncEnabled = true };

    private static HaloLinks Links()
    {
        var links = new HaloLinks();
        links.Set(Client, "sub-a", HaloEntity.SoftwareLicence, 101);
        links.Set(Client, "sub-a", HaloEntity.InvoiceLine, 11, -1);
        links.Set(Client, HaloKeys.InvoiceLinkKey, HaloEntity.RecurringInvoice, -1);
        links.Set(99, "sub-z", HaloEntity.SoftwareLicence, 203); // another client's id says nothing about this one
        return links;
    }

    private static List<HaloLicence> Licences() => new()
    {
        new() { Id = 101, ClientId = Client, Name = "M365 Business Premium", ItemId = 1, Count = 12, Price = 30.00m, ExternalKey = null, IsActive = true },
        new() { Id = 102, ClientId = Client, Name = "Exchange Online (Plan 1)", ItemId = 2, Count = 5, Price = 6.50m, ExternalKey = "halosync:sub-b", IsActive = true },
        new() { Id = 201, ClientId = Client, Name = "Microsoft 365 Business Premium", ItemId = 1, Count = 10, Price = 30.00m, IsActive = true },
        new() { Id = 202, ClientId = Client, Name = "Exchange Online", ItemId = 2, Count = 5, Price = 6.00m, ExternalKey = "snow-123" },
        new() { Id = 203, ClientId = Client, Name = "Domain renewal", Count = 1, Price = 20.00m, IsActive = true },
        new() { Id = 204, ClientId = Client, Name = "Old antivirus", ItemId = 7, Count = 8, Price = 3.00m, IsActive = false },
    };

    private static List<HaloRecurringInvoice> Invoices() => new()
    {
        new()
        {
            Id = -1, ClientId = Client, Reference = "HaloSync", Lines = new()
            {
                new() { Id = 11, ItemId = 1, ShortDescription = "Microsoft 365 Business Premium", LongDescription = "Microsoft 365 Business Premium [halosync:sub-a]", Quantity = 12.0m, UnitPrice = 30.00m },
                new() { Id = 13, ItemId = 8, ShortDescription = "Onboarding fee", Quantity = 1m, UnitPrice = 99.00m },
                new() { Id = 14, ItemId = 3, ShortDescription = "Teams", LongDescription = "Teams [halosync:sub-c]", Quantity = 0m, UnitPrice = 5.00m, IsInactive = true },
            },
        },
        new()
        {
            Id = -2, ClientId = Client, Reference = "Monthly Billing", Lines = new()
            {
                new() { Id = 21, ItemId = 1, ShortDescription = "Microsoft 365 Business Premium", Quantity = 10m, UnitPrice = 30.00m, LicenceLinks = new() { new() { LicenceId = 201 } } },
                new() { Id = 22, ItemId = 5, ShortDescription = "Backup", Quantity = 4m, UnitPrice = 12.50m },
                new() { Id = 23, ItemId = 6, ShortDescription = "Old line", Quantity = 2m, UnitPrice = 1.00m, EndDate = Today },
            },
        },
        new()
        {
            Id = -3, ClientId = Client, Reference = "Support", Lines = new()
            {
                new() { Id = 31, ItemId = -1, ShortDescription = "Managed services", Quantity = 1m, UnitPrice = 150.00m },
            },
        },
        new()
        {
            Id = -4, ClientId = Client, Reference = "Ended long ago", Disabled = true, Lines = new()
            {
                new() { Id = 41, ItemId = 1, ShortDescription = "Microsoft 365 Business Premium", Quantity = 3m, UnitPrice = 30.00m },
            },
        },
    };

    private static MigrationReview Review(IEnumerable<HaloLicence>? licences = null, IEnumerable<HaloRecurringInvoice>? invoices = null, bool remove = false)
        => MigrationReview.Compare(Contoso, LegacyRecords.Classify(Client, licences ?? Licences(), invoices ?? Invoices(), Links(), Today), Today, remove, BillingMethod.PreBill);

    [Fact]
    public void HaloSyncs_records_are_known_by_their_id_in_the_links_or_their_key_and_everything_else_active_is_legacy()
    {
        var records = LegacyRecords.Classify(Client, Licences(), Invoices(), Links(), Today);

        Assert.Equal(new[] { 101, 102 }, records.HaloSyncLicences.Select(l => l.Id));
        Assert.Equal(new[] { 201, 202, 203 }, records.LegacyLicences.Select(l => l.Id)); // 204 is inactive; another client's link to 203 does not count
        Assert.Equal(-1, records.HaloSyncInvoice!.Id);
        Assert.Equal(new[] { 11 }, records.HaloSyncLines.Select(l => l.Line.Id)); // 14 is inactive
        Assert.Equal(new[] { -2, -3 }, records.LegacyInvoices.Select(i => i.Id)); // -4 is disabled
        Assert.Equal(new[] { 21, 22, 31 }, records.LegacyLines.Select(l => l.Line.Id)); // 23 ends today
        Assert.Equal(new[] { 13 }, records.OtherLinesOnHaloSyncInvoice.Select(l => l.Line.Id)); // added by hand to HaloSync's invoice
    }

    [Fact]
    public void An_invoice_holding_a_line_of_HaloSyncs_is_never_legacy_whatever_its_reference()
    {
        // Someone copied HaloSync's line 61 (its marker included) onto an old invoice next to a line of their own.
        var invoices = Invoices();
        invoices.Add(new HaloRecurringInvoice
        {
            Id = -6, ClientId = Client, Reference = "Old copy", Lines = new()
            {
                new() { Id = 61, ItemId = 1, ShortDescription = "Microsoft 365 Business Premium", LongDescription = "Copied [halosync:sub-a]", Quantity = 12m, UnitPrice = 30.00m },
                new() { Id = 62, ItemId = 9, ShortDescription = "Printing", Quantity = 1m, UnitPrice = 40.00m },
            },
        });

        var records = LegacyRecords.Classify(Client, Licences(), invoices, Links(), Today);

        Assert.DoesNotContain(records.LegacyInvoices, i => i.Id == -6);
        Assert.Contains(records.HaloSyncLines, l => l.Line.Id == 61);
        Assert.DoesNotContain(records.LegacyLines, l => l.Line.Id == 62);
        Assert.Equal(new[] { 13, 62 }, records.OtherLinesOnHaloSyncInvoice.Select(l => l.Line.Id).OrderBy(id => id)); // 13 on HaloSync's invoice, 62 on the copy
    }

    [Fact]
    public void Each_record_is_paired_by_item_then_name_and_compared_with_the_monthly_totals_of_both()
    {
        var review = Review();

        var rows = review.Items.Select(i => (i.Record, i.Name, i.Status, i.LegacyId, i.HaloSyncId, i.Cutover)).ToList();
        Assert.Equal(new[]
        {
            (MigrationRecordKind.Subscription, "Domain renewal", MigrationMatch.OnlyInLegacy, (int?)203, (int?)null, MigrationAction.LeaveAlone),
            (MigrationRecordKind.Subscription, "Exchange Online (Plan 1)", MigrationMatch.PriceDifferent, 202, 102, MigrationAction.Deactivate),
            (MigrationRecordKind.Subscription, "M365 Business Premium", MigrationMatch.QuantityDifferent, 201, 101, MigrationAction.Deactivate),
            (MigrationRecordKind.Line, "Backup", MigrationMatch.OnlyInLegacy, 22, null, MigrationAction.NotCovered),
            (MigrationRecordKind.Line, "Managed services", MigrationMatch.OnlyInLegacy, 31, null, MigrationAction.LeaveAlone),
            (MigrationRecordKind.Line, "Microsoft 365 Business Premium", MigrationMatch.QuantityDifferent, 21, 11, MigrationAction.EndInvoice),
        }, rows);
        // Legacy lines: 10 x 30.00 = 300.00, 4 x 12.50 = 50.00, 1 x 150.00 = 150.00 -> 500.00, of which the cutover ends only line 21's 300.00
        // (the backup line must move elsewhere, the managed services bill on). HaloSync's: 12 x 30.00 = 360.00, so +60.00 per period.
        Assert.Equal((500.00m, 300.00m, 360.00m), (review.LegacyMonthlyTotal, review.LegacyMonthlyToEnd, review.HaloSyncMonthlyTotal));
        var summary = review.Summary(MigrationOutcome.Validated);
        Assert.Equal((0, 2, 1, 0, 3, 0), (summary.Matched, summary.QuantityDifferent, summary.PriceDifferent, summary.BothDifferent, summary.OnlyInLegacy, summary.OnlyInHaloSync));
        Assert.Equal((500.00m, 300.00m, 360.00m, 60.00m), (summary.LegacyMonthlyTotal, summary.LegacyMonthlyToEnd, summary.HaloSyncMonthlyTotal, summary.MonthlyChange));
        Assert.Contains("the customer is billed 560.00 per period instead of 500.00 (+60.00)", review.ChangeWarning());
        Assert.Equal((2, 1, 1, 1, false), (summary.SubscriptionsToDeactivate, summary.InvoicesToEnd, summary.NotCovered, summary.OtherLinesOnHaloSyncInvoice, summary.ReadyForCutover));
        Assert.Equal("12", review.Items.Single(i => i.HaloSyncId == 11).HaloSyncQuantity!.Value.ToString(CultureInfo.InvariantCulture)); // HaloPSA's 12.0 reads as 12
    }

    [Fact]
    public void A_cutover_ends_only_invoices_that_bill_something_of_HaloSyncs_and_refuses_while_one_has_a_line_nothing_covers()
    {
        var review = Review();

        Assert.Equal(new[] { 201, 202 }, review.LicencesToDeactivate.Select(l => l.Id));
        Assert.Equal(new[] { -2 }, review.InvoicesToEnd.Select(i => i.Id)); // -3 shares nothing with HaloSync: left alone
        var refusal = review.Refusal()!;
        Assert.Equal("MigrationNotCovered", refusal.ErrorId);
        Assert.Contains("recurring invoice -2 'Monthly Billing' has 1 line(s) HaloSync does not bill: 'Backup' (4 x 12.50)", refusal.Message);
        Assert.Contains("Nothing was written", refusal.Message);

        var moved = Invoices();
        var backup = moved[1].Lines!.Single(l => l.Id == 22);
        moved[1].Lines!.Remove(backup);
        moved[2].Lines!.Add(backup); // the admin moves the backup line to the support invoice
        var ready = Review(invoices: moved);
        Assert.Null(ready.Refusal());
        Assert.True(ready.ReadyForCutover);
        Assert.Equal(MigrationAction.LeaveAlone, ready.Items.Single(i => i.LegacyId == 22).Cutover);
        Assert.Equal(new[] { -2 }, ready.InvoicesToEnd.Select(i => i.Id));
    }

    [Fact]
    public void With_RemoveLegacyInvoice_the_covered_lines_go_with_their_deleted_invoice()
    {
        var moved = Invoices();
        moved[1].Lines!.RemoveAll(l => l.Id == 22);

        var review = Review(invoices: moved, remove: true);

        Assert.Equal(MigrationAction.RemoveInvoice, review.Items.Single(i => i.LegacyId == 21).Cutover);
        Assert.Equal(new[] { -2 }, review.InvoicesToEnd.Select(i => i.Id));
    }

    [Fact]
    public void A_legacy_line_billing_a_subscription_the_cutover_deactivates_puts_its_invoice_in_the_cutover_even_when_nothing_pairs_it()
    {
        // The legacy line has its own item and name, so nothing of HaloSync's pairs with it; it bills licence 201, which is deactivated.
        var invoices = new List<HaloRecurringInvoice>
        {
            Invoices()[0],
            new()
            {
                Id = -5, ClientId = Client, Reference = "Old integration", Lines = new()
                {
                    new() { Id = 51, ItemId = 40, ShortDescription = "O365 BP (monthly)", Quantity = 10m, UnitPrice = 30.00m, LicenceLinks = new() { new() { LicenceId = 201 } } },
                },
            },
        };

        var review = Review(invoices: invoices);

        Assert.Equal(new[] { -5 }, review.InvoicesToEnd.Select(i => i.Id));
        Assert.Equal(MigrationAction.NotCovered, review.Items.Single(i => i.LegacyId == 51).Cutover);
        Assert.Equal("MigrationNotCovered", review.Refusal()!.ErrorId);
    }

    /// <summary>
    /// A line whose quantity HaloPSA takes from its linked subscription (type 1) bills that subscription's seats, not
    /// its own quantity: legacy line 21 stores 1 but bills licence 201's 10 seats, 10 x 30.00 = 300.00 (as before).
    /// </summary>
    [Fact]
    public void A_legacy_line_that_takes_its_quantity_from_its_subscription_is_compared_by_the_seats_it_bills()
    {
        var invoices = Invoices();
        var line = invoices[1].Lines!.Single(l => l.Id == 21);
        (line.Quantity, line.QuantityType) = (1m, 1);

        var review = Review(invoices: invoices);

        var row = review.Items.Single(i => i.LegacyId == 21);
        Assert.Equal((10m, 300.00m, MigrationMatch.QuantityDifferent), (row.LegacyQuantity!.Value, row.LegacyMonthly!.Value, row.Status));
        Assert.Equal((300.00m, 60.00m), (review.LegacyMonthlyToEnd, review.Summary(MigrationOutcome.Validated).MonthlyChange));
    }

    /// <summary>
    /// Legacy invoice -2 generated every period 3, not monthly (2): its 10 x 30.00 is not a monthly amount, so it is
    /// left out of the monthly totals, and a cutover refuses to end it (it may have billed months ahead).
    /// </summary>
    [Fact]
    public void A_legacy_invoice_that_is_not_monthly_is_left_out_of_the_monthly_totals_and_a_cutover_refuses_to_end_it()
    {
        var invoices = Invoices();
        invoices[1].Lines!.RemoveAll(l => l.Id == 22);
        invoices[1].Period = 3;

        var review = Review(invoices: invoices);

        Assert.Null(review.Items.Single(i => i.LegacyId == 21).LegacyMonthly);
        Assert.Equal((150.00m, 0m), (review.LegacyMonthlyTotal, review.LegacyMonthlyToEnd));
        Assert.Equal(new[] { -2 }, review.NotMonthly.Select(i => i.Id));
        var summary = review.Summary(MigrationOutcome.Validated);
        Assert.Equal((1, false), (summary.InvoicesNotMonthly, summary.ReadyForCutover));
        var refusal = review.Refusal()!;
        Assert.Equal("MigrationNotMonthly", refusal.ErrorId);
        Assert.Contains("recurring invoice -2 'Monthly Billing' is generated every period 3, not monthly (2)", refusal.Message);
        Assert.Contains("Nothing was written", refusal.Message);

        invoices[1].Period = 2;
        Assert.True(Review(invoices: invoices).ReadyForCutover);
    }

    /// <summary>
    /// A line added by hand to HaloSync's invoice takes its seats from legacy subscription 202, which HaloSync's 102
    /// would replace: a cutover never ends HaloSync's invoice, so that line bills on, and 202 is left active for it.
    /// </summary>
    [Fact]
    public void A_legacy_subscription_a_line_on_HaloSyncs_invoice_still_bills_is_not_deactivated()
    {
        var invoices = Invoices();
        invoices[0].Lines!.Add(new() { Id = 15, ItemId = 2, ShortDescription = "Exchange Online (annual)", Quantity = 5m, UnitPrice = 6.00m, QuantityType = 1,
            LicenceLinks = new() { new() { LicenceId = 202 } } });

        var review = Review(invoices: invoices);

        Assert.Equal(new[] { 201 }, review.LicencesToDeactivate.Select(l => l.Id));
        Assert.Equal(MigrationAction.LeaveAlone, review.Items.Single(i => i.Record == MigrationRecordKind.Subscription && i.LegacyId == 202).Cutover);
        Assert.Equal(2, review.Summary(MigrationOutcome.Validated).OtherLinesOnHaloSyncInvoice);
    }

    [Fact]
    public void Lines_of_one_item_pair_with_lines_of_the_same_size_and_names_pair_without_regard_to_case_or_spacing()
    {
        var invoices = new List<HaloRecurringInvoice>
        {
            new()
            {
                Id = -1, ClientId = Client, Reference = "HaloSync", Lines = new()
                {
                    new() { Id = 11, ItemId = 1, ShortDescription = "Business Premium", LongDescription = "[halosync:sub-a]", Quantity = 10m, UnitPrice = 30m },
                    new() { Id = 12, ItemId = 1, ShortDescription = "Business Premium", LongDescription = "[halosync:sub-b]", Quantity = 5m, UnitPrice = 30m },
                    new() { Id = 13, ItemId = 4, ShortDescription = "Microsoft 365 E3", LongDescription = "[halosync:sub-c]", Quantity = 7m, UnitPrice = 45m },
                    new() { Id = 14, ItemId = 6, ShortDescription = "Defender", LongDescription = "[halosync:sub-d]", Quantity = 3m, UnitPrice = 3.75m },
                },
            },
            new()
            {
                Id = -2, ClientId = Client, Reference = "Legacy", Lines = new()
                {
                    new() { Id = 21, ItemId = 1, ShortDescription = "BP annual", Quantity = 5m, UnitPrice = 30m },
                    new() { Id = 22, ItemId = 1, ShortDescription = "BP monthly", Quantity = 10m, UnitPrice = 30m },
                    new() { Id = 23, ItemId = 9, ShortDescription = " microsoft  365 E3 ", Quantity = 7m, UnitPrice = 42m },
                    new() { Id = 24, ItemId = -1, ShortDescription = "Antivirus", Quantity = 3m, UnitPrice = 3.75m },
                },
            },
        };

        var review = Review(licences: Array.Empty<HaloLicence>(), invoices: invoices);

        var pairs = review.Items.Select(i => (i.LegacyId, i.HaloSyncId, i.Status)).OrderBy(p => p.LegacyId ?? 100 + p.HaloSyncId).ToList();
        Assert.Equal(new[]
        {
            ((int?)21, (int?)12, MigrationMatch.Matched), // same item: the 5 seats pair with the 5 seats, though ids cross
            (22, 11, MigrationMatch.Matched),
            (23, 13, MigrationMatch.PriceDifferent), // another item, the same name once case and spacing are ignored
            (24, null, MigrationMatch.OnlyInLegacy), // no item, another name: the same quantity and price are not enough
            (null, 14, MigrationMatch.OnlyInHaloSync),
        }, pairs);
    }

    [Fact]
    public void Quantity_and_price_both_different_is_its_own_status_and_the_totals_say_what_switching_changes()
    {
        var invoices = new List<HaloRecurringInvoice>
        {
            new() { Id = -1, ClientId = Client, Reference = "HaloSync", Lines = new() { new() { Id = 11, ItemId = 1, ShortDescription = "BP", LongDescription = "[halosync:sub-a]", Quantity = 3m, UnitPrice = 30.00m } } },
            new() { Id = -2, ClientId = Client, Reference = "Legacy", Lines = new() { new() { Id = 21, ItemId = 1, ShortDescription = "BP", Quantity = 2m, UnitPrice = 28.00m } } },
        };

        var review = Review(licences: Array.Empty<HaloLicence>(), invoices: invoices);

        Assert.Equal(MigrationMatch.BothDifferent, Assert.Single(review.Items).Status);
        // Legacy 2 x 28.00 = 56.00; HaloSync 3 x 30.00 = 90.00; +34.00 per period.
        Assert.Equal((56.00m, 90.00m, 34.00m), (review.LegacyMonthlyTotal, review.HaloSyncMonthlyTotal, review.Summary(MigrationOutcome.Validated).MonthlyChange));
        Assert.Contains("after the cutover the customer is billed 90.00 per period instead of 56.00 (+34.00): HaloSync's lines bill 90.00 where the legacy lines it ends bill 56.00",
            review.ChangeWarning());
        Assert.Null(review.Refusal());
    }

    [Fact]
    public void Without_anything_of_HaloSyncs_the_client_cannot_be_cut_over()
    {
        var review = Review(licences: Licences().Where(l => l.Id > 200), invoices: Invoices().Skip(1));

        Assert.False(review.Records.HasHaloSyncRecords);
        Assert.False(review.ReadyForCutover);
        Assert.Equal("MigrationNothingSynced", review.Refusal()!.ErrorId);
        Assert.All(review.Items, i => Assert.Equal(MigrationMatch.OnlyInLegacy, i.Status));
    }

    [Theory]
    [InlineData("3", "0.3333", "1.00")]   // 0.9999 -> 1.00
    [InlineData("2.5", "0.125", "0.31")]  // 0.3125 -> 0.31
    [InlineData("1", "0.005", "0.01")]    // half away from zero, not to even
    [InlineData("1", "-0.005", "-0.01")]
    [InlineData("12.0", "27.50", "330.00")]
    public void A_line_bills_its_quantity_times_its_unit_price_in_cents_half_away_from_zero(string quantity, string price, string expected)
        => Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture),
            Money.LineAmount(decimal.Parse(quantity, CultureInfo.InvariantCulture), decimal.Parse(price, CultureInfo.InvariantCulture)));
}
