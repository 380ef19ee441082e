using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Billing;
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;
using HaloSync.Engine.Tests.State;

namespace HaloSync.Engine.Tests.Sync;

public sealed class EventLogTests : IDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly TempStateFolder folder = new();
    private readonly StateStore store;
    private readonly EventLog log;

    public EventLogTests()
    {
        store = StateStore.Open(folder.DatabasePath);
        log = new EventLog(store);
    }

    public void Dispose()
    {
        store.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void Every_field_round_trips_exactly_whatever_the_current_culture()
    {
        var recorded = new SyncEvent
        {
            RunId = "run-1",
            CreatedAt = new DateTimeOffset(2026, 11, 20, 7, 15, 30, TimeSpan.FromHours(-5)).AddTicks(1234567),
            OrganizationId = "org-1",
            OrganizationName = "Contoso Ltd",
            Sku = "M365-BP",
            ProductName = "Microsoft 365 Business Premium",
            Kind = SyncEventKind.ChangeQuantity,
            Entity = HaloEntity.SoftwareLicence,
            HaloId = 417,
            InvoiceId = 3010,
            QuantityBefore = 12.5m,
            QuantityAfter = -3m,
            UnitPrice = 18.3333m,
            UnitCost = 0.000001m,
            EffectiveDate = new DateTime(2026, 11, 20),
            CumulusKey = "sub-0f6c",
            Status = SyncEventStatus.Failed,
            Attempts = 2,
            Error = "HaloPSA answered 400: the item is inactive.",
            Detail = "Change 12.5 -> -3, 25 of 30 days",
            ProRata = new ProRataEntry(new DateTime(2026, 11, 20), -3, 18.3333m, 12.5m, 25,
                new BillingPeriod(new DateTime(2026, 11, 15), new DateTime(2026, 12, 15)), "-3 seats for 25 of 30 days"),
        };

        List<SyncEvent> read;
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // decimal comma
            log.Record(new[] { recorded });
            read = log.Query(new EventLogFilter());
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        var e = Assert.Single(read);
        Assert.Equal(recorded.EventId, e.EventId);
        Assert.Equal("run-1", e.RunId);
        Assert.Equal(recorded.CreatedAt, e.CreatedAt);
        Assert.Equal(recorded.CreatedAt.UtcTicks, e.CreatedAt.UtcTicks);
        Assert.Equal("org-1", e.OrganizationId);
        Assert.Equal("Contoso Ltd", e.OrganizationName);
        Assert.Equal("M365-BP", e.Sku);
        Assert.Equal("Microsoft 365 Business Premium", e.ProductName);
        Assert.Equal(SyncEventKind.ChangeQuantity, e.Kind);
        Assert.Equal(HaloEntity.SoftwareLicence, e.Entity);
        Assert.Equal(417, e.HaloId);
        Assert.Equal(3010, e.InvoiceId);
        Assert.Equal(12.5m, e.QuantityBefore);
        Assert.Equal(-3m, e.QuantityAfter);
        Assert.Equal(18.3333m, e.UnitPrice);
        Assert.Equal(0.000001m, e.UnitCost);
        Assert.Equal(new DateTime(2026, 11, 20), e.EffectiveDate);
        Assert.Equal("sub-0f6c", e.CumulusKey);
        Assert.Equal(SyncEventStatus.Failed, e.Status);
        Assert.Equal(2, e.Attempts);
        Assert.Equal("HaloPSA answered 400: the item is inactive.", e.Error);
        Assert.Equal("Change 12.5 -> -3, 25 of 30 days", e.Detail);
        Assert.Equal(recorded.ProRata, e.ProRata);
        Assert.Equal("-3 seats for 25 of 30 days", e.ProRata!.ToString());
    }

    [Fact]
    public void Empty_optional_fields_round_trip_as_null()
    {
        log.Record(new[] { new SyncEvent { RunId = "run-1", CreatedAt = Noon, Kind = SyncEventKind.UpdateItemCost, Status = SyncEventStatus.Pending } });

        var e = Assert.Single(log.Query(new EventLogFilter()));
        Assert.Null(e.OrganizationId);
        Assert.Null(e.OrganizationName);
        Assert.Null(e.Sku);
        Assert.Null(e.ProductName);
        Assert.Equal(HaloEntity.SoftwareLicence, e.Entity); // an enum: the first name when none was set
        Assert.Null(e.HaloId);
        Assert.Null(e.InvoiceId);
        Assert.Null(e.QuantityBefore);
        Assert.Null(e.QuantityAfter);
        Assert.Null(e.UnitPrice);
        Assert.Null(e.UnitCost);
        Assert.Null(e.EffectiveDate);
        Assert.Null(e.CumulusKey);
        Assert.Null(e.Error);
        Assert.Null(e.Detail);
        Assert.Equal(0, e.Attempts);
    }

    [Fact]
    public void Money_quantities_and_dates_are_stored_as_invariant_text_never_real()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("fr-FR");
            log.Record(new[] { Event("run-1", Noon, unitPrice: 18.3333m, quantityBefore: -3m, effectiveDate: new DateTime(2026, 12, 15)) });
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        using var command = store.Command(
            "SELECT typeof(unit_price), unit_price, typeof(quantity_before), quantity_before, effective_date, created_at FROM events;");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("text", reader.GetString(0));
        Assert.Equal("18.3333", reader.GetString(1));
        Assert.Equal("text", reader.GetString(2));
        Assert.Equal("-3", reader.GetString(3));
        Assert.Equal("2026-12-15", reader.GetString(4));
        Assert.Equal("2026-11-20T12:00:00.0000000+00:00", reader.GetString(5));
    }

    [Fact]
    public void Record_stores_every_event_and_gives_each_its_id()
    {
        var events = new[] { Event("run-1", Noon), Event("run-1", Noon), Event("run-1", Noon) };

        log.Record(events);

        Assert.All(events, e => Assert.True(e.EventId > 0));
        Assert.Equal(3, events.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(events.Select(e => e.EventId).OrderBy(id => id), log.Query(new EventLogFilter()).Select(e => e.EventId).OrderBy(id => id));
    }

    [Fact]
    public void Record_is_one_transaction_so_a_failing_event_leaves_none_and_no_ids()
    {
        using (var trigger = store.Command(
                   "CREATE TRIGGER refuse_boom BEFORE INSERT ON events WHEN NEW.sku = 'BOOM' BEGIN SELECT RAISE(ABORT, 'refused'); END;"))
        {
            trigger.ExecuteNonQuery();
        }

        var events = new[] { Event("run-1", Noon, sku: "OK-1"), Event("run-1", Noon, sku: "BOOM"), Event("run-1", Noon, sku: "OK-2") };

        var error = Assert.Throws<HaloSyncException>(() => log.Record(events));

        Assert.Equal("StateDatabaseError", error.ErrorId);
        Assert.Empty(log.Query(new EventLogFilter()));
        Assert.All(events, e => Assert.Equal(0, e.EventId));
    }

    [Fact]
    public void Update_saves_the_outcome_and_leaves_the_rest()
    {
        var e = Event("run-1", Noon, sku: "M365-BP", unitPrice: 18.3333m);
        log.Record(new[] { e });
        e.Status = SyncEventStatus.Success;
        e.Attempts = 3;
        e.Error = null;
        e.HaloId = 55;
        e.InvoiceId = 3011;

        log.Update(e);

        var read = Assert.Single(log.Query(new EventLogFilter()));
        Assert.Equal(SyncEventStatus.Success, read.Status);
        Assert.Equal(3, read.Attempts);
        Assert.Null(read.Error);
        Assert.Equal(55, read.HaloId);
        Assert.Equal(3011, read.InvoiceId);
        Assert.Equal("M365-BP", read.Sku);
        Assert.Equal(18.3333m, read.UnitPrice);
        Assert.Equal(Noon, read.CreatedAt);
    }

    [Fact]
    public void Update_records_the_error_of_a_failed_attempt_and_moves_updated_at()
    {
        var e = Event("run-1", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));
        log.Record(new[] { e });
        e.Status = SyncEventStatus.Failed;
        e.Attempts = 1;
        e.Error = "HaloPSA answered 403.";

        log.Update(e);

        Assert.Equal("HaloPSA answered 403.", Assert.Single(log.Query(new EventLogFilter { Status = SyncEventStatus.Failed })).Error);
        using var command = store.Command("SELECT created_at < updated_at FROM events;");
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public void Updating_an_event_that_was_never_recorded_is_an_error()
    {
        var error = Assert.Throws<HaloSyncException>(() => log.Update(Event("run-1", Noon)));

        Assert.Equal("SyncEventNotFound", error.ErrorId);
    }

    [Fact]
    public void Query_returns_the_newest_first_and_the_latest_recorded_first_at_the_same_moment()
    {
        var older = Event("run-1", Noon.AddHours(-1));
        var first = Event("run-1", Noon);
        var second = Event("run-1", Noon);
        var newest = Event("run-2", Noon.AddMinutes(1));
        log.Record(new[] { first, second });
        log.Record(new[] { newest, older });

        var ids = log.Query(new EventLogFilter()).Select(e => e.EventId);

        Assert.Equal(new[] { newest.EventId, second.EventId, first.EventId, older.EventId }, ids);
    }

    [Fact]
    public void Filters_on_organization_id_exactly_and_organization_name_ignoring_case()
    {
        log.Record(new[]
        {
            Event("run-1", Noon, organizationId: "org-1", organizationName: "Contoso Ltd"),
            Event("run-1", Noon, organizationId: "org-2", organizationName: "Fabrikam Inc"),
            Event("run-1", Noon, organizationId: "org-10", organizationName: "Contoso Ltd (EU)"),
        });

        Assert.Equal(new[] { "org-1" }, OrganizationIds(new EventLogFilter { OrganizationId = "org-1" }));
        Assert.Equal(new[] { "org-1" }, OrganizationIds(new EventLogFilter { OrganizationName = "contoso ltd" }));
        Assert.Empty(OrganizationIds(new EventLogFilter { OrganizationName = "Contoso" }));
        Assert.Empty(OrganizationIds(new EventLogFilter { OrganizationId = "org-1", OrganizationName = "Fabrikam Inc" }));
    }

    [Fact]
    public void Like_patterns_match_organization_id_or_name_and_sku_or_product_ignoring_case_and_limit_in_the_query()
    {
        log.Record(new[]
        {
            Event("run-1", Noon, sku: "M365-BP", organizationId: "org-1", organizationName: "Contoso Ltd"),
            Event("run-1", Noon.AddMinutes(1), sku: "M365-BP", organizationId: "org-10", organizationName: "Contoso Ltd (EU)"),
            Event("run-1", Noon.AddMinutes(2), sku: "AZURE", organizationId: "org-2", organizationName: "100% Fabrikam"),
        });

        Assert.Equal(new[] { "org-10", "org-1" }, OrganizationIds(new EventLogFilter { OrganizationLike = "contoso%" }));
        Assert.Equal(new[] { "org-10" }, OrganizationIds(new EventLogFilter { OrganizationLike = "org-1_" }));
        Assert.Equal(new[] { "org-2" }, OrganizationIds(new EventLogFilter { OrganizationLike = @"100\%%" }));
        Assert.Equal(new[] { "org-10" }, OrganizationIds(new EventLogFilter { OrganizationLike = "%", ProductLike = "m365%", MaxCount = 1 }));
    }

    [Fact]
    public void Filters_on_sku_ignoring_case()
    {
        log.Record(new[] { Event("run-1", Noon, sku: "M365-BP"), Event("run-1", Noon, sku: "M365-BP-ANNUAL") });

        Assert.Equal(new[] { "M365-BP" }, log.Query(new EventLogFilter { Sku = "m365-bp" }).Select(e => e.Sku));
    }

    [Fact]
    public void From_and_To_include_their_own_moment()
    {
        var at = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.FromHours(-5));
        log.Record(new[] { Event("run-1", at) });

        Assert.Single(log.Query(new EventLogFilter { From = at }));
        Assert.Single(log.Query(new EventLogFilter { To = at }));
        Assert.Single(log.Query(new EventLogFilter { From = at.ToUniversalTime(), To = at.ToOffset(TimeSpan.FromHours(9)) }));
        Assert.Empty(log.Query(new EventLogFilter { From = at.AddTicks(1) }));
        Assert.Empty(log.Query(new EventLogFilter { To = at.AddTicks(-1) }));
    }

    [Fact]
    public void A_date_range_selects_the_events_created_within_it()
    {
        var days = Enumerable.Range(0, 5).Select(d => Event("run-1", Noon.AddDays(d))).ToArray();
        log.Record(days);

        var found = log.Query(new EventLogFilter { From = Noon.AddDays(1), To = Noon.AddDays(3) });

        Assert.Equal(new[] { days[3].EventId, days[2].EventId, days[1].EventId }, found.Select(e => e.EventId));
    }

    [Fact]
    public void Filters_on_status_and_run()
    {
        log.Record(new[]
        {
            Event("run-1", Noon, status: SyncEventStatus.Success),
            Event("run-1", Noon, status: SyncEventStatus.Failed),
            Event("run-2", Noon, status: SyncEventStatus.Failed),
            Event("run-2", Noon, status: SyncEventStatus.Pending),
        });

        Assert.Equal(2, log.Query(new EventLogFilter { Status = SyncEventStatus.Failed }).Count);
        Assert.Equal(2, log.Query(new EventLogFilter { RunId = "run-2" }).Count);
        var both = Assert.Single(log.Query(new EventLogFilter { RunId = "run-2", Status = SyncEventStatus.Failed }));
        Assert.Equal(("run-2", SyncEventStatus.Failed), (both.RunId, both.Status));
        Assert.Empty(log.Query(new EventLogFilter { RunId = "RUN-2" }));
    }

    [Fact]
    public void MaxCount_keeps_the_newest_matching_events()
    {
        var events = Enumerable.Range(0, 6).Select(d => Event("run-1", Noon.AddDays(d), sku: d % 2 == 0 ? "EVEN" : "ODD")).ToArray();
        log.Record(events);

        var found = log.Query(new EventLogFilter { Sku = "EVEN", MaxCount = 2 });

        Assert.Equal(new[] { events[4].EventId, events[2].EventId }, found.Select(e => e.EventId));
        Assert.Empty(log.Query(new EventLogFilter { MaxCount = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Query(new EventLogFilter { MaxCount = -1 }));
    }

    [Fact]
    public void Unfinished_returns_the_pending_and_failed_events_oldest_first()
    {
        var failedLater = Event("run-2", Noon.AddHours(1), status: SyncEventStatus.Failed);
        var pendingEarlier = Event("run-1", Noon, status: SyncEventStatus.Pending);
        log.Record(new[]
        {
            failedLater,
            Event("run-1", Noon.AddMinutes(-5), status: SyncEventStatus.Success),
            pendingEarlier,
            Event("run-1", Noon.AddMinutes(-1), status: SyncEventStatus.Planned),
        });

        var unfinished = log.Unfinished();

        Assert.Equal(new[] { pendingEarlier.EventId, failedLater.EventId }, unfinished.Select(e => e.EventId));
    }

    [Fact]
    public void A_finished_event_is_no_longer_unfinished()
    {
        var e = Event("run-1", Noon, status: SyncEventStatus.Pending);
        log.Record(new[] { e });
        e.Status = SyncEventStatus.Success;

        log.Update(e);

        Assert.Empty(log.Unfinished());
    }

    [Fact]
    public void A_run_is_recorded_when_it_starts_and_completed_with_its_summary()
    {
        log.StartRun("run-1", new DateTime(2026, 11, 20), Noon);

        var running = ReadRun("run-1");
        Assert.Equal("2026-11-20T12:00:00.0000000+00:00", running.StartedAt);
        Assert.Equal("2026-11-20", running.AsOf);
        Assert.Equal("Running", running.Status);
        Assert.Null(running.FinishedAt);
        Assert.Null(running.Summary);

        log.FinishRun("run-1", "Completed", "{\"created\":3}", Noon.AddMinutes(2));

        var completed = ReadRun("run-1");
        Assert.Equal("2026-11-20T12:02:00.0000000+00:00", completed.FinishedAt);
        Assert.Equal("Completed", completed.Status);
        Assert.Equal("{\"created\":3}", completed.Summary);
        Assert.Equal(running.StartedAt, completed.StartedAt);
    }

    [Fact]
    public void A_run_id_cannot_start_twice_and_an_unknown_run_cannot_finish()
    {
        log.StartRun("run-1", new DateTime(2026, 11, 20), Noon);

        Assert.Throws<HaloSyncException>(() => log.StartRun("run-1", new DateTime(2026, 11, 21), Noon));
        Assert.Equal("SyncRunNotFound", Assert.Throws<HaloSyncException>(() => log.FinishRun("run-9", "Failed", "{}", Noon)).ErrorId);
    }

    private static SyncEvent Event(string runId, DateTimeOffset createdAt, string? sku = "SKU-1", string? organizationId = "org-1",
        string? organizationName = "Contoso Ltd", SyncEventStatus status = SyncEventStatus.Pending, decimal? unitPrice = null,
        decimal? quantityBefore = null, DateTime? effectiveDate = null)
        => new()
        {
            RunId = runId,
            CreatedAt = createdAt,
            Sku = sku,
            OrganizationId = organizationId,
            OrganizationName = organizationName,
            Kind = SyncEventKind.CreateSubscription,
            Status = status,
            UnitPrice = unitPrice,
            QuantityBefore = quantityBefore,
            EffectiveDate = effectiveDate,
        };

    private IEnumerable<string?> OrganizationIds(EventLogFilter filter) => log.Query(filter).Select(e => e.OrganizationId);

    private (string StartedAt, string? FinishedAt, string AsOf, string Status, string? Summary) ReadRun(string runId)
    {
        using var command = store.Command("SELECT started_at, finished_at, as_of, status, summary FROM runs WHERE run_id = $run;");
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4));
    }
}
