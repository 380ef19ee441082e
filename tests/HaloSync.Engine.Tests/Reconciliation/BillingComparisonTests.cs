using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Reconciliation;
using HaloSync.Engine.Tests.Sync;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Reconciliation;

/// <summary>
/// Compare-HaloBilling against both simulators, one scenario per status and per reason, every figure computed by hand.
/// The bed (<see cref="SyncTestBed"/>): Sherweb periods are calendar months, its performance tier is 10% and the cost
/// basis adds it back, so Business Premium costs 22.00 a seat (list 22.00, net 19.80) and sells at 30.00; Exchange costs
/// 4.00 a month or 48.00 a year (net 3.60 and 43.20) and sells at 6.00. Contoso holds 10 Business Premium seats, Fabrikam
/// 3, both since June; HaloPSA invoices on the 15th, pre-bill. A full month's line costs seats x unit cost; a line from a
/// change is prorated as Sherweb prorates it: unit cost x netPriceProrated / netPrice, netPriceProrated = net x days left / 30.
/// </summary>
public sealed class BillingComparisonTests
{
    private const string Contoso = "Contoso Ltd";
    private const string Fabrikam = "Fabrikam, Inc.";
    private const string Premium = SherwebSampleData.BusinessPremiumSku;
    private const string Exchange = SherwebSampleData.ExchangeSku;
    private static readonly DateTime Nov16 = SyncTestBed.FirstSync;
    private static readonly DateTime Nov20 = new(2026, 11, 20);
    private static readonly DateTime Dec15 = new(2026, 12, 15);

    [Fact]
    public async Task After_a_sync_every_seat_is_billed_at_a_margin_and_the_totals_add_up()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);

        var report = await bed.CompareAsync(Nov16);

        Assert.Equal((new DateTime(2026, 11, 1), new DateTime(2026, 11, 30), BillingSource.Scheduled), (report.PeriodFrom, report.PeriodTo, report.Source));
        // Contoso: 10 seats x 22.00 = 220.00 for November; billed 10 x 30.00 = 300.00; margin 80.00.
        var contoso = Row(report, Contoso, Premium);
        Assert.Equal((BillingStatus.Ok, (UnbilledReason?)null), (contoso.Status, contoso.Reason));
        Assert.Equal((10m, 220.00m, 22.00m, 10m, 30.00m, 300.00m, 80.00m, 0.00m), Money(contoso));
        Assert.Equal((bed.ContosoClient, "Contoso Ltd", 1, 0), (contoso.HaloClientId!.Value, contoso.HaloClient, contoso.HaloSyncLines, contoso.LegacyLines));
        // Fabrikam: 3 x 22.00 = 66.00; 3 x 30.00 = 90.00; margin 24.00.
        Assert.Equal((3m, 66.00m, 22.00m, 3m, 30.00m, 90.00m, 24.00m, 0.00m), Money(Row(report, Fabrikam, Premium)));
        // Contoso's yearly Exchange renews in June: Sherweb charges nothing for it in November, so it is not compared.
        Assert.Equal(2, report.Rows.Count);
        // Cost 220.00 + 66.00 = 286.00; billed 300.00 + 90.00 = 390.00; margin 104.00.
        Assert.Equal((286.00m, 390.00m, 104.00m, 0.00m, 2), (report.Cost, report.Billed, report.Margin, report.Leakage, report.Ok));
        var totals = report.ByOrganization.Single(o => o.Organization == Contoso);
        Assert.Equal((1, 0, 220.00m, 300.00m, 80.00m, 0.00m), (totals.Products, totals.Issues, totals.Cost, totals.Billed, totals.Margin, totals.Leakage));
        Assert.Equal("220.00", contoso.SherwebCost.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_change_not_synced_yet_is_a_quantity_mismatch_and_the_sync_clears_it()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);
        bed.Today(Nov20);
        bed.Sherweb.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 12, Nov20);

        var before = Row(await bed.CompareAsync(Nov20), Contoso, Premium);

        // Sherweb: 10 for the month (220.00) and +2 from the 20th, 11 days of 30: net 19.80 x 11/30 = 7.26 a seat, so
        // 2 x 22.00 x 7.26 / 19.80 = 16.1333 -> 16.13; cost 236.13 for 12 seats at the period end.
        // HaloPSA still bills 10 x 30.00 = 300.00: margin 300.00 - 236.13 = 63.87; the 2 missing seats leak 2 x 22.00 = 44.00.
        Assert.Equal(BillingStatus.QuantityMismatch, before.Status);
        Assert.Equal((12m, 236.13m, 22.00m, 10m, 30.00m, 300.00m, 63.87m, 44.00m), Money(before));
        Assert.Contains("Sherweb charges 12 at the period end; HaloPSA line(s)", before.Detail);

        await bed.SyncAsync(Nov20);
        var after = Row(await bed.CompareAsync(Nov20), Contoso, Premium);

        // The line bills 12 x 30.00 = 360.00 against the same 236.13: margin 123.87 (HaloPSA's pro-rata for the change is on the next invoice).
        Assert.Equal(BillingStatus.Ok, after.Status);
        Assert.Equal((12m, 236.13m, 22.00m, 12m, 30.00m, 360.00m, 123.87m, 0.00m), Money(after));
    }

    [Fact]
    public async Task A_price_below_cost_is_a_negative_margin_with_the_loss_as_leakage()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);
        using (var admin = bed.Admin())
        {
            await admin.SaveItemsAsync(new[] { new HaloItem { Id = bed.PremiumItem, BasePrice = 20.00m } });
        }

        await bed.SyncAsync(Nov16);
        var report = await bed.CompareAsync(Nov16);

        // 10 x 20.00 = 200.00 against 220.00: margin -20.00, lost (22.00 - 20.00) x 10 = 20.00. Fabrikam: 60.00 - 66.00 = -6.00, lost 2.00 x 3 = 6.00.
        var contoso = Row(report, Contoso, Premium);
        Assert.Equal(BillingStatus.NegativeMargin, contoso.Status);
        Assert.Equal((10m, 220.00m, 22.00m, 10m, 20.00m, 200.00m, -20.00m, 20.00m), Money(contoso));
        Assert.Equal("The unit price 20.00 is below Sherweb's unit cost 22.00", contoso.Detail.Substring(0, 55));
        Assert.Equal((3m, 66.00m, 22.00m, 3m, 20.00m, 60.00m, -6.00m, 6.00m), Money(Row(report, Fabrikam, Premium)));
        Assert.Equal((286.00m, 260.00m, -26.00m, 26.00m, 2), (report.Cost, report.Billed, report.Margin, report.Leakage, report.NegativeMargin));
    }

    [Fact]
    public async Task A_legacy_line_for_the_same_product_and_client_is_double_billing_and_lines_of_other_items_are_not_compared()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);
        var support = bed.Halo.Store.AddItem(new SimItem { Name = "Support hours", Baseprice = 90m }).Id!.Value;
        using (var admin = bed.Admin())
        {
            await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice
            {
                ClientId = bed.ContosoClient,
                Reference = "Sherweb (old integration)",
                Lines = new List<HaloInvoiceLine>
                {
                    new() { ItemId = bed.PremiumItem, ShortDescription = "M365 Business Premium", Quantity = 10, UnitPrice = 28.00m, StartDate = new DateTime(2026, 6, 19) },
                    new() { ItemId = support, ShortDescription = "Support", Quantity = 4, UnitPrice = 90m },
                },
            });
        }

        var report = await bed.CompareAsync(Nov16);

        // HaloSync's 10 x 30.00 = 300.00 and the old integration's 10 x 28.00 = 280.00: 20 seats billed for 10, 580.00 against
        // 220.00 (margin 360.00); the average price is 580.00 / 20 = 29.00. The customer pays twice: nothing leaks.
        var contoso = Row(report, Contoso, Premium);
        Assert.Equal(BillingStatus.DoubleBilled, contoso.Status);
        Assert.Equal((10m, 220.00m, 22.00m, 20m, 29.00m, 580.00m, 360.00m, 0.00m), Money(contoso));
        Assert.Equal((1, 1), (contoso.HaloSyncLines, contoso.LegacyLines));
        Assert.Matches(@"^Billed twice: HaloSync line\(s\) \d+ and legacy line\(s\) \d+ \(recurring invoice -\d+\) bill 20 for 10 charged\.$", contoso.Detail);
        Assert.Equal(2, report.Rows.Count);
    }

    [Fact]
    public async Task A_legacy_line_counts_the_seats_of_the_subscriptions_it_is_linked_to()
    {
        await using var bed = await SyncTestBed.StartAsync();
        SwitchOrganization(bed, SherwebSampleData.Fabrikam, syncEnabled: false);
        await bed.SyncAsync(Nov16);
        var legacy = bed.Halo.Store.AddLicence(new SimLicence { ClientId = bed.FabrikamClient, Name = "Business Premium (old)", Count = 2, IsActive = true });
        using (var admin = bed.Admin())
        {
            await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice
            {
                ClientId = bed.FabrikamClient,
                Reference = "Monthly Billing",
                Lines = new List<HaloInvoiceLine>
                {
                    new()
                    {
                        ItemId = bed.PremiumItem, Quantity = 0, UnitPrice = 30.00m, QuantityType = 1,
                        LicenceLinks = new List<HaloLicenceLink> { new() { LicenceId = legacy.Id } },
                    },
                },
            });
        }

        var fabrikam = Row(await bed.CompareAsync(Nov16), Fabrikam, Premium);

        // The line's quantity comes from its subscription: 2 seats x 30.00 = 60.00 for 3 charged (66.00): one seat leaks 22.00.
        Assert.Equal(BillingStatus.QuantityMismatch, fabrikam.Status);
        Assert.Equal((3m, 66.00m, 22.00m, 2m, 30.00m, 60.00m, -6.00m, 22.00m), Money(fabrikam));
        Assert.Equal((0, 1), (fabrikam.HaloSyncLines, fabrikam.LegacyLines));
    }

    [Fact]
    public async Task A_HaloSync_line_for_a_subscription_Cumulus_no_longer_lists_is_an_orphan_until_the_sync_ends_it()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);
        bed.Today(Nov20);
        bed.Sherweb.Cancel(SherwebSampleData.FabrikamBusinessPremium, Nov20);

        var orphan = Row(await bed.CompareAsync(Nov20), Fabrikam, Premium);

        // Sherweb: 3 for the month (66.00) and -3 from the 20th: -3 x 22.00 x 7.26 / 19.80 = -24.20; 41.80 for 0 seats.
        // HaloSync's line still bills 3 x 30.00 = 90.00: margin 48.20, billed to the customer for nothing Sherweb sells.
        Assert.Equal(BillingStatus.Orphan, orphan.Status);
        Assert.Equal((0m, 41.80m, 22.00m, 3m, 30.00m, 90.00m, 48.20m, 0.00m), Money(orphan));
        Assert.Contains($"sub-{SherwebSampleData.FabrikamBusinessPremium:D}, which Cumulus no longer lists", orphan.Detail);

        await bed.SyncAsync(Nov20);
        var ended = Row(await bed.CompareAsync(Nov20), Fabrikam, Premium);

        // The sync ended the line (the pro-rata credit is on the next invoice): nothing bills it, nothing is left to bill.
        Assert.Equal(BillingStatus.Ok, ended.Status);
        Assert.Equal((0m, 41.80m, 22.00m, 0m, (decimal?)null, 0.00m, -41.80m, 0.00m), Money(ended));
        Assert.StartsWith("No seats left at the period end", ended.Detail);
    }

    [Fact]
    public async Task Unbilled_because_of_what_the_admin_switched_off_or_never_mapped()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.WithStore(store => new MappingRepository(store).SetChargeSync(SherwebSampleData.Contoso.ToString("D"), "sub-" + SherwebSampleData.ContosoBusinessPremium.ToString("D"), false, DateTimeOffset.UtcNow));
        SwitchOrganization(bed, SherwebSampleData.Fabrikam, syncEnabled: false);
        await bed.SyncAsync(Nov16);

        var report = await bed.CompareAsync(Nov16);

        // Nothing bills either: each leaks its whole cost, 220.00 and 66.00.
        var contoso = Row(report, Contoso, Premium);
        Assert.Equal((BillingStatus.Unbilled, UnbilledReason.ChargeSyncOff), (contoso.Status, contoso.Reason!.Value));
        Assert.Equal((10m, 220.00m, 22.00m, 0m, (decimal?)null, 0.00m, -220.00m, 220.00m), Money(contoso));
        Assert.Equal($"sub-{SherwebSampleData.ContosoBusinessPremium:D} is switched off: Set-CumulusChargeSync -SyncEnabled.", contoso.Detail);
        var fabrikam = Row(report, Fabrikam, Premium);
        Assert.Equal((UnbilledReason.OrganizationSyncOff, 66.00m, 66.00m), (fabrikam.Reason!.Value, fabrikam.SherwebCost, fabrikam.Leakage));
        Assert.Equal((0.00m, 286.00m, 2), (report.Billed, report.Leakage, report.Unbilled));
    }

    [Fact]
    public async Task Unbilled_because_the_organization_has_no_client_and_a_removed_mapping_still_bills_through_its_old_client()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.MapOrganization(SherwebSampleData.Fabrikam, null);
        await bed.SyncAsync(Nov16);

        var fabrikam = Row(await bed.CompareAsync(Nov16, BillingSource.Scheduled, SherwebSampleData.Fabrikam), Fabrikam, Premium);

        Assert.Equal((UnbilledReason.OrganizationUnmapped, 66.00m, (int?)null), (fabrikam.Reason!.Value, fabrikam.Leakage, fabrikam.HaloClientId));

        // Mapped and synced, then unmapped: HaloSync's records stay on the old client and keep billing 3 x 30.00 = 90.00.
        bed.MapOrganization(SherwebSampleData.Fabrikam, bed.FabrikamClient);
        await bed.SyncAsync(Nov16);
        bed.MapOrganization(SherwebSampleData.Fabrikam, null);
        var report = await bed.CompareAsync(Nov16, BillingSource.Scheduled, SherwebSampleData.Fabrikam);

        var stillBilled = Assert.Single(report.Rows);
        Assert.Equal((Fabrikam, BillingStatus.Ok, bed.FabrikamClient), (stillBilled.Organization, stillBilled.Status, stillBilled.HaloClientId!.Value));
        Assert.Equal((3m, 66.00m, 22.00m, 3m, 30.00m, 90.00m, 24.00m, 0.00m), Money(stillBilled));
    }

    [Fact]
    public async Task Unbilled_because_the_product_is_not_mapped_or_switched_off_or_a_reserved_instance()
    {
        await using var bed = await SyncTestBed.StartAsync();
        MapProduct(bed, Premium, "Microsoft 365 Business Premium", bed.PremiumItem, syncEnabled: false);
        const string reservedSku = "MS-AZ-RI-D2";
        bed.Sherweb.PutProduct(new SherwebProduct { Sku = reservedSku, Name = "Azure Reserved VM Instance D2s v5", MonthlyListPrice = 50.00m, YearlyListPrice = 600.00m });
        bed.Halo.Store.AddItem(new SimItem { Name = "Azure RI", Baseprice = 60m, SupplierPartCode = reservedSku });
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, SherwebSampleData.BackupSku, 2);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, reservedSku, 1);
        await bed.SyncAsync(Nov16);

        var report = await bed.CompareAsync(Nov16);

        Assert.Equal(UnbilledReason.ProductSyncOff, Row(report, Contoso, Premium).Reason);
        Assert.Equal((UnbilledReason.ProductSyncOff, 66.00m), (Row(report, Fabrikam, Premium).Reason!.Value, Row(report, Fabrikam, Premium).Leakage));
        // Cloud Backup bought on the 16th, 2 seats: the month's line covers 15 of 30 days, net (10.00 - 1.00) x 15/30 = 4.50,
        // so 2 x 10.00 x 4.50 / 9.00 = 10.00; its setup fee is 2 x 25.00 = 50.00 (no performance tier on setup fees).
        var backup = Row(report, Contoso, SherwebSampleData.BackupSku);
        Assert.Equal((UnbilledReason.ProductUnmapped, 2m, 10.00m, 10.00m, 10.00m), (backup.Reason!.Value, backup.SherwebQuantity, backup.SherwebCost, backup.UnitCost!.Value, backup.Leakage));
        Assert.Equal($"{SherwebSampleData.BackupSku} is not mapped to a HaloPSA item: Set-HaloProductMapping.", backup.Detail);
        var setup = Row(report, Contoso, SherwebSampleData.BackupSku, ChargeCycle.OneOff);
        Assert.Equal((UnbilledReason.ProductUnmapped, 2m, 50.00m, 25.00m), (setup.Reason!.Value, setup.SherwebQuantity, setup.SherwebCost, setup.UnitCost!.Value));
        // The reservation: 1 x 50.00 x 22.50 / 45.00 = 25.00 for the 15 days; the sync leaves reservations alone.
        var reserved = Row(report, Contoso, reservedSku);
        Assert.Equal((UnbilledReason.ReservedInstance, 25.00m), (reserved.Reason!.Value, reserved.Leakage));
    }

    [Fact]
    public async Task Unbilled_because_sync_is_off_the_sync_failed_or_the_line_was_ended_by_hand()
    {
        await using var off = await SyncTestBed.StartAsync(s => s.SyncEnabled = false);
        MapProduct(off, Premium, "Microsoft 365 Business Premium", off.PremiumItem, syncEnabled: true);
        Assert.Equal(UnbilledReason.SyncDisabled, Row(await off.CompareAsync(Nov16), Contoso, Premium).Reason);

        await using var failing = await SyncTestBed.StartAsync();
        failing.Halo.Faults.Enqueue(new FaultRule
        {
            Kind = FaultKind.Status, StatusCode = 400, Body = "{\"ClassName\":\"Halo.Exceptions.HaloValidationException\",\"Message\":\"Licence type is required\"}",
            PathContains = "/api/SoftwareLicence", Method = "POST", Times = 100,
        });
        await failing.SyncAsync(Nov16);
        failing.Halo.Faults.Clear();
        var failed = Row(await failing.CompareAsync(Nov16), Contoso, Premium);
        Assert.Equal((UnbilledReason.SyncFailed, 220.00m), (failed.Reason!.Value, failed.Leakage));
        Assert.Matches($@"^The sync failed to bill sub-{SherwebSampleData.ContosoBusinessPremium:D} \(event \d+, CreateSubscription\): .*Licence type is required", failed.Detail);

        await using var ended = await SyncTestBed.StartAsync();
        await ended.SyncAsync(Nov16);
        using (var admin = ended.Admin())
        {
            var invoice = (await admin.GetRecurringInvoicesAsync(ended.ContosoClient, true)).Single();
            invoice.Lines!.Single().IsInactive = true;
            await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice { Id = invoice.Id, Lines = invoice.Lines });
        }

        var endedRow = Row(await ended.CompareAsync(Nov16), Contoso, Premium);
        Assert.Equal((UnbilledReason.LineEnded, 220.00m), (endedRow.Reason!.Value, endedRow.Leakage));
        Assert.Matches(@"^HaloSync's line\(s\) \d+ for it are ended or inactive in HaloPSA\.$", endedRow.Detail);
    }

    [Fact]
    public async Task Unbilled_yearly_subscriptions_and_purchases_not_synced_yet()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);
        bed.Today(Nov20);
        bed.Sherweb.Purchase(SherwebSampleData.Fabrikam, Exchange, 4, SherwebBillingCycle.Yearly, SherwebCommitmentTerm.Annual);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, Exchange, 5);

        var before = await bed.CompareAsync(Nov20);

        // Fabrikam's yearly Exchange: the whole year in November, 4 x 48.00 = 192.00.
        var yearly = Row(before, Fabrikam, Exchange, ChargeCycle.Yearly);
        Assert.Equal((UnbilledReason.YearlyNotInvoiced, 4m, 192.00m, 48.00m, 192.00m), (yearly.Reason!.Value, yearly.SherwebQuantity, yearly.SherwebCost, yearly.UnitCost!.Value, yearly.Leakage));
        // Contoso's monthly Exchange from the 20th: net 3.60 x 11/30 = 1.32, so 5 x 4.00 x 1.32 / 3.60 = 7.3333 -> 7.33.
        var monthly = Row(before, Contoso, Exchange);
        Assert.Equal((UnbilledReason.NotSynced, 5m, 7.33m, 7.33m), (monthly.Reason!.Value, monthly.SherwebQuantity, monthly.SherwebCost, monthly.Leakage));

        await bed.SyncAsync(Nov20);
        var after = await bed.CompareAsync(Nov20);

        // The monthly one is billed 5 x 6.00 = 30.00 (margin 22.67); the yearly one still has no line.
        Assert.Equal((BillingStatus.Ok, 30.00m, 22.67m), (Row(after, Contoso, Exchange).Status, Row(after, Contoso, Exchange).LineTotal, Row(after, Contoso, Exchange).Margin));
        Assert.Equal(UnbilledReason.YearlyNotInvoiced, Row(after, Fabrikam, Exchange, ChargeCycle.Yearly).Reason);
    }

    [Fact]
    public async Task Unbilled_because_no_customer_can_be_found_for_the_charge()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);
        bed.Sherweb.Settings = bed.Sherweb.Settings with { CustomerIdTagName = null };
        bed.Sherweb.AddCustomer(new SherwebCustomer { DisplayName = Contoso });

        var report = await bed.CompareAsync(Nov16);

        // Contoso's charges carry only the display name, which two customers now share: attributed to neither.
        var unattributed = Assert.Single(report.Rows, r => r.OrganizationId.Length == 0);
        Assert.Equal((Contoso, Premium, BillingStatus.Unbilled, UnbilledReason.Unattributed), (unattributed.Organization, unattributed.Sku, unattributed.Status, unattributed.Reason!.Value));
        Assert.Equal((10m, 220.00m, 220.00m), (unattributed.SherwebQuantity, unattributed.SherwebCost, unattributed.Leakage));
        // Contoso's HaloSync line is then compared with no charge at all: 10 seats billed for none.
        var contoso = Assert.Single(report.Rows, r => r.OrganizationId == SherwebSampleData.Contoso.ToString("D"));
        Assert.Equal((BillingStatus.QuantityMismatch, 0m, 0.00m, 10m, 300.00m), (contoso.Status, contoso.SherwebQuantity, contoso.SherwebCost, contoso.HaloQuantity, contoso.LineTotal));

        var scoped = await bed.CompareAsync(Nov16, BillingSource.Scheduled, SherwebSampleData.Fabrikam);
        Assert.Equal(new[] { Fabrikam }, scoped.Rows.Select(r => r.Organization));
    }

    [Fact]
    public async Task The_invoices_of_a_period_are_compared_with_what_Sherweb_charged_for_it()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Store.AddItem(new SimItem { Name = "Azure consumption", Baseprice = 150.00m, SupplierPartCode = SherwebSampleData.AzureSku });
        bed.Sherweb.AddCharge(new SherwebExtraCharge
        {
            CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, PeriodFrom = new DateTime(2026, 10, 1), PeriodTo = new DateTime(2026, 10, 31),
            UnitListPrice = 123.45m, BilledOn = Nov16,
        });
        await bed.SyncAsync(Nov16);
        bed.Today(Nov20);
        bed.Sherweb.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 12, Nov20);
        await bed.SyncAsync(Nov20);
        bed.Halo.Requests.Clear();

        var november = await bed.CompareAsync(Nov20, BillingSource.Invoiced);

        // No invoice is dated in November yet: the recurring lines bill Business Premium, none was generated.
        var notInvoiced = Row(november, Contoso, Premium);
        Assert.Equal((BillingStatus.Unbilled, UnbilledReason.NotInvoiced, 236.13m), (notInvoiced.Status, notInvoiced.Reason!.Value, notInvoiced.Leakage));
        Assert.Equal(UnbilledReason.NotInvoiced, Row(november, Fabrikam, Premium).Reason);
        Assert.Single(bed.Halo.Requests.Snapshot(), r => r.Path.StartsWith("/api/Invoice", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(bed.Halo.Requests.Snapshot(), r => r.Method != "GET" && r.Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase));

        var generated = bed.Halo.Store.GenerateInvoices(Dec15);
        bed.Today(Dec15);
        november = await bed.CompareAsync(Nov20, BillingSource.Invoiced);
        var december = await bed.CompareAsync(Dec15, BillingSource.Invoiced);

        Assert.Equal(2, generated.Count);
        // November's Azure usage (123.45; the performance tier 12.35 is added back to the net 111.10) was added on the 16th and
        // billed once, on the 15 December invoice, at 150.00: compared with November's charges although dated in December.
        var azure = Row(november, Contoso, SherwebSampleData.AzureSku, ChargeCycle.OneOff);
        Assert.Equal((BillingStatus.Ok, 1m, 123.45m, 1m, 150.00m, 150.00m, 26.55m), (azure.Status, azure.SherwebQuantity, azure.SherwebCost, azure.HaloQuantity,
            azure.UnitPrice!.Value, azure.LineTotal, azure.Margin));
        // December: Sherweb charges the 12 seats held on 30 November, 12 x 22.00 = 264.00. The invoice of the 15th bills
        // 12 x 30.00 = 360.00 and the pro-rata of the +2 of 20 November (25 of 30 days: 30.00 x 25/30 = 25.0000 a seat),
        // 2 x 25.00 = 50.00: 410.00, margin 146.00; seats compared without the pro-rata line.
        var contoso = Row(december, Contoso, Premium);
        Assert.Equal((BillingStatus.Ok, BillingSource.Invoiced), (contoso.Status, contoso.Source));
        Assert.Equal((12m, 264.00m, 22.00m, 12m, 30.00m, 410.00m, 146.00m, 0.00m), Money(contoso));
        Assert.Equal((3m, 66.00m, 22.00m, 3m, 30.00m, 90.00m, 24.00m, 0.00m), Money(Row(december, Fabrikam, Premium)));
        // November's usage belongs to November: December compares only December's charges.
        Assert.Equal(2, december.Rows.Count);
        Assert.Equal((330.00m, 500.00m, 170.00m, 0.00m), (december.Cost, december.Billed, december.Margin, december.Leakage));
    }

    /// <summary>
    /// Fabrikam is mapped to Contoso's client too. With -Organization Contoso, Fabrikam's line on that client is another
    /// organization's, not an orphan of Contoso's: Contoso's row is what the unfiltered report says, 10 seats charged
    /// (220.00), 10 x 30.00 = 300.00 billed; and with Contoso's own line ended, Unbilled with 220.00 leaking.
    /// </summary>
    [Fact]
    public async Task A_report_for_one_organization_leaves_out_another_organizations_lines_on_the_same_client()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.MapOrganization(SherwebSampleData.Fabrikam, bed.ContosoClient);
        await bed.SyncAsync(Nov16);

        var contoso = Assert.Single((await bed.CompareAsync(Nov16, BillingSource.Scheduled, SherwebSampleData.Contoso)).Rows);

        Assert.Equal((BillingStatus.Ok, 10m, 300.00m, 80.00m), (contoso.Status, contoso.HaloQuantity, contoso.LineTotal, contoso.Margin));
        using (var admin = bed.Admin())
        {
            var invoice = (await admin.GetRecurringInvoicesAsync(bed.ContosoClient, true)).Single();
            invoice.Lines!.Single(l => l.LongDescription!.Contains(SherwebSampleData.ContosoBusinessPremium.ToString("D"))).IsInactive = true;
            await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice { Id = invoice.Id, Lines = invoice.Lines });
        }

        var ended = await bed.CompareAsync(Nov16, BillingSource.Scheduled, SherwebSampleData.Contoso);
        Assert.Equal((BillingStatus.Unbilled, 220.00m), (Assert.Single(ended.Rows).Status, ended.Leakage));
    }

    /// <summary>
    /// Fabrikam's 3 seats cancelled on 11-20 (line ended): the 12-15 invoice carries only the credit, -3 x 25.0000 =
    /// -75.00. -Invoiced for December does not call that an orphan, which would send the admin after a line still billing,
    /// nor leave it out: December's invoices bill Contoso 300.00 and credit Fabrikam 75.00, 225.00, and the credit's row
    /// is Ok (it has no Sherweb charge in December).
    /// </summary>
    [Fact]
    public async Task The_credit_of_a_cancellation_on_an_invoice_is_not_an_orphan_and_counts_in_what_it_billed()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);
        bed.Today(Nov20);
        bed.Sherweb.Cancel(SherwebSampleData.FabrikamBusinessPremium, Nov20);
        await bed.SyncAsync(Nov20);
        var december = bed.Halo.Store.GenerateInvoices(Dec15).Single(i => i.ClientId == bed.FabrikamClient);
        Assert.Equal(-75.00m, december.Lines!.Sum(l => l.NetAmount ?? 0m));
        bed.Today(Dec15);

        var report = await bed.CompareAsync(Dec15, BillingSource.Invoiced);

        Assert.DoesNotContain(report.Rows, r => r.Status == BillingStatus.Orphan);
        Assert.Equal((225.00m, 0), (report.Billed, report.Unbilled));
        var credit = Row(report, Fabrikam, Premium);
        Assert.Equal((-75.00m, BillingStatus.Ok), (credit.LineTotal, credit.Status));
        Assert.StartsWith("Only pro-rata line(s)", credit.Detail);
    }

    /// <summary>
    /// Fabrikam cancelled on 12-20, after the 12-15 invoice billed its 3 seats: that invoice billed while Sherweb listed
    /// the subscription, so -Invoiced shows it as billing of December, not an Orphan. Sherweb: 3 x 22.00 = 66.00 and -3
    /// from 12-20, -3 x 22.00 x 7.66 / 19.80 = -25.53: 40.47 for 0 seats; HaloPSA: 3 x 30.00 = 90.00.
    /// </summary>
    [Fact]
    public async Task An_invoice_generated_before_a_cancellation_is_billing_not_an_orphan()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(Nov16);
        bed.Halo.Store.GenerateInvoices(Dec15);
        var dec20 = new DateTime(2026, 12, 20);
        bed.Today(dec20);
        bed.Sherweb.Cancel(SherwebSampleData.FabrikamBusinessPremium, dec20);
        await bed.SyncAsync(dec20);

        var row = Row(await bed.CompareAsync(dec20, BillingSource.Invoiced), Fabrikam, Premium);

        Assert.Equal((0m, 40.47m, 3m, 90.00m), (row.SherwebQuantity, row.SherwebCost, row.HaloQuantity, row.LineTotal));
        Assert.NotEqual(BillingStatus.Orphan, row.Status);
    }

    /// <summary>
    /// A credit Sherweb prices below zero (1 x -20.00) is a line of -1 x 150.00: the report counts Sherweb's credit as -1
    /// too, so the quantities agree (it said QuantityMismatch with -40.00 of leakage); the customer is credited 150.00 for
    /// the 20.00 Sherweb credits, a margin of -150.00 - (-20.00) = -130.00, which is what leaks.
    /// </summary>
    [Fact]
    public async Task A_credit_priced_below_zero_agrees_with_its_line()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Store.AddItem(new SimItem { Name = "Azure consumption", Baseprice = 150.00m, SupplierPartCode = SherwebSampleData.AzureSku });
        bed.Sherweb.AddCharge(new SherwebExtraCharge
        {
            CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, ChargeName = "Credit", ChargeType = SherwebChargeType.Usage,
            BillingCycleType = SherwebBillingCycleType.OneTime, PeriodFrom = new DateTime(2026, 11, 1), PeriodTo = new DateTime(2026, 11, 30),
            Quantity = 1m, UnitListPrice = -20.00m, BilledOn = Nov16,
        });
        await bed.SyncAsync(Nov16);

        var row = Row(await bed.CompareAsync(Nov16), Contoso, SherwebSampleData.AzureSku, ChargeCycle.OneOff);

        Assert.Equal((-1m, -1m, -20.00m, -150.00m, -130.00m), (row.SherwebQuantity, row.HaloQuantity, row.SherwebCost, row.LineTotal, row.Margin));
        Assert.Equal((BillingStatus.NegativeMargin, 130.00m), (row.Status, row.Leakage));
    }

    private static BillingComparison Row(BillingComparisonSummary report, string organization, string sku, ChargeCycle cycle = ChargeCycle.Monthly)
        => Assert.Single(report.Rows, r => r.Organization == organization && r.Sku == sku && r.Cycle == cycle);

    private static (decimal SherwebQuantity, decimal SherwebCost, decimal? UnitCost, decimal HaloQuantity, decimal? UnitPrice, decimal LineTotal, decimal Margin, decimal Leakage)
        Money(BillingComparison row)
        => (row.SherwebQuantity, row.SherwebCost, row.UnitCost, row.HaloQuantity, row.UnitPrice, row.LineTotal, row.Margin, row.Leakage);

    private static void SwitchOrganization(SyncTestBed bed, Guid organization, bool syncEnabled)
        => bed.WithStore(store =>
        {
            var mappings = new MappingRepository(store);
            var found = mappings.FindOrganization(organization.ToString("D"))!;
            found.SyncEnabled = syncEnabled;
            mappings.SaveOrganization(found, DateTimeOffset.UtcNow);
        });

    /// <summary>What Set-HaloProductMapping does for a product Get-CumulusProduct has seen.</summary>
    private static void MapProduct(SyncTestBed bed, string sku, string name, int itemId, bool syncEnabled)
        => bed.WithStore(store =>
        {
            var mappings = new MappingRepository(store);
            mappings.RecordSeenProducts(new[] { new KeyValuePair<string, string>(sku, name) }, DateTimeOffset.UtcNow);
            mappings.SaveProduct(new ProductMapping { Sku = sku, ProductName = name, HaloItemId = itemId, Source = MappingSource.Manual, SyncEnabled = syncEnabled }, DateTimeOffset.UtcNow);
        });

    /// <summary>
    /// A one-off row nothing bills: Contoso's October Azure usage listed in Sherweb's November period, 1 x 123.45 (list;
    /// the 10% performance tier, 12.35, is added back by the default cost basis: 111.10 + 12.35 = 123.45), and a credit
    /// of 1 x -20.00 (net -18.00 + tier -2.00 = -20.00), Azure not mapped to any HaloPSA item, so the sync adds no line.
    /// Sherweb charges 123.45 - 20.00 = 103.45 that no customer pays: expected Unbilled (ProductUnmapped) with 103.45 of
    /// leakage. The quantities adding up to 1 + (-1) = 0 do not make it
    /// a subscription that ended in the period (it was Ok, leakage 0.00).
    /// </summary>
    [Fact]
    public async Task A_usage_charge_and_a_credit_nothing_bills_are_unbilled_not_ok()
    {
        await using var bed = await SyncTestBed.StartAsync();
        AddAzureUsage(bed, October, 123.45m);
        AddAzureUsage(bed, October, -20.00m, "Credit");
        await bed.SyncAsync(Nov16);

        var report = await bed.CompareAsync(Nov16);

        var row = Row(report, Contoso, SherwebSampleData.AzureSku, ChargeCycle.OneOff);
        Assert.Equal((103.45m, 0m, 0.00m), (row.SherwebCost, row.HaloQuantity, row.LineTotal));
        Assert.Equal(BillingStatus.Unbilled, row.Status);
        Assert.Equal(UnbilledReason.ProductUnmapped, row.Reason);
        Assert.Equal(103.45m, row.Leakage);
    }

    /// <summary>
    /// Contoso's Azure: usage of October, 1 x 50.00 (net 45.00 + tier 5.00), and of November, 1 x 200.00 (net 180.00 +
    /// tier 20.00), both in Sherweb's November period; the sync adds two lines of 1 at the item's 150.00. Cost 250.00,
    /// billed 300.00, margin +50.00. Only the November charge is billed below its cost: 200.00 - 150.00 = 50.00 is the
    /// most that can be called leakage (charge by charge; 0.00 on the row's margin). A unit costs 250.00 / 2 = 125.00 on
    /// average, below its 150.00: Ok (the latest charge's 200.00 taken for both gave NegativeMargin and 100.00 of leakage).
    /// </summary>
    [Fact]
    public async Task Two_usage_charges_are_judged_each_at_its_own_cost()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Store.AddItem(new SimItem { Name = "Azure consumption", Baseprice = 150.00m, SupplierPartCode = SherwebSampleData.AzureSku });
        AddAzureUsage(bed, October, 50.00m);
        AddAzureUsage(bed, new DateTime(2026, 11, 1), 200.00m);
        await bed.SyncAsync(Nov16);

        var report = await bed.CompareAsync(Nov16);

        var row = Row(report, Contoso, SherwebSampleData.AzureSku, ChargeCycle.OneOff);
        Assert.Equal((2m, 2m, 250.00m, 300.00m, 50.00m), (row.SherwebQuantity, row.HaloQuantity, row.SherwebCost, row.LineTotal, row.Margin));
        Assert.Equal((BillingStatus.Ok, 125.0000m, 0.00m), (row.Status, row.UnitCost!.Value, row.Leakage));
    }

    /// <summary>
    /// A credit: Sherweb credits Contoso 1 x -40.00 of Azure (net -36.00 + tier -4.00 =
    /// -40.00); the sync adds a line of -1 at the item's 30.00. The MSP gets 40.00 back and gives the customer 30.00: the
    /// margin is -30.00 - (-40.00) = +10.00, nothing leaks. Judged "unit price 30.00 below unit cost
    /// 40.00" it was NegativeMargin with leakage (40.00 - 30.00) x -1 = -10.00, which hid 10.00 of real leakage elsewhere
    /// in the report's total: it is Ok.
    /// </summary>
    [Fact]
    public async Task A_credit_passed_on_at_a_lower_price_is_not_a_negative_leakage()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Store.AddItem(new SimItem { Name = "Azure consumption", Baseprice = 30.00m, SupplierPartCode = SherwebSampleData.AzureSku });
        AddAzureUsage(bed, October, -40.00m, "Credit");
        await bed.SyncAsync(Nov16);

        var report = await bed.CompareAsync(Nov16);

        var row = Row(report, Contoso, SherwebSampleData.AzureSku, ChargeCycle.OneOff);
        Assert.Equal((-1m, -1m, -40.00m, -30.00m, 10.00m), (row.SherwebQuantity, row.HaloQuantity, row.SherwebCost, row.LineTotal, row.Margin));
        Assert.Equal((BillingStatus.Ok, 0.00m), (row.Status, row.Leakage));
        Assert.Equal(0.00m, report.Leakage);
    }

    private static readonly DateTime October = new(2026, 10, 1);

    /// <summary>Contoso's Azure usage of the month starting <paramref name="month"/>, 1 unit at <paramref name="price"/>, in Sherweb's November period.</summary>
    private static void AddAzureUsage(SyncTestBed bed, DateTime month, decimal price, string name = "Consumption")
        => bed.Sherweb.AddCharge(new SherwebExtraCharge
        {
            CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, ChargeName = name, PeriodFrom = month,
            PeriodTo = month.AddMonths(1).AddDays(-1), UnitListPrice = price, BilledOn = Nov16,
        });
}
