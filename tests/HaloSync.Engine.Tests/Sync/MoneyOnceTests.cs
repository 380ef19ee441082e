using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// Issue 9, points 2 to 5 and the silent mis-bills, against both simulators: a re-mapped client, a removed mapping, a
/// hand edit, a lost state file, a killed run, a switched-off cancellation and a new item price. Money as in
/// <see cref="SyncTestBed"/>: Business Premium sells at 30.00 and costs 22.00; periods run from the 15th.
/// </summary>
public sealed class MoneyOnceTests
{
    private static readonly DateTime Nov20 = new(2026, 11, 20);
    private static readonly DateTime Nov23 = new(2026, 11, 23);
    private static readonly Guid ContosoPremium = SherwebSampleData.ContosoBusinessPremium;

    [Fact]
    public async Task A_re_mapped_organization_is_a_first_sync_for_its_new_client_and_its_records_end_on_the_old_one()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.MapOrganization(SherwebSampleData.Contoso, bed.HoldingsClient);
        bed.Today(Nov20);
        bed.Sherweb.ChangeQuantity(ContosoPremium, 12, Nov20);

        var moved = await bed.SyncAsync(Nov20);

        Assert.Equal((2, 2, 0, 0), (moved.EndedOnOldClient, moved.Created, moved.ProRataEntries, moved.Failed));
        // The old client: subscriptions inactive from 11-20, the line ended on 11-20 with its quantity as billed (10).
        var old = bed.Licences(ContosoPremium).Single(l => l.ClientId == bed.ContosoClient);
        Assert.Equal((false, "Inactive", Nov20, 10), (old.IsActive!.Value, old.Status, old.EndDate!.Value, old.Count!.Value));
        Assert.False(bed.Licences(SherwebSampleData.ContosoExchangeYearly).Single(l => l.ClientId == bed.ContosoClient).IsActive);
        var oldLine = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((true, Nov20, 10m), (oldLine.Isinactive!.Value, oldLine.Enddate!.Value, oldLine.QtyOrder!.Value));
        // The new client: a first sync from the run date, today's quantity, no pro-rata.
        var now = bed.Licences(ContosoPremium).Single(l => l.ClientId == bed.HoldingsClient);
        Assert.Equal((true, 12), (now.IsActive!.Value, now.Count!.Value));
        var line = Assert.Single(bed.Lines(bed.HoldingsClient, ContosoPremium));
        Assert.Equal((12m, 30.00m, Nov20), (line.QtyOrder!.Value, line.UnitPrice!.Value, line.Startdate!.Value));
        Assert.True(line.ProrataData is null || line.ProrataData.Count == 0);
        var ended = bed.Log().Where(e => e.Kind == SyncEventKind.EndOnOldClient).ToList();
        Assert.Equal(2, ended.Count);
        Assert.All(ended, e => Assert.Equal((bed.ContosoClient, SyncEventStatus.Success), (e.HaloClientId!.Value, e.Status)));
        Assert.Contains($"now bills to HaloPSA client {bed.HoldingsClient}", ended[0].Detail);

        // Later changes go to the new client only; nothing more happens on the old one.
        bed.Halo.Requests.Clear();
        Assert.Equal(0, (await bed.SyncAsync(Nov20)).EndedOnOldClient);
        Assert.Equal(0, bed.Writes());
        bed.Today(Nov23);
        bed.Sherweb.ChangeQuantity(ContosoPremium, 14, Nov23);
        await bed.SyncAsync(Nov23);
        Assert.Equal(14m, bed.Lines(bed.HoldingsClient, ContosoPremium).Single().QtyOrder);
        Assert.Equal(10m, bed.Lines(bed.ContosoClient, ContosoPremium).Single().QtyOrder);

        // Mapped back: the old client's records are taken up again (active, no end date, today's quantity), never duplicated.
        bed.MapOrganization(SherwebSampleData.Contoso, bed.ContosoClient);
        var back = await bed.SyncAsync(Nov23);
        Assert.Equal((2, 2, 0), (back.EndedOnOldClient, back.Adopted, back.Created));
        var again = bed.Licences(ContosoPremium).Single(l => l.ClientId == bed.ContosoClient);
        Assert.Equal((true, 14), (again.IsActive!.Value, again.Count!.Value));
        var reopened = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((false, 14m), (reopened.Isinactive!.Value, reopened.QtyOrder!.Value));
        Assert.True(reopened.Enddate is null || reopened.Enddate.Value.Year <= 1901, $"the line still ends on {reopened.Enddate}");
        Assert.False(bed.Licences(ContosoPremium).Single(l => l.ClientId == bed.HoldingsClient).IsActive);
    }

    [Fact]
    public async Task Removing_a_mapping_leaves_the_records_as_they_are_and_mapping_back_resumes_them_without_duplicates()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.MapOrganization(SherwebSampleData.Contoso, null);
        bed.Today(Nov20);
        bed.Sherweb.ChangeQuantity(ContosoPremium, 13, Nov20);

        var unmapped = await bed.SyncAsync(Nov20);

        Assert.Equal(1, unmapped.Organizations);
        Assert.DoesNotContain(bed.Log(), e => e.OrganizationId == SherwebSampleData.Contoso.ToString("D") && e.RunId == unmapped.RunId);
        var licence = bed.Licences(ContosoPremium).Single();
        Assert.Equal((true, 10), (licence.IsActive!.Value, licence.Count!.Value));
        Assert.Equal((10m, false), (bed.Lines(bed.ContosoClient, ContosoPremium).Single().QtyOrder!.Value, bed.Lines(bed.ContosoClient, ContosoPremium).Single().Isinactive!.Value));

        bed.MapOrganization(SherwebSampleData.Contoso, bed.ContosoClient);
        bed.Today(Nov23);
        var resumed = await bed.SyncAsync(Nov23);

        Assert.Equal((0, 1, 0), (resumed.Created, resumed.Updated, resumed.EndedOnOldClient));
        Assert.Single(bed.Licences(ContosoPremium));
        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        // The change is billed from the day HaloSync saw it again: +3 for 22 of 30 days, 30.00 x 22/30 = 22.0000.
        Assert.Equal(13m, line.QtyOrder);
        var proRata = Assert.Single(line.ProrataData!);
        Assert.Equal((3m, 22.0000m, Nov23), (proRata.Quantity!.Value, proRata.Unitprice!.Value, proRata.Date!.Value));
    }

    /// <summary>
    /// Contoso's mapping is removed on 11-17 and made again to the same client on 11-23; on 11-18 Contoso bought 4 more
    /// seats (a new subscription). It was first synced with this client on 11-16, so the purchase is billed from its
    /// date: +4 x 30.00 x 27/30 = 108.00; the 12-15 invoice bills 10 x 30.00 + 4 x 30.00 + 108.00 = 528.00 (a first sync
    /// from 11-23 without pro-rata billed 420.00). Mapped to another client instead, it would start over there.
    /// </summary>
    [Fact]
    public async Task A_purchase_made_while_the_mapping_was_removed_is_billed_from_its_purchase_date_when_mapped_back_to_the_same_client()
    {
        var nov18 = new DateTime(2026, 11, 18);
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.MapOrganization(SherwebSampleData.Contoso, null);
        bed.Today(nov18);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, SherwebSampleData.BusinessPremiumSku, 4, purchaseDate: new DateTimeOffset(nov18.AddHours(10), TimeSpan.Zero));
        bed.Today(Nov23);
        bed.MapOrganization(SherwebSampleData.Contoso, bed.ContosoClient);

        var summary = await bed.SyncAsync(Nov23);

        Assert.Equal(0, summary.Failed);
        var created = Assert.Single(bed.Log(), e => e.RunId == summary.RunId && e.Kind == SyncEventKind.CreateSubscription);
        Assert.Equal((nov18, 4, 27.0000m), (created.LineStart!.Value, created.ProRata!.Quantity, created.ProRata.UnitPrice));
        Assert.Equal(528.00m, bed.GenerateDueInvoices(new DateTime(2026, 12, 15)).Where(i => i.ClientId == bed.ContosoClient).Sum(i => i.Total ?? 0m));
    }

    /// <summary>
    /// Contoso, first synced on its own client on 11-16, is re-mapped to Contoso Holdings (synced 11-17), unmapped, buys 4
    /// more seats on 11-18, and is mapped to its own client again on 11-20: that is a re-map too (its first sync there is
    /// not the one the date kept belongs to), so the purchase is a first sync from 11-20 without pro-rata, and the 12-15
    /// invoice on its own client bills 14 x 30.00 = 420.00.
    /// </summary>
    [Fact]
    public async Task Unmapped_after_a_re_map_and_mapped_to_another_client_it_is_a_first_sync_there()
    {
        var (nov17, nov18) = (new DateTime(2026, 11, 17), new DateTime(2026, 11, 18));
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.MapOrganization(SherwebSampleData.Contoso, bed.HoldingsClient);
        bed.Today(nov17);
        Assert.True((await bed.SyncAsync(nov17)).EndedOnOldClient > 0);
        bed.MapOrganization(SherwebSampleData.Contoso, null);
        bed.Today(nov18);
        bed.Sherweb.Purchase(SherwebSampleData.Contoso, SherwebSampleData.BusinessPremiumSku, 4, purchaseDate: new DateTimeOffset(nov18.AddHours(10), TimeSpan.Zero));
        bed.Today(Nov20);
        bed.MapOrganization(SherwebSampleData.Contoso, bed.ContosoClient);
        Assert.Null(bed.WithStore(s => new MappingRepository(s).FindOrganization(SherwebSampleData.Contoso.ToString("D"))!).FirstSyncedOn);

        var summary = await bed.SyncAsync(Nov20);

        Assert.Equal(0, summary.Failed);
        var created = Assert.Single(bed.Log(), e => e.RunId == summary.RunId && e.Kind == SyncEventKind.CreateSubscription && e.QuantityAfter == 4);
        Assert.Equal((Nov20, true), (created.LineStart!.Value, created.ProRata is null));
        Assert.Equal(420.00m, bed.GenerateDueInvoices(new DateTime(2026, 12, 15)).Where(i => i.ClientId == bed.ContosoClient).Sum(i => i.Total ?? 0m));
    }

    [Fact]
    public async Task Hand_edits_are_noticed_reported_and_set_back_and_a_line_whose_key_text_was_edited_is_still_found_by_its_id()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        using var admin = bed.Admin();
        var licence = bed.Licences(ContosoPremium).Single();
        await admin.SaveLicencesAsync(new[] { new HaloLicence { Id = licence.Id!.Value, Count = 15, IsActive = false, Status = "Inactive" } });
        await EditLine(admin, bed, line =>
        {
            line.Quantity = 15;
            line.LongDescription = "Microsoft 365 Business Premium (renewed in March)";
            line.UnitCost = 1m;
            line.EndDate = new DateTime(2026, 11, 18);
        });

        var summary = await bed.SyncAsync(Nov20);

        Assert.Equal((1, 0, 0), (summary.DriftReverted, summary.Created, summary.Failed));
        var revert = Assert.Single(bed.Log(), e => e.Kind == SyncEventKind.RevertDrift);
        Assert.Equal((15m, 10m, SyncEventStatus.Success), (revert.QuantityBefore!.Value, revert.QuantityAfter!.Value, revert.Status));
        Assert.Contains("subscription count 15 (should be 10)", revert.Detail);
        Assert.Contains("subscription active no (should be yes)", revert.Detail);
        Assert.Contains("line quantity 15 (should be 10)", revert.Detail);
        Assert.Contains("line cost 1 (should be 22)", revert.Detail);
        Assert.Contains("line description lost its HaloSync key", revert.Detail);
        Assert.Contains("line end date 2026-11-18 (should be none)", revert.Detail);
        licence = bed.Licences(ContosoPremium).Single();
        Assert.Equal((10, true), (licence.Count!.Value, licence.IsActive!.Value));
        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((10m, 22.00m), (line.QtyOrder!.Value, line.UnitCost!.Value));
        Assert.True(line.Enddate is null || line.Enddate.Value.Year <= 1901, $"the line still ends on {line.Enddate}");
        Assert.StartsWith("Microsoft 365 Business Premium (renewed in March) [halosync:sub-", line.ItemLongdescription);

        // The key text edited away again, and a real change: the line is found by its id, updated, never duplicated.
        await EditLine(admin, bed, l => l.LongDescription = "Edited by hand");
        bed.Today(Nov20);
        bed.Sherweb.ChangeQuantity(ContosoPremium, 13, Nov20);
        var change = await bed.SyncAsync(Nov20);

        Assert.Equal((1, 0), (change.Updated, change.Failed));
        var edited = Assert.Single(bed.Invoices(bed.ContosoClient).Single().Lines!); // the yearly Exchange has no line
        Assert.StartsWith("Edited by hand [halosync:sub-", edited.ItemLongdescription);
        Assert.Equal(13m, edited.QtyOrder);
        Assert.Equal(3m, Assert.Single(edited.ProrataData!).Quantity);
    }

    /// <summary>
    /// Contoso goes 10 -> 13 on 11-20: +3 for 25 of 30 days, 30.00 x 25/30 = 25.00 a seat, 75.00, on HaloPSA's invoice of
    /// 12-15. The line deleted by hand before that invoice is recreated with the entry (its own marker), so 12-15 bills
    /// 13 x 30.00 + 75.00 = 465.00; deleted again after it, the line comes back without it, and 01-15 bills 390.00.
    /// </summary>
    [Fact]
    public async Task A_line_deleted_by_hand_is_recreated_with_the_pro_rata_HaloPSA_had_not_invoiced_and_without_what_it_had()
    {
        await using var bed = await SyncedThenContosoTakes13OnNov20Async();
        await bed.SyncAsync(Nov20);
        var change = Assert.Single(bed.Log(), e => e.Kind == SyncEventKind.ChangeQuantity);
        Assert.Equal(new DateTime(2026, 12, 15), change.ProRataBilledBy);
        var marker = Assert.Single(Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium)).ProrataData!).Longdescription;
        using var admin = bed.Admin();
        await DeletePremiumLine(admin, bed);

        var recreated = await bed.SyncAsync(Nov23);

        Assert.Equal((1, 0), (recreated.DriftReverted, recreated.Failed));
        Assert.Contains("the recurring-invoice line is missing (recreated, with the pro-rata HaloPSA had not invoiced: +3 x 25.00 on 2026-11-20)",
            Assert.Single(bed.Log(), e => e.Kind == SyncEventKind.RevertDrift).Detail);
        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((13m, 30.00m, SyncTestBed.FirstSync), (line.QtyOrder!.Value, line.UnitPrice!.Value, line.Startdate!.Value));
        var entry = Assert.Single(line.ProrataData!);
        Assert.Equal((3m, 25.0000m, Nov20, marker), (entry.Quantity!.Value, entry.Unitprice!.Value, entry.Date!.Value, entry.Longdescription));
        bed.Halo.Requests.Clear();
        Assert.Equal(0, (await bed.SyncAsync(Nov23)).DriftReverted);
        Assert.Equal(0, bed.Writes());
        Assert.Equal(465.00m, PremiumBilled(bed, new DateTime(2026, 12, 15)));

        var dec16 = new DateTime(2026, 12, 16);
        bed.Today(dec16);
        await DeletePremiumLine(admin, bed);
        await bed.SyncAsync(dec16);

        Assert.Contains(bed.Log(), e => e.Kind == SyncEventKind.RevertDrift && e.Detail!.Contains("the recurring-invoice line is missing (recreated). Set back", StringComparison.Ordinal));
        Assert.Empty(Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium)).ProrataData ?? new List<Simulators.HaloPsa.SimProRata>());
        Assert.Equal(390.00m, PremiumBilled(bed, new DateTime(2027, 1, 15)));
    }

    /// <summary>
    /// Contoso 10 -> 13 on 12-14; the 12-14 run is killed before any write and HaloPSA generates 12-15 at 10 seats. The
    /// 12-16 run writes the entry for HaloPSA's next invoice (01-15), but its answer is lost and reading back fails, so
    /// its event fails and keeps the rule's entry; the 12-17 run finds the written entry by its marker. Its line deleted
    /// on 12-18 is recreated without it (the log does not hold the entry HaloPSA had), never with the rule's:
    ///  post-bill, the rule's entry -3 x 30.00 x 29/30 = -87.00 would make 01-15 390.00 - 87.00 = 303.00: it bills 390.00;
    ///  pre-bill, the rule's +3 x 1.00 would make it 393.00: it bills 390.00 (the written +93.00 is lost with the line).
    /// </summary>
    [Theory]
    [InlineData(BillingMethod.PostBill)]
    [InlineData(BillingMethod.PreBill)]
    public async Task A_line_deleted_by_hand_never_gets_back_an_entry_other_than_the_one_HaloPSA_held(BillingMethod method)
    {
        var (dec14, dec15, dec16) = (new DateTime(2026, 12, 14), new DateTime(2026, 12, 15), new DateTime(2026, 12, 16));
        await using var bed = await SyncTestBed.StartAsync(s => s.BillingMethod = method);
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(dec14);
        bed.Sherweb.ChangeQuantity(ContosoPremium, 13, dec14);
        var dying = new InterceptedHalo(bed.HaloClient) { Before = call => { if (call == "SaveLicences") throw new OperationCanceledException("killed"); } };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(dec14, dying));
        Assert.Equal(300.00m, PremiumBilled(bed, dec15));
        bed.Today(dec16);
        bed.Halo.Faults.Enqueue(FaultRule.AnswerLost(FaultRule.Status(502), "POST", "/api/RecurringInvoice"));
        var saved = false;
        var readBackFails = new InterceptedHalo(bed.HaloClient)
        {
            Before = call =>
            {
                saved |= call == "SaveRecurringInvoices";
                if (call == "GetRecurringInvoices" && saved)
                {
                    throw new HaloSyncException("HaloPsaUnavailable", HaloSyncErrorKind.ResourceUnavailable, "HaloPSA is down");
                }
            },
        };
        Assert.True((await bed.SyncAsync(dec16, readBackFails)).Failed > 0);
        var failed = Assert.Single(bed.Log(), e => e.Kind == SyncEventKind.ChangeQuantity);
        Assert.Equal((SyncEventStatus.Failed, null), (failed.Status, failed.ProRataBilledBy));
        var dec17 = new DateTime(2026, 12, 17);
        bed.Today(dec17);
        Assert.Equal(0, (await bed.SyncAsync(dec17)).Failed);
        var written = Assert.Single(Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium)).ProrataData!);
        Assert.Equal(method == BillingMethod.PreBill ? 93.00m : 3.00m, written.Quantity!.Value * written.Unitprice!.Value);

        var dec18 = new DateTime(2026, 12, 18);
        bed.Today(dec18);
        using var admin = bed.Admin();
        await DeletePremiumLine(admin, bed);
        Assert.Equal(0, (await bed.SyncAsync(dec18)).Failed);

        Assert.Empty(Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium)).ProrataData ?? new List<Simulators.HaloPsa.SimProRata>());
        Assert.Equal(390.00m, PremiumBilled(bed, new DateTime(2027, 1, 15)));
    }

    /// <summary>
    /// The +75.00 entry of 11-20 is billed by HaloPSA's 12-15 invoice (465.00); the admin then deletes HaloSync's
    /// recurring invoice that day. The run makes a new one, its lines recreated without the entry: with the invoice gone
    /// nothing says what HaloPSA generated from it, so no entry is written again (the new invoice's pro-rata bills 0.00).
    /// </summary>
    [Fact]
    public async Task A_recurring_invoice_deleted_by_hand_after_HaloPSA_billed_it_gets_no_entry_back()
    {
        var dec15 = new DateTime(2026, 12, 15);
        await using var bed = await SyncedThenContosoTakes13OnNov20Async();
        await bed.SyncAsync(Nov20);
        Assert.Equal(465.00m, PremiumBilled(bed, dec15));
        bed.Today(dec15);
        using var admin = bed.Admin();
        await admin.DeleteRecurringInvoiceAsync(bed.Invoices(bed.ContosoClient).Single().Id!.Value);

        Assert.Equal(0, (await bed.SyncAsync(dec15)).Failed);

        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((13m, 0), (line.QtyOrder!.Value, line.ProrataData?.Count ?? 0));
        var again = bed.GenerateDueInvoices(dec15).Where(i => i.ClientId == bed.ContosoClient).SelectMany(i => i.Lines ?? new List<Simulators.HaloPsa.SimInvoiceLine>())
            .Where(l => l.ItemId == bed.PremiumItem && l.ProRataLineId is not null).Sum(l => l.NetAmount ?? 0m);
        Assert.Equal(0.00m, again);
    }

    [Fact]
    public async Task A_lost_state_file_adopts_what_HaloSync_made_with_its_own_dates_and_duplicates_nothing()
    {
        await using var bed = await SyncedThenContosoTakes13OnNov20Async();
        await bed.SyncAsync(Nov20);

        bed.LoseStateFile();
        bed.Today(Nov23);
        var adopted = await bed.SyncAsync(Nov23);

        Assert.Equal((3, 0, 0, 0), (adopted.Adopted, adopted.Created, adopted.ProRataEntries, adopted.Failed));
        Assert.Single(bed.Licences(ContosoPremium));
        Assert.Single(bed.Licences(SherwebSampleData.ContosoExchangeYearly));
        Assert.Single(bed.Licences(SherwebSampleData.FabrikamBusinessPremium));
        Assert.Single(bed.Invoices(bed.ContosoClient));
        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((SyncTestBed.FirstSync, 13m), (line.Startdate!.Value, line.QtyOrder!.Value));
        Assert.Single(line.ProrataData!); // the +3 of 11-20, not added again
        var events = bed.Log().Where(e => e.RunId == adopted.RunId).ToList();
        Assert.All(events.Where(e => e.Entity == HaloEntity.SoftwareLicence), e => Assert.Equal(SyncEventKind.Adopt, e.Kind));
        var premium = events.Single(e => e.CumulusKey == "sub-" + ContosoPremium.ToString("D"));
        Assert.Equal(SyncTestBed.FirstSync, premium.EffectiveDate);
        Assert.Contains("Found in HaloPSA by its key", premium.Detail);
        Assert.Contains("from 2026-11-16", premium.Detail);
        Assert.DoesNotContain("billed from 2026-11-23", premium.Detail);

        bed.Halo.Requests.Clear();
        await bed.SyncAsync(Nov23);
        Assert.Equal(0, bed.Writes());
    }

    public static TheoryData<bool> MovedBeforeTheLoss => new() { false, true };

    /// <summary>
    /// A lost state file set up with Contoso on another client than its records are on: on Holdings while they are on
    /// Contoso Ltd, or (moved to Holdings on 11-20 before the loss) on Contoso Ltd, the client the admin first mapped it to,
    /// while they are on Holdings. The run finds them by their key and ends them on the old client as a re-map does: the
    /// same records, events and 12-15 invoices as an account whose state file was kept and re-mapped on the same day.
    /// Pre-bill, the 12-15 invoice bills 12-15 to 01-14 ahead: 10 x 30.00 = 300.00 on the client Contoso is mapped to,
    /// nothing on the other; Fabrikam 3 x 30.00 = 90.00. Before the fix the old client's line billed 300.00 as well.
    /// </summary>
    [Theory]
    [MemberData(nameof(MovedBeforeTheLoss))]
    public async Task A_lost_state_file_set_up_with_an_organization_on_another_client_ends_its_records_there_as_a_re_map_does(bool movedBefore)
    {
        await using var kept = await SyncTestBed.StartAsync();
        await using var lost = await SyncTestBed.StartAsync();
        var (day, mappedTo, oldClient) = movedBefore ? (Nov23, kept.ContosoClient, kept.HoldingsClient) : (Nov20, kept.HoldingsClient, kept.ContosoClient);
        foreach (var bed in new[] { kept, lost })
        {
            await bed.SyncAsync(SyncTestBed.FirstSync);
            if (movedBefore)
            {
                bed.MapOrganization(SherwebSampleData.Contoso, bed.HoldingsClient);
                bed.Today(Nov20);
                await bed.SyncAsync(Nov20);
            }

            bed.Today(day);
        }

        kept.MapOrganization(SherwebSampleData.Contoso, mappedTo);
        lost.LoseStateFile();
        lost.MapOrganization(SherwebSampleData.Contoso, mappedTo);

        var remapped = await kept.SyncAsync(day);
        var found = await lost.SyncAsync(day);

        Assert.Equal((2, 0), (remapped.EndedOnOldClient, remapped.Failed));
        Assert.Equal((2, 0, 0), (found.EndedOnOldClient, found.ProRataEntries, found.Failed));
        Assert.Equal((remapped.Created, remapped.Adopted + 1), (found.Created, found.Adopted)); // and Fabrikam, adopted where it was
        foreach (var subscription in new[] { ContosoPremium, SherwebSampleData.ContosoExchangeYearly })
        {
            var ended = lost.Licences(subscription).Single(l => l.ClientId == oldClient);
            Assert.Equal((false, day), (ended.IsActive!.Value, ended.EndDate!.Value));
            Assert.True(lost.Licences(subscription).Single(l => l.ClientId == mappedTo).IsActive);
        }

        var oldLine = Assert.Single(lost.Lines(oldClient, ContosoPremium));
        Assert.Equal((true, day, 10m), (oldLine.Isinactive!.Value, oldLine.Enddate!.Value, oldLine.QtyOrder!.Value));
        var events = lost.Log().Where(e => e.RunId == found.RunId && e.Kind == SyncEventKind.EndOnOldClient).ToList();
        Assert.All(events, e => Assert.Equal((oldClient, SyncEventStatus.Success), (e.HaloClientId!.Value, e.Status)));
        Assert.Contains("which this state file did not know (found active by their key)", events[0].Detail);
        Assert.Equal(Shape(kept), Shape(lost));

        lost.Halo.Requests.Clear();
        var again = await lost.SyncAsync(day);
        Assert.Equal((0, 0, 0), (again.EndedOnOldClient, again.Created, lost.Writes()));
        var december = new DateTime(2026, 12, 15);
        var totals = Totals(lost);
        Assert.Equal((300.00m, 0m, 90.00m), (totals[mappedTo], totals.TryGetValue(oldClient, out var old) ? old : 0m, totals[lost.FabrikamClient]));
        Assert.Equal(Totals(kept), totals);

        Dictionary<int, decimal> Totals(SyncTestBed bed)
            => bed.Halo.Store.GenerateInvoices(december).GroupBy(i => i.ClientId!.Value).ToDictionary(g => g.Key, g => g.Sum(i => i.Total ?? 0m));

        // Contoso's records; Fabrikam's adopted subscription takes Sherweb's renewed term end, a kept one need not.
        static string Shape(SyncTestBed bed)
            => string.Join("\n", bed.Halo.Store.Licences.Where(l => l.ClientId != bed.FabrikamClient).OrderBy(l => l.Id).Select(l => $"{l.ClientId} {l.Snowid} {l.Count} {l.IsActive} {l.EndDate:yyyy-MM-dd} {l.Price}")
                .Concat(bed.Halo.Store.RecurringInvoices.Where(i => i.ClientId != bed.FabrikamClient).OrderBy(i => i.ClientId).SelectMany(i => (i.Lines ?? new List<SimInvoiceLine>()).Select(l =>
                    $"{i.ClientId} {l.QtyOrder} {l.UnitPrice} {l.Startdate:yyyy-MM-dd} {l.Enddate:yyyy-MM-dd} {l.Isinactive} {l.ProrataData?.Count ?? 0}"))));
    }

    public static TheoryData<string> KillPoints => new() { "before any write", "after the subscriptions", "after the recurring invoices" };

    /// <summary>
    /// A run dies at a point of its writes (events Pending, nothing committed), Cumulus changes again, and the next run
    /// finishes the dead run's change on its own date before planning the new one on top: +3 on 11-20 and +2 on 11-23.
    /// </summary>
    [Theory]
    [MemberData(nameof(KillPoints))]
    public async Task A_run_killed_mid_way_is_finished_by_the_next_one_with_each_change_billed_once_on_its_date(string killPoint)
    {
        await using var bed = await SyncedThenContosoTakes13OnNov20Async();
        var dying = new InterceptedHalo(bed.HaloClient);
        void Die(string call, string at)
        {
            if (call == at)
            {
                throw new OperationCanceledException("killed");
            }
        }

        if (killPoint == "before any write")
        {
            dying.Before = call => Die(call, "SaveLicences");
        }
        else
        {
            dying.After = call => Die(call, killPoint == "after the subscriptions" ? "SaveLicences" : "SaveRecurringInvoices");
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(Nov20, dying));
        Assert.All(bed.Log().Where(e => e.EffectiveDate == Nov20), e => Assert.Equal(SyncEventStatus.Pending, e.Status));

        bed.Today(Nov23);
        bed.Sherweb.ChangeQuantity(ContosoPremium, 15, Nov23);
        var next = await bed.SyncAsync(Nov23);

        Assert.Equal(0, next.Failed);
        Assert.Equal(15, bed.Licences(ContosoPremium).Single().Count);
        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal(15m, line.QtyOrder);
        var entries = line.ProrataData!.OrderBy(p => p.Date).ToList();
        Assert.Equal(2, entries.Count);
        // 11-20: +3 for 25 of 30 days: 30.00 x 25/30 = 25.0000, 22.00 x 25/30 = 18.3333.
        Assert.Equal((Nov20, 3m, 25.0000m, 18.3333m), (entries[0].Date!.Value, entries[0].Quantity!.Value, entries[0].Unitprice!.Value, entries[0].Unitcost!.Value));
        // 11-23: +2 for 22 of 30 days: 30.00 x 22/30 = 22.0000, 22.00 x 22/30 = 16.1333.
        Assert.Equal((Nov23, 2m, 22.0000m, 16.1333m), (entries[1].Date!.Value, entries[1].Quantity!.Value, entries[1].Unitprice!.Value, entries[1].Unitcost!.Value));
        var log = bed.Log();
        Assert.All(log, e => Assert.Equal(SyncEventStatus.Success, e.Status));
        Assert.Contains(log, e => e.Kind == SyncEventKind.ChangeQuantity && (e.QuantityBefore, e.QuantityAfter) == (10m, 13m));
        Assert.Contains(log, e => e.Kind == SyncEventKind.ChangeQuantity && (e.QuantityBefore, e.QuantityAfter) == (13m, 15m));
        Assert.Equal("Abandoned", bed.WithStore(store => RunStatus(store, log.First(e => e.EffectiveDate == Nov20 && e.QuantityAfter == 13m).RunId)));
    }

    /// <summary>
    /// "Several changes in a period give several entries": 10 -> 13, 13 -> 10 and 10 -> 13 again, each seen by a run on
    /// 11-20, are three entries, the third not mistaken for the first. Each is 25 of 30 days: 30.00 x 25/30 = 25.0000.
    /// The 12-15 invoice: 13 x 30.00 + (3 - 3 + 3) x 25.0000 = 465.00.
    /// </summary>
    /// <summary>
    /// Contoso 10 -> 13 on 11-20 and back to 10 on 11-22, while HaloPSA refuses every recurring-invoice save (503, not
    /// carried out): the line never leaves 10. Finished on 11-22, each change gets its own entry, period [11-15, 12-15):
    /// +3 x 30.00 x 25/30 = +75.00 and -3 x 30.00 x 23/30 = -69.00, so 12-15 bills 10 x 30.00 + 75.00 - 69.00 = 306.00
    /// (a line back at its starting quantity is not taken for one written without entries).
    /// </summary>
    [Fact]
    public async Task Two_changes_that_cancel_out_whose_writes_never_reached_HaloPSA_are_each_billed_when_finished()
    {
        await using var bed = await SyncedThenContosoTakes13OnNov20Async();
        var refused = FaultRule.Status(503, times: 1000);
        (refused.Method, refused.PathContains) = ("POST", "/api/RecurringInvoice");
        bed.Halo.Faults.Enqueue(refused);
        Assert.True((await bed.SyncAsync(Nov20)).Failed > 0);
        var nov22 = new DateTime(2026, 11, 22);
        bed.Today(nov22);
        bed.Sherweb.ChangeQuantity(ContosoPremium, 10, nov22);
        Assert.True((await bed.SyncAsync(nov22)).Failed > 0);
        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((10m, 0), (line.QtyOrder!.Value, line.ProrataData?.Count ?? 0));
        bed.Halo.Faults.Clear();

        Assert.Equal(0, (await bed.SyncAsync(nov22)).Failed);

        Assert.All(bed.Log().Where(e => e.Kind == SyncEventKind.ChangeQuantity), e => Assert.Equal(SyncEventStatus.Success, e.Status));
        var entries = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium)).ProrataData!.OrderBy(p => p.Date).ToList();
        Assert.Equal(new[] { (3m, 25.0000m, Nov20), (-3m, 23.0000m, nov22) }, entries.Select(p => (p.Quantity!.Value, p.Unitprice!.Value, p.Date!.Value)));
        Assert.Equal(306.00m, PremiumBilled(bed, new DateTime(2026, 12, 15)));
    }

    [Fact]
    public async Task The_same_change_made_again_on_the_same_day_is_billed_again()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(Nov20);
        foreach (var quantity in new[] { 13, 10, 13 })
        {
            bed.Sherweb.ChangeQuantity(ContosoPremium, quantity, Nov20);
            var summary = await bed.SyncAsync(Nov20);
            Assert.Equal((0, 1), (summary.Failed, summary.ProRataEntries));
        }

        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal(13m, line.QtyOrder);
        Assert.Equal(new[] { 3m, -3m, 3m }, line.ProrataData!.Select(p => p.Quantity!.Value));
        Assert.All(line.ProrataData!, p => Assert.Equal((Nov20, 25.0000m, 18.3333m), (p.Date!.Value, p.Unitprice!.Value, p.Unitcost!.Value)));
        var invoice = bed.Halo.Store.GenerateInvoices(new DateTime(2026, 12, 15), bed.Invoices(bed.ContosoClient).Single().Id!.Value).Single();
        Assert.Equal(465.00m, invoice.Total);
    }

    /// <summary>
    /// A run dies after its pro-rata entry reached HaloPSA with the marker an earlier version wrote (no event in it): the
    /// run that finishes the event recognises the entry and does not add it again.
    /// </summary>
    [Fact]
    public async Task A_pro_rata_entry_an_earlier_version_wrote_is_recognised_when_its_event_is_finished()
    {
        await using var bed = await SyncedThenContosoTakes13OnNov20Async();
        var dying = new InterceptedHalo(bed.HaloClient)
        {
            After = call => { if (call == "SaveRecurringInvoices") throw new OperationCanceledException("killed"); },
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bed.SyncAsync(Nov20, dying));
        using var admin = bed.Admin();
        var legacy = HaloKeys.LegacyProRataMarker("sub-" + ContosoPremium.ToString("D"), Nov20, 10m, 13m);
        await EditLine(admin, bed, line => line.ProRata!.Single().LongDescription = legacy);

        var next = await bed.SyncAsync(Nov20);

        Assert.Equal(0, next.Failed);
        var entry = Assert.Single(Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium)).ProrataData!);
        Assert.Equal((3m, legacy), (entry.Quantity!.Value, entry.Longdescription));
        Assert.All(bed.Log(), e => Assert.Equal(SyncEventStatus.Success, e.Status));
    }

    /// <summary>
    /// Sherweb leaves Contoso's 10 seats out of its 11-20 answer, then lists them again on 11-21: the cancellation is a
    /// change to 0 (-10 for 25 of 30 days: 30.00 x 25/30 = 25.0000, 22.00 x 25/30 = 18.3333) and the return a change from
    /// 0 first seen on 11-21 (+10 for 24 of 30 days: 24.0000 and 17.6000), on the same subscription and line. The 12-15
    /// invoice: 10 x 30.00 - 10 x 25.0000 + 10 x 24.0000 = 290.00.
    /// </summary>
    [Fact]
    public async Task A_subscription_listed_again_after_its_cancellation_is_a_change_from_0_on_the_same_records()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var everything = bed.Sherweb.State.Snapshot();
        bed.Today(Nov20);
        bed.Sherweb.Seed(everything with { Subscriptions = everything.Subscriptions.Where(s => s.Id != ContosoPremium).ToList() });
        Assert.Equal(1, (await bed.SyncAsync(Nov20)).Cancelled);
        var nov21 = new DateTime(2026, 11, 21);
        bed.Today(nov21);
        bed.Sherweb.Seed(everything);

        var back = await bed.SyncAsync(nov21);

        Assert.Equal((0, 0, 1, 1), (back.Failed, back.Created, back.Updated, back.ProRataEntries));
        var licence = Assert.Single(bed.Licences(ContosoPremium));
        Assert.Equal((true, 10), (licence.IsActive!.Value, licence.Count!.Value));
        var line = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((10m, false, SyncTestBed.FirstSync), (line.QtyOrder!.Value, line.Isinactive ?? false, line.Startdate!.Value.Date));
        Assert.NotEqual(Nov20, line.Enddate?.Date);
        Assert.Equal(new[] { (Nov20, -10m, 25.0000m, 18.3333m), (nov21, 10m, 24.0000m, 17.6000m) },
            line.ProrataData!.Select(p => (p.Date!.Value, p.Quantity!.Value, p.Unitprice!.Value, p.Unitcost!.Value)));
        var invoice = bed.Halo.Store.GenerateInvoices(new DateTime(2026, 12, 15), bed.Invoices(bed.ContosoClient).Single().Id!.Value).Single();
        Assert.Equal(290.00m, invoice.Total);
        var returned = Assert.Single(bed.Log(), e => e.RunId == back.RunId);
        Assert.Equal((SyncEventKind.ChangeQuantity, 0m, 10m), (returned.Kind, returned.QuantityBefore, returned.QuantityAfter));
        Assert.EndsWith("(listed again after its cancellation)", returned.Detail);
    }

    /// <summary>A mapped organization Sherweb stops listing is not cancelled on a guess, but no longer silently either: each run warns.</summary>
    /// <summary>
    /// Contoso buys 4 Teams Phone seats (monthly billing, annual term) on 11-20 and cancels them on 11-21, with no run
    /// between: Sherweb lists the subscription with 0 seats until its term ends, and how many it held is not told.
    /// Nothing is written (no seats to bill), and each run names it while its purchase falls in this billing period or
    /// the one before: 11-21 and 12-20 do, 01-20 (Sherweb still listing it) does not.
    /// </summary>
    [Fact]
    public async Task A_subscription_bought_and_cancelled_between_two_runs_is_named_for_billing_by_hand()
    {
        const string sku = "SW-TEAMS-PHONE";
        await using var bed = await SyncTestBed.StartAsync();
        var item = bed.Halo.Store.AddItem(new SimItem { Name = "Teams Phone", Baseprice = 30.00m, Costprice = 0m, SupplierPartCode = sku }).Id!.Value;
        bed.Sherweb.PutProduct(new SherwebProduct { Sku = sku, Name = "Teams Phone", Description = "Teams Phone", MonthlyListPrice = 8.00m, YearlyListPrice = 96.00m });
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(Nov20);
        bed.Sherweb.Settings = bed.Sherweb.Settings with { CancelledSubscriptions = CancelledSubscriptionVisibility.ZeroQuantityUntilTermEnd };
        var phone = bed.Sherweb.Purchase(SherwebSampleData.Contoso, sku, 4, commitmentTerm: SherwebCommitmentTerm.Annual,
            purchaseDate: new DateTimeOffset(Nov20.AddHours(9), TimeSpan.Zero));
        var nov21 = new DateTime(2026, 11, 21);
        bed.Today(nov21);
        bed.Sherweb.Cancel(phone.Id, nov21);
        var warning = $"Contoso Ltd: Teams Phone ({sku}) was bought on 2026-11-20 and Sherweb lists it cancelled before any run saw it";

        var run = await bed.SyncAsync(nov21);

        Assert.Contains(run.Warnings, w => w.StartsWith(warning, StringComparison.Ordinal) && w.EndsWith("Bill them by hand from Sherweb's payable charges.", StringComparison.Ordinal));
        Assert.Empty(bed.Licences(phone.Id));
        Assert.DoesNotContain(bed.Invoices(bed.ContosoClient).SelectMany(i => i.Lines!), l => l.ItemId == item);
        bed.Today(new DateTime(2026, 12, 20));
        Assert.Contains((await bed.SyncAsync(new DateTime(2026, 12, 20))).Warnings, w => w.StartsWith(warning, StringComparison.Ordinal));
        var jan20 = new DateTime(2027, 1, 20);
        bed.Today(jan20);
        Assert.DoesNotContain((await bed.SyncAsync(jan20)).Warnings, w => w.StartsWith(warning, StringComparison.Ordinal));
        Assert.Contains(await bed.Cumulus.GetSubscriptionsAsync(SherwebSampleData.Contoso), s => s.Id == phone.Id && s.Quantity == 0);
    }

    [Fact]
    public async Task A_mapped_organization_Sherweb_no_longer_lists_is_left_as_it_is_with_a_warning()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var everything = bed.Sherweb.State.Snapshot();
        bed.Sherweb.Seed(everything with
        {
            Customers = everything.Customers.Where(c => c.Id != SherwebSampleData.Fabrikam).ToList(),
            Subscriptions = everything.Subscriptions.Where(s => s.CustomerId != SherwebSampleData.Fabrikam).ToList(),
            Charges = everything.Charges.Where(c => c.CustomerId != SherwebSampleData.Fabrikam).ToList(),
        });
        bed.Today(Nov20);

        var summary = await bed.SyncAsync(Nov20);

        var warning = Assert.Single(summary.Warnings);
        Assert.Contains($"({SherwebSampleData.Fabrikam:D}): mapped to HaloPSA client {bed.FabrikamClient}, but Sherweb no longer lists this customer.", warning);
        Assert.Equal((0, 0), (summary.Cancelled, summary.Failed));
        var licence = bed.Licences(SherwebSampleData.FabrikamBusinessPremium).Single();
        Assert.Equal((true, 3), (licence.IsActive!.Value, licence.Count!.Value)); // Fabrikam has 3 seats
    }

    /// <summary>
    /// "Kept in step (count, dates, cost)": the sample's annual terms began on 2026-06-19 (five months and three days
    /// before the first sync), so they end on 2027-06-18; renewed, on 2028-06-18. Fabrikam's monthly term renews every
    /// month and is not followed (a write per subscription per month, no money in it).
    /// </summary>
    [Fact]
    public async Task A_renewed_term_moves_the_HaloPSA_subscription_s_end_date_once()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        Assert.Equal(new DateTime(2027, 6, 18), bed.Licences(SherwebSampleData.ContosoExchangeYearly).Single().EndDate!.Value.Date);
        var renewed = new DateTime(2027, 6, 21);
        bed.Today(renewed);

        var summary = await bed.SyncAsync(renewed);

        Assert.Equal(0, summary.Failed);
        var terms = bed.Log().Where(e => e.RunId == summary.RunId && e.Kind == SyncEventKind.UpdateTerm).ToList();
        Assert.Equal(new[] { "sub-" + ContosoPremium.ToString("D"), "sub-" + SherwebSampleData.ContosoExchangeYearly.ToString("D") },
            terms.Select(e => e.CumulusKey).OrderBy(k => k));
        Assert.All(terms, e => Assert.StartsWith("Term ends 2028-06-18 (was 2027-06-18) at Sherweb, seen 2027-06-21", e.Detail));
        foreach (var subscription in new[] { ContosoPremium, SherwebSampleData.ContosoExchangeYearly })
        {
            var licence = bed.Licences(subscription).Single();
            Assert.Equal((new DateTime(2028, 6, 18), true), (licence.EndDate!.Value.Date, licence.IsActive!.Value));
        }

        var writes = bed.Writes();
        var again = await bed.SyncAsync(renewed);
        Assert.Equal((0, 0), (again.Updated, bed.Writes() - writes));

        using var admin = bed.Admin();
        var exchange = bed.Licences(SherwebSampleData.ContosoExchangeYearly).Single();
        await admin.SaveLicencesAsync(new[] { new HaloLicence { Id = exchange.Id!.Value, EndDate = new DateTime(2027, 9, 1) } });
        var edited = await bed.SyncAsync(renewed);
        Assert.Equal(1, edited.DriftReverted);
        Assert.Contains("subscription term end 2027-09-01 (should be 2028-06-18)", Assert.Single(bed.Log(), e => e.RunId == edited.RunId).Detail);
        Assert.Equal(new DateTime(2028, 6, 18), bed.Licences(SherwebSampleData.ContosoExchangeYearly).Single().EndDate!.Value.Date);
    }

    /// <summary>
    /// The item Business Premium is mapped to is deleted in HaloPSA. Its price is unknown, not 0.00: the lines keep
    /// their 30.00 (the 12-15 invoice bills 10 x 30.00 = 300.00, not 0.00), a change still bills its pro-rata at the
    /// price billed (+3 x 25.0000), and the run warns until the product is mapped to an item HaloPSA lists.
    /// </summary>
    [Fact]
    public async Task A_mapped_item_HaloPSA_no_longer_lists_never_prices_anything_at_zero()
    {
        await using var bed = await SyncedThenContosoTakes13OnNov20Async();
        bed.Halo.Store.DeleteItem(bed.PremiumItem);

        var summary = await bed.SyncAsync(Nov20);

        Assert.Equal(0, summary.Failed);
        Assert.DoesNotContain(bed.Log(), e => e.RunId == summary.RunId && e.Kind == SyncEventKind.UpdatePrice);
        Assert.Contains(summary.Warnings, w => w.StartsWith("Contoso Ltd: ", StringComparison.Ordinal) && w.Contains($"mapped to HaloPSA item {bed.PremiumItem}, which HaloPSA does not list"));
        var contoso = Assert.Single(bed.Lines(bed.ContosoClient, ContosoPremium));
        Assert.Equal((13m, 30.00m), (contoso.QtyOrder!.Value, contoso.UnitPrice!.Value));
        Assert.Equal((3m, 25.0000m), (Assert.Single(contoso.ProrataData!).Quantity!.Value, contoso.ProrataData![0].Unitprice!.Value));
        var fabrikam = bed.Halo.Store.GenerateInvoices(new DateTime(2026, 12, 15)).Single(i => i.ClientId == bed.FabrikamClient);
        Assert.Equal(90.00m, fabrikam.Total); // 3 x 30.00
    }

    /// <summary>
    /// Business Premium's item is deleted in HaloPSA while two others now carry its SKU. The product stays mapped to the
    /// item it bills through (a tie never un-maps it), so Contoso's cancellation on 11-20 is billed at the price billed:
    /// -10 x 30.00 x 25/30 = -250.00 on the 12-15 invoice, not a frozen line billing 300.00 a month.
    /// </summary>
    [Fact]
    public async Task A_billing_product_whose_item_is_deleted_while_two_others_carry_its_SKU_still_bills_its_cancellation()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Halo.Store.DeleteItem(bed.PremiumItem);
        bed.Halo.Store.AddItem(new SimItem { Name = "M365 BP (Y)", Baseprice = 30.00m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku });
        bed.Halo.Store.AddItem(new SimItem { Name = "M365 BP (Z)", Baseprice = 30.00m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku });
        bed.Today(Nov20);
        bed.Sherweb.Cancel(ContosoPremium, Nov20);

        var summary = await bed.SyncAsync(Nov20);

        Assert.Equal((0, 1), (summary.Failed, summary.Cancelled));
        Assert.Equal(-250.00m, PremiumBilled(bed, new DateTime(2026, 12, 15)));
        var product = bed.WithStore(s => new MappingRepository(s).FindProduct(SherwebSampleData.BusinessPremiumSku)!);
        Assert.Equal((ProductMappingStatus.AutoMapped, bed.PremiumItem), (product.Status, product.HaloItemId!.Value));
    }

    /// <summary>
    /// Business Premium is mapped automatically with its sync switched off by the admin. Its item is deleted while two
    /// others carry the SKU, then one of them is deleted too: the switch stays off through the tie and after it, and no
    /// run touches the subscriptions the admin keeps by hand.
    /// </summary>
    [Fact]
    public async Task A_switched_off_automatic_mapping_stays_off_through_a_tie_on_its_SKU()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.WithStore(store =>
        {
            var mappings = new MappingRepository(store);
            var product = mappings.FindProduct(SherwebSampleData.BusinessPremiumSku)!;
            product.SyncEnabled = false;
            mappings.SaveProduct(product, DateTimeOffset.UtcNow);
        });
        bed.Halo.Store.DeleteItem(bed.PremiumItem);
        bed.Halo.Store.AddItem(new SimItem { Name = "M365 BP (Y)", Baseprice = 30.00m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku });
        var z = bed.Halo.Store.AddItem(new SimItem { Name = "M365 BP (Z)", Baseprice = 30.00m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku }).Id!.Value;
        await bed.SyncAsync(new DateTime(2026, 11, 17));
        bed.Halo.Store.DeleteItem(z);

        var summary = await bed.SyncAsync(new DateTime(2026, 11, 18));

        var status = bed.WithStore(s => new MappingRepository(s).FindProduct(SherwebSampleData.BusinessPremiumSku)!.Status);
        Assert.Equal((ProductMappingStatus.Disabled, 0), (status, bed.Log().Count(e => e.RunId == summary.RunId && e.Kind == SyncEventKind.ChangeItem)));
    }

    /// <summary>
    /// A second HaloPSA item gets Business Premium's part code while the product bills through the first. The product
    /// stays mapped (with a warning), so Contoso's cancellation on 11-20 is billed: -10 x 30.00 x 25/30 = -250.00 on the
    /// 12-15 invoice, not a frozen line billing 300.00 a month.
    /// </summary>
    [Fact]
    public async Task A_second_item_with_the_SKU_of_a_billing_product_does_not_freeze_its_lines()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Halo.Store.AddItem(new SimItem { Name = "M365 BP copy", Baseprice = 30.00m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku });
        bed.Today(Nov20);
        bed.Sherweb.Cancel(ContosoPremium, Nov20);

        var summary = await bed.SyncAsync(Nov20);

        Assert.Equal((1, 0), (summary.Cancelled, summary.Failed));
        Assert.Contains(summary.Warnings, w => w.StartsWith($"Automatic mapping: {SherwebSampleData.BusinessPremiumSku}: 2 HaloPSA items have the supplier SKU", StringComparison.Ordinal));
        Assert.Equal(-250.00m, bed.Halo.Store.GenerateInvoices(new DateTime(2026, 12, 15)).Single(i => i.ClientId == bed.ContosoClient).Total);
    }

    /// <summary>
    /// Business Premium is mapped by hand to another item, "M365 BP (bundle)" at 32.00. Contoso's and Fabrikam's lines and
    /// subscriptions move to it and take its price (no pro-rata): the 12-15 invoices bill 10 x 32.00 = 320.00 and
    /// 3 x 32.00 = 96.00, as the new item. The same at an unchanged price still moves them.
    /// </summary>
    [Theory]
    [InlineData(32.00)]
    [InlineData(30.00)]
    public async Task A_product_mapped_to_another_item_moves_its_lines_and_subscriptions_to_it(double newPrice)
    {
        var price = (decimal)newPrice;
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var bundle = bed.Halo.Store.AddItem(new SimItem { Name = "M365 BP (bundle)", Baseprice = price }).Id!.Value;
        bed.WithStore(store =>
        {
            var mappings = new HaloSync.Engine.Mapping.MappingRepository(store);
            var product = mappings.FindProduct(SherwebSampleData.BusinessPremiumSku)!;
            (product.HaloItemId, product.HaloItemName, product.Source) = (bundle, "M365 BP (bundle)", HaloSync.Engine.Mapping.MappingSource.Manual);
            mappings.SaveProduct(product, DateTimeOffset.UtcNow);
        });
        bed.Today(Nov20);

        var summary = await bed.SyncAsync(Nov20);

        Assert.Equal((2, 0, 0), (summary.Updated, summary.ProRataEntries, summary.Failed));
        Assert.All(bed.Log().Where(e => e.RunId == summary.RunId && e.Kind != SyncEventKind.UpdateItemCost),
            e => Assert.Equal((SyncEventKind.ChangeItem, (int?)bundle), (e.Kind, e.HaloItemId)));
        var december = bed.Halo.Store.GenerateInvoices(new DateTime(2026, 12, 15));
        foreach (var (client, subscription, seats) in new[] { (bed.ContosoClient, ContosoPremium, 10), (bed.FabrikamClient, SherwebSampleData.FabrikamBusinessPremium, 3) })
        {
            var line = Assert.Single(bed.Lines(client, subscription));
            Assert.Equal((bundle, price), (line.ItemId!.Value, line.UnitPrice!.Value));
            Assert.Equal((bundle, price), (bed.Licences(subscription).Single().ItemId!.Value, bed.Licences(subscription).Single().Price!.Value));
            var invoice = december.Single(i => i.ClientId == client);
            Assert.Equal((seats * price, bundle), (invoice.Total!.Value, invoice.Lines!.Single().ItemId!.Value));
        }

        Assert.Equal(0, (await bed.SyncAsync(Nov20)).Updated);
    }

    [Fact]
    public async Task A_subscription_switched_off_and_then_cancelled_in_Cumulus_is_not_touched()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.WithStore(store => new HaloSync.Engine.Mapping.MappingRepository(store).SetChargeSync(SherwebSampleData.Contoso.ToString("D"), "sub-" + ContosoPremium.ToString("D"), false, DateTimeOffset.UtcNow));
        bed.Today(Nov20);
        bed.Sherweb.Cancel(ContosoPremium, Nov20);

        var summary = await bed.SyncAsync(Nov20);

        Assert.Equal((0, 1), (summary.Cancelled, summary.SkippedUnmapped));
        var licence = bed.Licences(ContosoPremium).Single();
        Assert.Equal((true, 10), (licence.IsActive!.Value, licence.Count!.Value));
        Assert.False(bed.Lines(bed.ContosoClient, ContosoPremium).Single().Isinactive);
    }

    [Fact]
    public async Task A_new_item_price_reaches_every_line_and_subscription_HaloSync_keeps_without_pro_rata()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        using var admin = bed.Admin();
        await admin.SaveItemsAsync(new[] { new HaloItem { Id = bed.PremiumItem, BasePrice = 33.00m } });

        var summary = await bed.SyncAsync(Nov20);

        Assert.Equal((2, 0), (summary.Updated, summary.ProRataEntries));
        Assert.All(bed.Log().Where(e => e.RunId == summary.RunId), e => Assert.Equal(SyncEventKind.UpdatePrice, e.Kind));
        foreach (var (client, subscription) in new[] { (bed.ContosoClient, ContosoPremium), (bed.FabrikamClient, SherwebSampleData.FabrikamBusinessPremium) })
        {
            var line = bed.Lines(client, subscription).Single();
            Assert.Equal(33.00m, line.UnitPrice);
            Assert.True(line.ProrataData is null || line.ProrataData.Count == 0);
            Assert.Equal(33.00m, bed.Licences(subscription).Single().Price);
        }

        Assert.Equal(6.00m, bed.Licences(SherwebSampleData.ContosoExchangeYearly).Single().Price);
    }

    [Fact]
    public async Task Told_to_wait_600_s_the_run_sends_nothing_more_and_the_next_run_finishes()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Faults.Enqueue(new Simulators.Common.FaultRule
        {
            Kind = Simulators.Common.FaultKind.Status, StatusCode = 429, RetryAfter = "600", Method = "POST", PathContains = "/api/SoftwareLicence",
            Body = "{\"error\":\"Rate Limit Reached - 300 Requests per rolling 5 minute window\"}",
        });

        var limited = await bed.SyncAsync(SyncTestBed.FirstSync);

        var requests = bed.Halo.Requests.Snapshot();
        var refused = requests.Single(r => r.StatusCode == 429);
        Assert.DoesNotContain(requests, r => r.Sequence > refused.Sequence);
        Assert.Equal(4, limited.Failed); // three subscriptions and the item cost
        Assert.All(bed.Failures, f => Assert.Equal(HaloSyncErrorKind.RateLimited, f.Error.Kind));

        bed.Halo.Clock.Advance(TimeSpan.FromSeconds(601));
        bed.Failures.Clear();
        var finished = await bed.SyncAsync(SyncTestBed.FirstSync);

        Assert.Equal((0, 3), (finished.Failed, finished.Created));
        Assert.Single(bed.Licences(ContosoPremium));
        // The item cost of the limited run is planned afresh, and the old event closed as superseded.
        Assert.All(bed.Log(), e => Assert.Equal(e.Kind == SyncEventKind.UpdateItemCost && e.RunId == limited.RunId ? SyncEventStatus.Superseded : SyncEventStatus.Success, e.Status));
        Assert.Equal(22.00m, bed.Halo.Store.Items.Single(i => i.Id == bed.PremiumItem).Costprice);
    }

    /// <summary>A bed after its first sync, with Contoso's Business Premium going 10 -> 13 on 11-20 at Sherweb.</summary>
    private static async Task<SyncTestBed> SyncedThenContosoTakes13OnNov20Async()
    {
        var bed = await SyncTestBed.StartAsync();
        try
        {
            await bed.SyncAsync(SyncTestBed.FirstSync);
            bed.Today(Nov20);
            bed.Sherweb.ChangeQuantity(ContosoPremium, 13, Nov20);
            return bed;
        }
        catch
        {
            await bed.DisposeAsync();
            throw;
        }
    }

    private static async Task DeletePremiumLine(HaloPsaClient admin, SyncTestBed bed)
    {
        var invoice = (await admin.GetRecurringInvoicesAsync(bed.ContosoClient, true)).Single();
        await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice { Id = invoice.Id, Lines = invoice.Lines!.Where(l => l.ItemId != bed.PremiumItem).ToList() });
        Assert.Empty(bed.Lines(bed.ContosoClient, ContosoPremium));
    }

    private static decimal PremiumBilled(SyncTestBed bed, DateTime day)
        => bed.GenerateDueInvoices(day).Where(i => i.ClientId == bed.ContosoClient)
            .SelectMany(i => i.Lines ?? new List<Simulators.HaloPsa.SimInvoiceLine>()).Where(l => l.ItemId == bed.PremiumItem).Sum(l => l.NetAmount ?? 0m);

    private static async Task EditLine(HaloPsaClient admin, SyncTestBed bed, Action<HaloInvoiceLine> edit)
    {
        var invoice = (await admin.GetRecurringInvoicesAsync(bed.ContosoClient, true)).Single();
        edit(invoice.Lines!.Single(l => l.ItemId == bed.PremiumItem));
        await admin.SaveRecurringInvoiceAsync(new HaloRecurringInvoice { Id = invoice.Id, Lines = invoice.Lines });
    }

    private static string RunStatus(HaloSync.Engine.State.StateStore store, string runId)
    {
        using var command = store.Command("SELECT status FROM runs WHERE run_id = $r;");
        command.Parameters.AddWithValue("$r", runId);
        return (string)command.ExecuteScalar()!;
    }
}
