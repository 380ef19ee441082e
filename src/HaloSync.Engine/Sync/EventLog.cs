using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.State;
using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.Sync;

/// <summary>
/// The event log: every intended HaloPSA write, recorded Pending before it is sent and updated after, and the
/// runs that made them. Quantities and money are invariant-culture decimal text, times UTC ISO 8601 text.
/// </summary>
public sealed class EventLog
{
    private const string EventColumns =
        "event_id, run_id, created_at, organization_id, organization_name, sku, product_name, kind, entity, halo_id, invoice_id, " +
        "quantity_before, quantity_after, unit_price, unit_cost, effective_date, cumulus_key, status, attempts, error, detail, " +
        "halo_client_id, halo_item_id, billing_cycle, cost_provisional, line_start, line_end, " +
        "prorata_date, prorata_quantity, prorata_unit_price, prorata_unit_cost, prorata_days, prorata_description, prorata_period_start, prorata_period_end, " +
        "prorata_billed_by";

    private const string DateFormat = "yyyy-MM-dd";
    private readonly StateStore store;

    public EventLog(StateStore store) => this.store = store;

    /// <summary>
    /// Records new events (EventId 0) and saves the current form of known ones (an earlier run's event this run finishes
    /// and has reclassified), in one transaction, all or none; new events get their <see cref="SyncEvent.EventId"/>.
    /// </summary>
    public void Record(IEnumerable<SyncEvent> events)
    {
        var batch = events.ToList();
        var ids = store.InTransaction(transaction => batch.Select(e => e.EventId == 0 ? Insert(e, transaction) : Rewrite(e, transaction)).ToList());
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].EventId = ids[i];
        }
    }

    /// <summary>Saves the outcome of sending an event: status, attempts, error, the HaloPSA ids it got and the line window it wrote.</summary>
    public void Update(SyncEvent e) => store.InTransaction(transaction => Update(e, transaction));

    /// <summary>Saves an event's outcome inside the caller's transaction (the state it produced is committed with it).</summary>
    internal void Update(SyncEvent e, SqliteTransaction transaction)
    {
        using var command = store.Command(
            """
            UPDATE events SET status = $status, attempts = $attempts, error = $error, halo_id = $halo, invoice_id = $invoice,
                line_start = $lineStart, line_end = $lineEnd, detail = $detail,
                prorata_date = $prDate, prorata_quantity = $prQuantity, prorata_unit_price = $prPrice, prorata_unit_cost = $prCost,
                prorata_days = $prDays, prorata_description = $prDescription, prorata_period_start = $prPeriodStart,
                prorata_period_end = $prPeriodEnd, prorata_billed_by = $prBilledBy, updated_at = $now
            WHERE event_id = $id;
            """, transaction);
        AddProRata(command, e);
        command.Parameters.AddWithValue("$detail", OrNull(e.Detail));
        command.Parameters.AddWithValue("$id", e.EventId);
        command.Parameters.AddWithValue("$status", e.Status.ToString());
        command.Parameters.AddWithValue("$attempts", e.Attempts);
        command.Parameters.AddWithValue("$error", OrNull(e.Error));
        command.Parameters.AddWithValue("$halo", OrNull(e.HaloId));
        command.Parameters.AddWithValue("$invoice", OrNull(e.InvoiceId));
        command.Parameters.AddWithValue("$lineStart", DateText(e.LineStart));
        command.Parameters.AddWithValue("$lineEnd", DateText(e.LineEnd));
        command.Parameters.AddWithValue("$now", StateStore.Timestamp(DateTimeOffset.UtcNow));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new HaloSyncException("SyncEventNotFound", HaloSyncErrorKind.NotFound,
                $"The event {e.EventId} ({e}) is not in the event log of '{store.Path}'. Record an event before updating it.");
        }
    }

    /// <summary>
    /// The events that wrote a pro-rata entry on the line of <paramref name="cumulusKey"/> at HaloPSA client
    /// <paramref name="clientId"/>, each with the invoice date that bills it, oldest first.
    /// </summary>
    public List<SyncEvent> WrittenProRata(int clientId, string cumulusKey) => store.Guard(() =>
    {
        using var command = store.Command(
            $"""
            SELECT {EventColumns} FROM events
            WHERE cumulus_key = $key AND halo_client_id = $client AND status = 'Success' AND prorata_billed_by IS NOT NULL
            ORDER BY event_id;
            """);
        command.Parameters.AddWithValue("$key", cumulusKey);
        command.Parameters.AddWithValue("$client", clientId);
        return Read(command);
    });

    /// <summary>The events that match the filter, newest first.</summary>
    public List<SyncEvent> Query(EventLogFilter filter)
    {
        if (filter.MaxCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(filter), filter.MaxCount, "MaxCount must not be negative.");
        }

        return store.Guard(() =>
        {
            using var command = store.Command(string.Empty);
            var conditions = new List<string>();
            void Where(string condition, string parameter, object value)
            {
                conditions.Add(condition);
                command.Parameters.AddWithValue(parameter, value);
            }

            if (filter.OrganizationId is not null)
            {
                Where("organization_id = $orgId", "$orgId", filter.OrganizationId);
            }

            if (filter.OrganizationName is not null)
            {
                Where("organization_name = $orgName COLLATE NOCASE", "$orgName", filter.OrganizationName);
            }

            if (filter.Sku is not null)
            {
                Where("sku = $sku COLLATE NOCASE", "$sku", filter.Sku);
            }

            if (filter.OrganizationLike is not null)
            {
                Where(@"(organization_id LIKE $orgLike ESCAPE '\' OR organization_name LIKE $orgLike ESCAPE '\')", "$orgLike", filter.OrganizationLike);
            }

            if (filter.ProductLike is not null)
            {
                Where(@"(sku LIKE $productLike ESCAPE '\' OR product_name LIKE $productLike ESCAPE '\')", "$productLike", filter.ProductLike);
            }

            // Timestamps are fixed-width UTC text, so comparing the text compares the moments.
            if (filter.From is { } from)
            {
                Where("created_at >= $from", "$from", StateStore.Timestamp(from));
            }

            if (filter.To is { } to)
            {
                Where("created_at <= $to", "$to", StateStore.Timestamp(to));
            }

            if (filter.Status is { } status)
            {
                Where("status = $status", "$status", status.ToString());
            }

            if (filter.RunId is not null)
            {
                Where("run_id = $run", "$run", filter.RunId);
            }

            var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
            command.CommandText = $"SELECT {EventColumns} FROM events{where} ORDER BY created_at DESC, event_id DESC LIMIT $max;";
            command.Parameters.AddWithValue("$max", filter.MaxCount ?? -1); // SQLite reads a negative LIMIT as no limit
            return Read(command);
        });
    }

    private static readonly string CutoverKinds = string.Join(", ", SyncEventKinds.Cutover.Select(k => "'" + k + "'"));

    /// <summary>The Pending events (left by a run that died) and the Failed ones, oldest first, for the next run to finish; a cutover's are not a sync's to finish.</summary>
    public List<SyncEvent> Unfinished() => Unfinished($"kind NOT IN ({CutoverKinds})", null);

    /// <summary>A client's cutover events left Pending or Failed by an earlier cutover: the next one reads HaloPSA again and closes them.</summary>
    public List<SyncEvent> UnfinishedCutover(int haloClientId) => Unfinished($"kind IN ({CutoverKinds}) AND halo_client_id = $client", haloClientId);

    private List<SyncEvent> Unfinished(string condition, int? haloClientId)
        => store.Guard(() =>
        {
            using var command = store.Command(
                $"SELECT {EventColumns} FROM events WHERE status IN ('Pending', 'Failed') AND {condition} ORDER BY created_at, event_id;");
            if (haloClientId is { } client)
            {
                command.Parameters.AddWithValue("$client", client);
            }

            return Read(command);
        });

    /// <summary>Marks runs still 'Running' that no longer hold the lease as 'Abandoned' (their process died).</summary>
    public int AbandonDeadRuns(string currentRunId, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            using var command = store.Command(
                "UPDATE runs SET status = 'Abandoned', finished_at = $now WHERE status = 'Running' AND run_id <> $run;", transaction);
            command.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            command.Parameters.AddWithValue("$run", currentRunId);
            return command.ExecuteNonQuery();
        });

    public void StartRun(string runId, DateTime asOf, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            using var command = store.Command(
                "INSERT INTO runs (run_id, started_at, as_of, status) VALUES ($run, $now, $asOf, 'Running');", transaction);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            command.Parameters.AddWithValue("$asOf", asOf.ToString(DateFormat, CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
        });

    /// <summary>Ends a started run with its final status (such as 'Completed' or 'Failed') and its summary as JSON.</summary>
    public void FinishRun(string runId, string status, string summaryJson, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            using var command = store.Command(
                "UPDATE runs SET finished_at = $now, status = $status, summary = $summary WHERE run_id = $run;", transaction);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$status", status);
            command.Parameters.AddWithValue("$summary", summaryJson);
            command.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            if (command.ExecuteNonQuery() == 0)
            {
                throw new HaloSyncException("SyncRunNotFound", HaloSyncErrorKind.NotFound,
                    $"The run '{runId}' was never started in the state database '{store.Path}'.");
            }
        });

    private long Insert(SyncEvent e, SqliteTransaction transaction)
    {
        using var command = store.Command(
            """
            INSERT INTO events (run_id, created_at, updated_at, organization_id, organization_name, sku, product_name, kind, entity,
                halo_id, invoice_id, quantity_before, quantity_after, unit_price, unit_cost, effective_date, cumulus_key, status,
                attempts, error, detail, halo_client_id, halo_item_id, billing_cycle, cost_provisional, line_start, line_end,
                prorata_date, prorata_quantity, prorata_unit_price, prorata_unit_cost, prorata_days, prorata_description,
                prorata_period_start, prorata_period_end, prorata_billed_by)
            VALUES ($run, $created, $created, $orgId, $orgName, $sku, $product, $kind, $entity,
                $halo, $invoice, $before, $after, $price, $cost, $effective, $key, $status,
                $attempts, $error, $detail, $client, $item, $cycle, $provisional, $lineStart, $lineEnd,
                $prDate, $prQuantity, $prPrice, $prCost, $prDays, $prDescription, $prPeriodStart, $prPeriodEnd, $prBilledBy)
            RETURNING event_id;
            """, transaction);
        command.Parameters.AddWithValue("$run", e.RunId);
        command.Parameters.AddWithValue("$created", StateStore.Timestamp(e.CreatedAt));
        command.Parameters.AddWithValue("$orgId", OrNull(e.OrganizationId));
        command.Parameters.AddWithValue("$orgName", OrNull(e.OrganizationName));
        command.Parameters.AddWithValue("$sku", OrNull(e.Sku));
        command.Parameters.AddWithValue("$product", OrNull(e.ProductName));
        command.Parameters.AddWithValue("$kind", e.Kind.ToString());
        command.Parameters.AddWithValue("$entity", e.Entity.ToString());
        command.Parameters.AddWithValue("$halo", OrNull(e.HaloId));
        command.Parameters.AddWithValue("$invoice", OrNull(e.InvoiceId));
        command.Parameters.AddWithValue("$before", DecimalText(e.QuantityBefore));
        command.Parameters.AddWithValue("$after", DecimalText(e.QuantityAfter));
        command.Parameters.AddWithValue("$price", DecimalText(e.UnitPrice));
        command.Parameters.AddWithValue("$cost", DecimalText(e.UnitCost));
        command.Parameters.AddWithValue("$effective", DateText(e.EffectiveDate));
        command.Parameters.AddWithValue("$key", OrNull(e.CumulusKey));
        command.Parameters.AddWithValue("$status", e.Status.ToString());
        command.Parameters.AddWithValue("$attempts", e.Attempts);
        command.Parameters.AddWithValue("$error", OrNull(e.Error));
        command.Parameters.AddWithValue("$detail", OrNull(e.Detail));
        command.Parameters.AddWithValue("$client", OrNull(e.HaloClientId));
        command.Parameters.AddWithValue("$item", OrNull(e.HaloItemId));
        command.Parameters.AddWithValue("$cycle", OrNull(e.BillingCycle?.ToString()));
        command.Parameters.AddWithValue("$provisional", e.CostProvisional ? 1 : 0);
        command.Parameters.AddWithValue("$lineStart", DateText(e.LineStart));
        command.Parameters.AddWithValue("$lineEnd", DateText(e.LineEnd));
        AddProRata(command, e);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The pro-rata entry's columns (the reconciler may replace a planned entry with the one it writes).</summary>
    private static void AddProRata(SqliteCommand command, SyncEvent e)
    {
        command.Parameters.AddWithValue("$prDate", DateText(e.ProRata?.Date));
        command.Parameters.AddWithValue("$prQuantity", OrNull(e.ProRata?.Quantity.ToString(CultureInfo.InvariantCulture)));
        command.Parameters.AddWithValue("$prPrice", DecimalText(e.ProRata?.UnitPrice));
        command.Parameters.AddWithValue("$prCost", DecimalText(e.ProRata?.UnitCost));
        command.Parameters.AddWithValue("$prDays", OrNull(e.ProRata?.Days));
        command.Parameters.AddWithValue("$prDescription", OrNull(e.ProRata?.Description));
        command.Parameters.AddWithValue("$prPeriodStart", DateText(e.ProRata?.Period.Start));
        command.Parameters.AddWithValue("$prPeriodEnd", DateText(e.ProRata?.Period.End));
        // Only a write that succeeded is known to have put that entry on the line (a failed one keeps the rule's entry).
        command.Parameters.AddWithValue("$prBilledBy", DateText(e.ProRata is null || e.Status != SyncEventStatus.Success ? null : e.ProRataBilledBy));
    }

    /// <summary>Saves how this run sees an earlier event it finishes (kind, detail, pro-rata, status) and returns its id.</summary>
    private long Rewrite(SyncEvent e, SqliteTransaction transaction)
    {
        using var command = store.Command(
            """
            UPDATE events SET kind = $kind, detail = $detail, status = $status, attempts = $attempts, halo_id = $halo,
                effective_date = $effective, line_start = $lineStart, updated_at = $now
            WHERE event_id = $id;
            """, transaction);
        command.Parameters.AddWithValue("$id", e.EventId);
        command.Parameters.AddWithValue("$kind", e.Kind.ToString());
        command.Parameters.AddWithValue("$detail", OrNull(e.Detail));
        command.Parameters.AddWithValue("$status", e.Status.ToString());
        command.Parameters.AddWithValue("$attempts", e.Attempts);
        command.Parameters.AddWithValue("$halo", OrNull(e.HaloId));
        command.Parameters.AddWithValue("$effective", DateText(e.EffectiveDate));
        command.Parameters.AddWithValue("$lineStart", DateText(e.LineStart));
        command.Parameters.AddWithValue("$now", StateStore.Timestamp(DateTimeOffset.UtcNow));
        command.ExecuteNonQuery();
        return e.EventId;
    }

    private static List<SyncEvent> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var events = new List<SyncEvent>();
        while (reader.Read())
        {
            events.Add(new SyncEvent
            {
                EventId = reader.GetInt64(reader.GetOrdinal("event_id")),
                RunId = reader.GetString(reader.GetOrdinal("run_id")),
                CreatedAt = DateTimeOffset.Parse(reader.GetString(reader.GetOrdinal("created_at")), CultureInfo.InvariantCulture),
                OrganizationId = Text(reader, "organization_id"),
                OrganizationName = Text(reader, "organization_name"),
                Sku = Text(reader, "sku"),
                ProductName = Text(reader, "product_name"),
                Kind = (SyncEventKind)Enum.Parse(typeof(SyncEventKind), reader.GetString(reader.GetOrdinal("kind"))),
                Entity = (HaloEntity)Enum.Parse(typeof(HaloEntity), Text(reader, "entity") ?? nameof(HaloEntity.SoftwareLicence)),
                HaloId = Integer(reader, "halo_id"),
                InvoiceId = Integer(reader, "invoice_id"),
                QuantityBefore = Decimal(reader, "quantity_before"),
                QuantityAfter = Decimal(reader, "quantity_after"),
                UnitPrice = Decimal(reader, "unit_price"),
                UnitCost = Decimal(reader, "unit_cost"),
                EffectiveDate = DateValue(reader, "effective_date"),
                CumulusKey = Text(reader, "cumulus_key"),
                Status = (SyncEventStatus)Enum.Parse(typeof(SyncEventStatus), reader.GetString(reader.GetOrdinal("status"))),
                Attempts = reader.GetInt32(reader.GetOrdinal("attempts")),
                Error = Text(reader, "error"),
                Detail = Text(reader, "detail"),
                HaloClientId = Integer(reader, "halo_client_id"),
                HaloItemId = Integer(reader, "halo_item_id"),
                BillingCycle = Text(reader, "billing_cycle") is { } cycle ? (Cumulus.SubscriptionBillingCycle)Enum.Parse(typeof(Cumulus.SubscriptionBillingCycle), cycle) : null,
                CostProvisional = reader.GetInt32(reader.GetOrdinal("cost_provisional")) != 0,
                LineStart = DateValue(reader, "line_start"),
                LineEnd = DateValue(reader, "line_end"),
                ProRata = ReadProRata(reader),
                ProRataBilledBy = DateValue(reader, "prorata_billed_by"),
            });
        }

        return events;
    }

    private static Billing.ProRataEntry? ReadProRata(SqliteDataReader reader)
    {
        if (DateValue(reader, "prorata_date") is not { } date)
        {
            return null;
        }

        return new Billing.ProRataEntry(date, (int)Decimal(reader, "prorata_quantity")!.Value, Decimal(reader, "prorata_unit_price") ?? 0m,
            Decimal(reader, "prorata_unit_cost") ?? 0m, Integer(reader, "prorata_days") ?? 0,
            DateValue(reader, "prorata_period_start") is { } start && DateValue(reader, "prorata_period_end") is { } end ? new Billing.BillingPeriod(start, end) : default,
            Text(reader, "prorata_description") ?? string.Empty);
    }

    private static DateTime? DateValue(SqliteDataReader reader, string column)
        => Text(reader, column) is { } date ? DateTime.ParseExact(date, DateFormat, CultureInfo.InvariantCulture) : null;

    private static object DateText(DateTime? value) => OrNull(value?.ToString(DateFormat, CultureInfo.InvariantCulture));

    private static object OrNull(object? value) => value ?? DBNull.Value;

    private static object DecimalText(decimal? value) => OrNull(value?.ToString(CultureInfo.InvariantCulture));

    private static string? Text(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    private static int? Integer(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
    }

    private static decimal? Decimal(SqliteDataReader reader, string column)
        => Text(reader, column) is { } text ? decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture) : null;
}
