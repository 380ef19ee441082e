using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Migration;
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;
using HaloSync.Engine.Tests.Sync;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Migration;

/// <summary>
/// Start-HaloMigration against both simulators, with a legacy integration's records in HaloPSA next to what HaloSync
/// made on its first sync (2026-11-16; see <see cref="SyncTestBed"/>: Contoso Business Premium x10 monthly and Exchange x5
/// yearly, Fabrikam Business Premium x3; Business Premium sells at 30.00, Exchange at 6.00). Migrations run on 2026-11-20.
/// </summary>
public sealed class MigrationTests
{
    private static readonly DateTime Nov20 = new(2026, 11, 20);

    /// <summary>What the legacy integration made for a client: a subscription per product and a "Monthly Billing" invoice with a linked line each.</summary>
    private static (List<SimLicence> Licences, SimRecurringInvoice Invoice) Legacy(SyncTestBed bed, int client, params (string Name, int? Item, int Seats, decimal Price, bool Line)[] products)
    {
        var licences = products.Select(p => bed.Halo.Store.AddLicence(new SimLicence
        {
            Type = 1, ClientId = client, Name = p.Name, ItemId = p.Item, Count = p.Seats, Price = p.Price, BillingCycle = "Monthly", Status = "Active", IsActive = true,
            StartDate = new DateTime(2025, 3, 1),
        })).ToList();
        var invoice = bed.Halo.Store.AddRecurringInvoice(new SimRecurringInvoice
        {
            ClientId = client, Reference = "Monthly Billing", IsRecurringInvoice = true, Period = 2, Startdate = new DateTime(2025, 3, 15),
            Lines = products.Zip(licences).Where(p => p.First.Line).Select(p => new SimInvoiceLine
            {
                ItemId = p.First.Item ?? -1, ItemShortdescription = p.First.Name, QtyOrder = p.First.Seats, UnitPrice = p.First.Price, Startdate = new DateTime(2025, 3, 15),
                QuantityLicences = new() { new SimLicenceLink { LicenceId = p.Second.Id, Kind = 1 } },
            }).ToList(),
        });
        return (licences, invoice);
    }

    private static SimRecurringInvoice OtherInvoice(SyncTestBed bed, int client, string reference, string line, decimal price)
        => bed.Halo.Store.AddRecurringInvoice(new SimRecurringInvoice
        {
            ClientId = client, Reference = reference, IsRecurringInvoice = true, Period = 2, Startdate = new DateTime(2025, 1, 1),
            Lines = new() { new SimInvoiceLine { ItemId = -1, ItemShortdescription = line, QtyOrder = 1, UnitPrice = price, Startdate = new DateTime(2025, 1, 1) } },
        });

    private static int ExchangeItem(SyncTestBed bed) => bed.Halo.Store.Items.Single(i => i.Name == "Exchange Plan 1").Id!.Value;

    /// <summary>Start-HaloMigration for one organization on 2026-11-20, as the cmdlet runs it.</summary>
    private static async Task<(MigrationReview Review, MigrationSummary Summary)> MigrateAsync(SyncTestBed bed, Guid organization, bool cutover, bool remove = false)
    {
        using var store = StateStore.Open(bed.StatePath);
        var mapping = new MappingRepository(store).FindOrganization(organization.ToString("D"))!;
        var runner = new MigrationRunner(store, bed.HaloClient, (e, error) => bed.Failures.Add((e, error)), bed.Verbose.Add, () => bed.Halo.Clock.UtcNow);
        var review = await runner.ReviewAsync(mapping, Nov20, remove, default);
        return (review, cutover ? await runner.CutOverAsync(review, default) : runner.Summary(review, MigrationOutcome.Validated));
    }

    private static List<MigrationRecord> Migrations(SyncTestBed bed) => bed.WithStore(store => new MigrationState(store).GetMigrations());

    private static List<SyncEvent> CutoverEvents(SyncTestBed bed) => bed.Log().Where(e => SyncEventKinds.Cutover.Contains(e.Kind)).ToList();

    private static SimLicence Licence(SyncTestBed bed, int id) => bed.Halo.Store.Licences.Single(l => l.Id == id);

    private static SimRecurringInvoice Invoice(SyncTestBed bed, int id) => bed.Halo.Store.RecurringInvoices.Single(i => i.Id == id);

    [Fact]
    public async Task A_fully_covered_client_is_compared_then_cut_over_and_a_second_cutover_writes_nothing()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var legacy = Legacy(bed, bed.ContosoClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 10, 30.00m, true), ("Exchange Online", ExchangeItem(bed), 5, 6.00m, false));
        var support = OtherInvoice(bed, bed.ContosoClient, "Support", "Managed services", 150.00m);
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Halo.Requests.Clear();

        var (review, validated) = await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: false);

        Assert.Equal(0, bed.Writes());
        Assert.Equal(2, bed.Halo.Requests.Snapshot().Count(r => r.Method == "GET" && r.Path.StartsWith("/api/", StringComparison.Ordinal))); // one list read each
        Assert.Equal(new[]
        {
            (MigrationRecordKind.Subscription, MigrationMatch.Matched, MigrationAction.Deactivate),
            (MigrationRecordKind.Subscription, MigrationMatch.Matched, MigrationAction.Deactivate),
            (MigrationRecordKind.Line, MigrationMatch.OnlyInLegacy, MigrationAction.LeaveAlone),
            (MigrationRecordKind.Line, MigrationMatch.Matched, MigrationAction.EndInvoice),
        }, review.Items.Select(i => (i.Record, i.Status, i.Cutover)));
        // Legacy: 10 x 30.00 = 300.00 on Monthly Billing (ended) and 1 x 150.00 = 150.00 on Support (billing on); HaloSync: 10 x 30.00 = 300.00.
        // Switching changes nothing: 300.00 + 150.00 before, 300.00 + 150.00 after.
        Assert.Equal((450.00m, 300.00m, 300.00m, 0m), (validated.LegacyMonthlyTotal, validated.LegacyMonthlyToEnd, validated.HaloSyncMonthlyTotal, validated.MonthlyChange));
        Assert.Null(review.ChangeWarning());
        Assert.Equal((MigrationOutcome.Validated, true, 2, 1, 0), (validated.Outcome, validated.ReadyForCutover, validated.SubscriptionsToDeactivate, validated.InvoicesToEnd, validated.NotCovered));

        var cut = (await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: true)).Summary;

        Assert.Equal((MigrationOutcome.CutOver, 0, (DateTime?)Nov20), (cut.Outcome, cut.Failed, cut.MigratedOn));
        Assert.Empty(bed.Failures);
        foreach (var licence in legacy.Licences)
        {
            var now = Licence(bed, licence.Id!.Value);
            Assert.Equal((false, "Inactive", (DateTime?)Nov20, licence.Count), (now.IsActive!.Value, now.Status, now.EndDate, now.Count));
        }

        var ended = Invoice(bed, legacy.Invoice.Id!.Value);
        Assert.Equal((true, (DateTime?)Nov20), (ended.Disabled!.Value, ended.Enddate));
        Assert.Equal(10m, ended.Lines!.Single().QtyOrder); // the lines stay as they were: the invoice no longer runs
        Assert.False(Invoice(bed, support.Id!.Value).Disabled);
        Assert.All(bed.Halo.Store.Licences.Where(l => l.Snowid is not null), l => Assert.True(l.IsActive));
        var events = CutoverEvents(bed);
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal((SyncEventStatus.Success, cut.RunId, bed.ContosoClient, 1), (e.Status, e.RunId, e.HaloClientId!.Value, e.Attempts)));
        Assert.Contains(events, e => e.Kind == SyncEventKind.EndLegacyInvoice && e.HaloId == legacy.Invoice.Id && e.Detail!.Contains("disabled with end date 2026-11-20"));
        var migration = Assert.Single(Migrations(bed));
        Assert.Equal((SherwebSampleData.Contoso.ToString("D"), bed.ContosoClient, Nov20, cut.RunId, 2, 1, 0), (migration.OrganizationId, migration.HaloClientId,
            migration.CutoverOn, migration.RunId, migration.DeactivatedSubscriptions, migration.EndedInvoices, migration.RemovedInvoices));
        Assert.Equal((450.00m, 300.00m), (migration.LegacyMonthlyTotal, migration.HaloSyncMonthlyTotal));

        bed.Halo.Requests.Clear();
        var (again, second) = await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: true);

        Assert.Equal(0, bed.Writes());
        Assert.True(again.NothingToWrite);
        Assert.Equal(3, CutoverEvents(bed).Count);
        Assert.Equal(cut.RunId, Assert.Single(Migrations(bed)).RunId);
        Assert.Equal((DateTime?)Nov20, second.MigratedOn);
        // A sync afterwards keeps HaloSync's records as they are and never touches the legacy ones.
        var sync = await bed.SyncAsync(Nov20);
        Assert.Equal((0, 0), (sync.Failed, bed.Writes()));
    }

    [Fact]
    public async Task A_partly_covered_invoice_is_refused_with_what_is_not_covered_and_nothing_is_written_until_the_line_moves()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var legacy = Legacy(bed, bed.FabrikamClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 3, 30.00m, true), ("Managed services", null, 1, 150.00m, true));
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Halo.Requests.Clear();

        var (review, validated) = await MigrateAsync(bed, SherwebSampleData.Fabrikam, cutover: false);
        Assert.Equal((1, false), (validated.NotCovered, validated.ReadyForCutover));
        Assert.Equal("Managed services", review.NotCovered.Single().LegacyName);

        var refused = await Assert.ThrowsAsync<HaloSyncException>(() => MigrateAsync(bed, SherwebSampleData.Fabrikam, cutover: true));

        Assert.Equal("MigrationNotCovered", refused.ErrorId);
        Assert.Contains($"recurring invoice {legacy.Invoice.Id} 'Monthly Billing' has 1 line(s) HaloSync does not bill: 'Managed services' (1 x 150.00)", refused.Message);
        Assert.Equal(0, bed.Writes());
        Assert.Empty(CutoverEvents(bed));
        Assert.Empty(Migrations(bed));
        Assert.All(legacy.Licences, l => Assert.True(Licence(bed, l.Id!.Value).IsActive));

        // The admin moves the managed services line to an invoice of its own; the cutover then ends Monthly Billing.
        using (var admin = bed.Admin())
        {
            var invoice = await admin.GetRecurringInvoiceAsync(legacy.Invoice.Id!.Value);
            invoice.Lines!.RemoveAll(l => l.ShortDescription == "Managed services");
            await admin.SaveRecurringInvoiceAsync(invoice);
        }

        OtherInvoice(bed, bed.FabrikamClient, "Services", "Managed services", 150.00m);

        var cut = (await MigrateAsync(bed, SherwebSampleData.Fabrikam, cutover: true)).Summary;

        Assert.Equal((MigrationOutcome.CutOver, 1, 1), (cut.Outcome, cut.SubscriptionsToDeactivate, cut.InvoicesToEnd));
        Assert.False(Licence(bed, legacy.Licences[0].Id!.Value).IsActive); // the Business Premium subscription HaloSync's replaces
        Assert.True(Licence(bed, legacy.Licences[1].Id!.Value).IsActive); // managed services: HaloSync has none, left alone
        Assert.True(Invoice(bed, legacy.Invoice.Id!.Value).Disabled);
        Assert.False(bed.Halo.Store.RecurringInvoices.Single(i => i.Reference == "Services").Disabled);
    }

    [Fact]
    public async Task Quantity_and_price_drift_is_shown_with_both_totals_and_does_not_stop_the_cutover()
    {
        await using var bed = await SyncTestBed.StartAsync();
        // Contoso's legacy line missed a seat (9, HaloSync 10); Fabrikam's bills an old price (28.00, the item now 30.00).
        var contoso = Legacy(bed, bed.ContosoClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 9, 30.00m, true));
        var fabrikam = Legacy(bed, bed.FabrikamClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 3, 28.00m, true));
        await bed.SyncAsync(SyncTestBed.FirstSync);

        var (contosoReview, contosoSummary) = await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: false);
        var (fabrikamReview, fabrikamSummary) = await MigrateAsync(bed, SherwebSampleData.Fabrikam, cutover: false);

        var line = contosoReview.Items.Single(i => i.Record == MigrationRecordKind.Line);
        Assert.Equal((MigrationMatch.QuantityDifferent, 9m, 10m), (line.Status, line.LegacyQuantity!.Value, line.HaloSyncQuantity!.Value));
        // 9 x 30.00 = 270.00 against 10 x 30.00 = 300.00: +30.00.
        Assert.Equal((270.00m, 300.00m, 30.00m), (contosoSummary.LegacyMonthlyTotal, contosoSummary.HaloSyncMonthlyTotal, contosoSummary.MonthlyChange));
        var price = fabrikamReview.Items.Single(i => i.Record == MigrationRecordKind.Line);
        Assert.Equal((MigrationMatch.PriceDifferent, 28.00m, 30.00m), (price.Status, price.LegacyUnitPrice!.Value, price.HaloSyncUnitPrice!.Value));
        // 3 x 28.00 = 84.00 against 3 x 30.00 = 90.00: +6.00.
        Assert.Equal((84.00m, 90.00m, 6.00m), (fabrikamSummary.LegacyMonthlyTotal, fabrikamSummary.HaloSyncMonthlyTotal, fabrikamSummary.MonthlyChange));
        Assert.Contains("after the cutover the customer is billed 90.00 per period instead of 84.00 (+6.00)", fabrikamReview.ChangeWarning());
        Assert.True(contosoSummary.ReadyForCutover && fabrikamSummary.ReadyForCutover);

        Assert.Equal(MigrationOutcome.CutOver, (await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: true)).Summary.Outcome);
        Assert.Equal(MigrationOutcome.CutOver, (await MigrateAsync(bed, SherwebSampleData.Fabrikam, cutover: true)).Summary.Outcome);
        Assert.True(Invoice(bed, contoso.Invoice.Id!.Value).Disabled);
        Assert.True(Invoice(bed, fabrikam.Invoice.Id!.Value).Disabled);
        Assert.Equal(2, Migrations(bed).Count);
    }

    [Fact]
    public async Task RemoveLegacyInvoice_deletes_the_covered_invoice_and_a_second_cutover_finds_nothing_to_delete()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var legacy = Legacy(bed, bed.FabrikamClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 3, 30.00m, true));
        await bed.SyncAsync(SyncTestBed.FirstSync);

        var cut = (await MigrateAsync(bed, SherwebSampleData.Fabrikam, cutover: true, remove: true)).Summary;

        Assert.Equal(MigrationOutcome.CutOver, cut.Outcome);
        Assert.DoesNotContain(bed.Halo.Store.RecurringInvoices, i => i.Id == legacy.Invoice.Id);
        Assert.Single(bed.Invoices(bed.FabrikamClient)); // HaloSync's
        Assert.Equal(SyncEventKind.RemoveLegacyInvoice, CutoverEvents(bed).Single(e => e.Entity == HaloEntity.RecurringInvoice).Kind);
        Assert.Equal((0, 1), (Migrations(bed).Single().EndedInvoices, Migrations(bed).Single().RemovedInvoices));

        bed.Halo.Requests.Clear();
        Assert.True((await MigrateAsync(bed, SherwebSampleData.Fabrikam, cutover: true, remove: true)).Review.NothingToWrite);
        Assert.Equal(0, bed.Writes());
    }

    public static TheoryData<string, string> LostAnswers()
    {
        var cases = new TheoryData<string, string>();
        foreach (var write in new[] { "deactivate subscriptions", "end the invoice", "delete the invoice" })
        {
            foreach (var loss in new[] { "502", "timeout", "drop" })
            {
                cases.Add(write, loss);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(LostAnswers))]
    public async Task A_cutover_write_whose_answer_is_lost_is_read_back_and_not_sent_again(string write, string loss)
    {
        await using var bed = await SyncTestBed.StartAsync(requestTimeout: TimeSpan.FromSeconds(1));
        var legacy = Legacy(bed, bed.ContosoClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 10, 30.00m, true), ("Exchange Online", ExchangeItem(bed), 5, 6.00m, false));
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var (method, path) = write switch
        {
            "deactivate subscriptions" => ("POST", "/api/SoftwareLicence"),
            "end the invoice" => ("POST", "/api/RecurringInvoice"),
            _ => ("DELETE", "/api/RecurringInvoice"),
        };
        bed.Halo.Faults.Enqueue(FaultRule.AnswerLost(loss switch
        {
            "timeout" => FaultRule.Slow(TimeSpan.FromSeconds(4)),
            "drop" => FaultRule.Drop(),
            _ => FaultRule.Status(int.Parse(loss)),
        }, method, path));
        bed.Halo.Requests.Clear();

        var cut = (await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: true, remove: write == "delete the invoice")).Summary;

        Assert.Equal((MigrationOutcome.CutOver, 0), (cut.Outcome, cut.Failed));
        Assert.Empty(bed.Halo.Faults.Pending);
        Assert.Contains(bed.Verbose, l => l.Contains("reading them back before sending anything again", StringComparison.Ordinal));
        var requests = bed.Halo.Requests.Snapshot();
        Assert.Equal(1, requests.Count(r => r.Method == method && r.Path.StartsWith(path, StringComparison.OrdinalIgnoreCase)));
        Assert.All(legacy.Licences, l => Assert.False(Licence(bed, l.Id!.Value).IsActive));
        if (write == "delete the invoice")
        {
            Assert.DoesNotContain(bed.Halo.Store.RecurringInvoices, i => i.Id == legacy.Invoice.Id);
        }
        else
        {
            Assert.True(Invoice(bed, legacy.Invoice.Id!.Value).Disabled);
        }

        Assert.All(CutoverEvents(bed), e => Assert.Equal(SyncEventStatus.Success, e.Status));
        Assert.Single(Migrations(bed));
    }

    [Fact]
    public async Task A_failed_cutover_write_is_an_error_and_a_Failed_event_that_no_sync_takes_up_and_the_next_cutover_finishes_it()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var legacy = Legacy(bed, bed.ContosoClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 10, 30.00m, true));
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Halo.Faults.Enqueue(new FaultRule
        {
            Kind = FaultKind.Status, StatusCode = 400, Body = "{\"ClassName\":\"Halo.Exceptions.HaloValidationException\",\"Message\":\"Licence is locked\"}",
            Method = "POST", PathContains = "/api/SoftwareLicence",
        });

        var failed = (await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: true)).Summary;

        Assert.Equal((MigrationOutcome.Failed, 1, (DateTime?)null), (failed.Outcome, failed.Failed, failed.MigratedOn));
        var (failedEvent, error) = Assert.Single(bed.Failures);
        Assert.Equal((SyncEventKind.DeactivateLegacySubscription, SyncEventStatus.Failed), (failedEvent.Kind, failedEvent.Status));
        Assert.Contains("Licence is locked", error.Message);
        Assert.True(Licence(bed, legacy.Licences[0].Id!.Value).IsActive);
        Assert.True(Invoice(bed, legacy.Invoice.Id!.Value).Disabled); // the invoice's own write went through
        Assert.Empty(Migrations(bed));
        Assert.DoesNotContain(bed.WithStore(store => new EventLog(store).Unfinished()), e => SyncEventKinds.Cutover.Contains(e.Kind));
        Assert.Equal(0, (await bed.SyncAsync(Nov20)).Failed);

        bed.Failures.Clear();
        var finished = (await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: true)).Summary;

        Assert.Equal((MigrationOutcome.CutOver, 1, 0), (finished.Outcome, finished.SubscriptionsToDeactivate, finished.InvoicesToEnd));
        Assert.Empty(bed.Failures);
        Assert.False(Licence(bed, legacy.Licences[0].Id!.Value).IsActive);
        Assert.Equal(SyncEventStatus.Superseded, bed.Log().Single(e => e.EventId == failedEvent.EventId).Status);
        Assert.Equal(finished.RunId, Assert.Single(Migrations(bed)).RunId);
    }

    [Fact]
    public async Task Before_HaloSync_made_anything_the_client_is_all_legacy_and_a_cutover_is_refused()
    {
        await using var bed = await SyncTestBed.StartAsync();
        Legacy(bed, bed.ContosoClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 10, 30.00m, true));

        var (review, summary) = await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: false);
        Assert.Equal((2, 0, 300.00m, false), (summary.OnlyInLegacy, summary.OnlyInHaloSync, summary.LegacyMonthlyTotal, summary.ReadyForCutover));

        var refused = await Assert.ThrowsAsync<HaloSyncException>(() => MigrateAsync(bed, SherwebSampleData.Contoso, cutover: true));
        Assert.Equal("MigrationNothingSynced", refused.ErrorId);
        Assert.Equal(0, bed.Writes());

        bed.MapOrganization(SherwebSampleData.Contoso, null);
        var unmapped = await Assert.ThrowsAsync<HaloSyncException>(() => MigrateAsync(bed, SherwebSampleData.Contoso, cutover: false));
        Assert.Equal("OrganizationNotMapped", unmapped.ErrorId);
    }

    /// <summary>
    /// Exchange x5 is yearly at Sherweb, so HaloSync makes its subscription and no line. The admin has moved the manual
    /// Exchange line, which takes its 5 seats from the legacy Exchange subscription, onto HaloSync's invoice. The cutover
    /// leaves that subscription active, and the next invoice still bills the 5 seats.
    /// </summary>
    [Fact]
    public async Task A_line_moved_to_HaloSyncs_invoice_bills_on_after_the_cutover_from_the_legacy_subscription_it_is_linked_to()
    {
        await using var bed = await SyncTestBed.StartAsync();
        var legacy = Legacy(bed, bed.ContosoClient, ("Microsoft 365 Business Premium", bed.PremiumItem, 10, 30.00m, true), ("Exchange Online", ExchangeItem(bed), 5, 6.00m, false));
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var exchange = legacy.Licences.Single(l => l.Name == "Exchange Online");
        var mine = bed.Invoices(bed.ContosoClient).Single(i => i.Reference == "HaloSync");
        var lines = mine.Lines!.ToList();
        lines.Add(new SimInvoiceLine
        {
            ItemId = ExchangeItem(bed), ItemShortdescription = "Exchange Online (annual)", QtyOrder = 5, UnitPrice = 6.00m, Startdate = new DateTime(2025, 3, 15),
            RecurringInvoiceQuantityType = 1, QuantityLicences = new() { new SimLicenceLink { LicenceId = exchange.Id, Kind = 1 } },
        });
        bed.Halo.Store.AddRecurringInvoice(new SimRecurringInvoice { Id = mine.Id, ClientId = mine.ClientId, Lines = lines });

        var (review, summary) = await MigrateAsync(bed, SherwebSampleData.Contoso, cutover: true);

        Assert.Equal(MigrationOutcome.CutOver, summary.Outcome);
        Assert.DoesNotContain(review.LicencesToDeactivate, l => l.Id == exchange.Id);
        Assert.True(Licence(bed, exchange.Id!.Value).IsActive);
        var next = bed.Halo.Store.GenerateInvoices(new DateTime(2026, 12, 21), mine.Id!.Value).Single();
        Assert.Equal(5m, next.Lines!.Where(l => l.ItemShortdescription == "Exchange Online (annual)").Sum(l => l.QtyOrder ?? 0m));
    }
}
