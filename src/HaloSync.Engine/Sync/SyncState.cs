using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;
using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.Sync;

/// <summary>
/// What a sync keeps between runs, in the SQLite state file: the snapshot of what it wrote (per organization, client
/// and subscription), the charges it added, HaloPSA's ids of its records, the event log, the mappings and the run
/// lease. A client's new state and its events' outcome are committed in one transaction, so a run killed at any
/// point leaves either both or neither.
/// </summary>
public sealed class SyncState : ISyncStore
{
    private const string DateFormat = "yyyy-MM-dd";
    private const string LastHandEditCheckKey = "LastHandEditCheck";
    private readonly StateStore store;
    private readonly EventLog log;
    private readonly MappingRepository mappings;

    public SyncState(StateStore store)
    {
        this.store = store;
        log = new EventLog(store);
        mappings = new MappingRepository(store);
    }

    public SyncConfiguration GetConfiguration() => store.GetConfiguration();

    public RunLease AcquireLease(string runId, Func<DateTimeOffset> clock) => RunLease.Acquire(store.Path, runId, clock);

    public int AbandonDeadRuns(string currentRunId, DateTimeOffset now) => log.AbandonDeadRuns(currentRunId, now);

    public void StartRun(string runId, DateTime asOf, DateTimeOffset now) => log.StartRun(runId, asOf, now);

    public void FinishRun(string runId, string status, string summaryJson, DateTimeOffset now) => log.FinishRun(runId, status, summaryJson, now);

    public void RecordSeenOrganizations(IEnumerable<KeyValuePair<string, string>> idAndName, DateTimeOffset now) => mappings.RecordSeenOrganizations(idAndName, now);

    public List<OrganizationMapping> GetOrganizations() => mappings.GetOrganizations();

    public Dictionary<string, bool> GetChargeSyncFlags(string organizationId) => mappings.GetChargeSyncFlags(organizationId);

    public void RecordSeenProducts(IEnumerable<KeyValuePair<string, string>> skuAndName, DateTimeOffset now) => mappings.RecordSeenProducts(skuAndName, now);

    public List<ProductMapping> GetProducts() => mappings.GetProducts();

    public void SaveProduct(ProductMapping product, DateTimeOffset now) => mappings.SaveProduct(product, now);

    public void ReplaceItems(IReadOnlyCollection<HaloItem> items, DateTimeOffset now) => new HaloCatalogCache(store).ReplaceItems(items, now);

    public List<SyncEvent> Unfinished() => log.Unfinished();

    public DateTimeOffset? LastHandEditCheck() => store.GetValue(LastHandEditCheckKey) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;

    public void SaveHandEditCheck(DateTimeOffset at) => store.SetValue(LastHandEditCheckKey, StateStore.Timestamp(at));

    public void Record(IEnumerable<SyncEvent> events) => log.Record(events);

    public List<SyncedSubscription> LoadSnapshot()
        => store.Guard(() =>
        {
            using var command = store.Command(
                """
                SELECT organization_id, halo_client_id, subscription_id, sku, product_name, halo_item_id, quantity, billing_cycle, term,
                    purchase_date, term_end_date, unit_price, unit_cost, cost_provisional, line_start, cancelled_on
                FROM synced_subscriptions;
                """);
            using var reader = command.ExecuteReader();
            var rows = new List<SyncedSubscription>();
            while (reader.Read())
            {
                rows.Add(new SyncedSubscription
                {
                    OrganizationId = reader.GetString(0),
                    HaloClientId = reader.GetInt32(1),
                    SubscriptionId = Guid.Parse(reader.GetString(2)),
                    Sku = reader.GetString(3),
                    ProductName = reader.GetString(4),
                    HaloItemId = reader.IsDBNull(5) ? null : reader.GetInt32(5),
                    Quantity = reader.GetInt32(6),
                    BillingCycle = (SubscriptionBillingCycle)Enum.Parse(typeof(SubscriptionBillingCycle), reader.GetString(7), ignoreCase: true),
                    Term = reader.IsDBNull(8) ? null : (CommitmentTermType)Enum.Parse(typeof(CommitmentTermType), reader.GetString(8), ignoreCase: true),
                    PurchaseDate = DateValue(reader, 9),
                    TermEndDate = DateValue(reader, 10),
                    UnitPrice = DecimalValue(reader, 11),
                    UnitCost = DecimalValue(reader, 12),
                    CostProvisional = reader.GetInt64(13) != 0,
                    LineStart = DateValue(reader, 14),
                    CancelledOn = DateValue(reader, 15),
                });
            }

            return rows;
        });

    public HashSet<string> LoadChargeKeys()
        => store.Guard(() =>
        {
            using var command = store.Command("SELECT charge_key FROM synced_charges;");
            using var reader = command.ExecuteReader();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                keys.Add(reader.GetString(0));
            }

            return keys;
        });

    /// <summary>The one-off charges whose lines bill on an invoice HaloPSA has not generated yet: active on or after <paramref name="asOf"/>.</summary>
    public List<SyncEvent> LoadWrittenProRata(int clientId, string cumulusKey) => log.WrittenProRata(clientId, cumulusKey);

    public List<SyncedCharge> LoadChargesToInvoice(DateTime asOf)
        => store.Guard(() =>
        {
            using var command = store.Command(
                """
                SELECT charge_key, organization_id, halo_client_id, sku, halo_item_id, quantity, unit_price, unit_cost, line_end, period_from, period_to
                FROM synced_charges
                WHERE line_end >= $asOf AND unit_price IS NOT NULL AND halo_item_id IS NOT NULL AND halo_client_id IS NOT NULL;
                """);
            command.Parameters.AddWithValue("$asOf", DateText(asOf));
            using var reader = command.ExecuteReader();
            var charges = new List<SyncedCharge>();
            while (reader.Read())
            {
                charges.Add(new SyncedCharge
                {
                    CumulusKey = reader.GetString(0),
                    OrganizationId = reader.GetString(1),
                    HaloClientId = reader.GetInt32(2),
                    Sku = reader.GetString(3),
                    HaloItemId = reader.GetInt32(4),
                    Quantity = DecimalValue(reader, 5)!.Value,
                    UnitPrice = DecimalValue(reader, 6)!.Value,
                    UnitCost = DecimalValue(reader, 7),
                    LineEnd = DateValue(reader, 8)!.Value,
                    PeriodFrom = DateValue(reader, 9),
                    PeriodTo = DateValue(reader, 10),
                });
            }

            return charges;
        });

    /// <summary>The organizations Sherweb last listed with no subscription while HaloSync kept some active, with the date it first did.</summary>
    public Dictionary<string, DateTime> LoadListedEmpty()
        => store.Guard(() =>
        {
            using var command = store.Command("SELECT organization_id, since FROM listed_empty;");
            using var reader = command.ExecuteReader();
            var listed = new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase);
            while (reader.Read())
            {
                listed[reader.GetString(0)] = DateValue(reader, 1)!.Value;
            }

            return listed;
        });

    public void SaveListedEmpty(IReadOnlyDictionary<string, DateTime?> changes)
        => store.InTransaction(transaction =>
        {
            foreach (var pair in changes)
            {
                using var command = store.Command(pair.Value is null
                    ? "DELETE FROM listed_empty WHERE organization_id = $o;"
                    : "INSERT INTO listed_empty (organization_id, since) VALUES ($o, $since) ON CONFLICT(organization_id) DO UPDATE SET since = excluded.since;", transaction);
                command.Parameters.AddWithValue("$o", pair.Key);
                command.Parameters.AddWithValue("$since", DateText(pair.Value));
                command.ExecuteNonQuery();
            }
        });

    /// <summary>
    /// Refuses to move the invoice day from <paramref name="current"/> to <paramref name="wanted"/> while clients have a
    /// HaloSync recurring invoice: HaloPSA keeps generating it on the day it was created with, while pro-rata follows
    /// the setting, so every later change would be billed for the wrong period.
    /// </summary>
    public void CheckInvoiceDayChange(int current, int wanted)
    {
        var invoices = LoadLinks().All.Count(l => l.Key == HaloKeys.InvoiceLinkKey && l.Entity == HaloEntity.RecurringInvoice);
        if (current == wanted || invoices == 0)
        {
            return;
        }

        throw new HaloSyncException("InvoiceDayInUse", HaloSyncErrorKind.InvalidOperation, FormattableString.Invariant(
            $"The invoice day was not changed from {current} to {wanted}: {invoices} client(s) have a HaloSync recurring invoice that HaloPSA generates on day {current}, ") +
            "and HaloSync computes pro-rata for the invoice day, so each later change would be billed for the wrong period. To move them, " +
            FormattableString.Invariant($"set the next invoice date of each HaloSync recurring invoice in HaloPSA to day {wanted} (once the invoices of the current period are generated), ") +
            FormattableString.Invariant($"then run Set-HaloSyncConfiguration -InvoiceDay {wanted} -Force."));
    }

    public HaloLinks LoadLinks()
        => store.Guard(() =>
        {
            using var command = store.Command("SELECT halo_client_id, cumulus_key, entity, halo_id, parent_id FROM links;");
            using var reader = command.ExecuteReader();
            var links = new HaloLinks();
            while (reader.Read())
            {
                links.Set(reader.GetInt32(0), reader.GetString(1), (HaloEntity)Enum.Parse(typeof(HaloEntity), reader.GetString(2)), reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4));
            }

            return links;
        });

    /// <summary>
    /// Commits what the clients' writes left in HaloPSA: their kept subscriptions and added charges, the ids of their
    /// records, the first-sync date of their organizations, and their events' outcome (Success), all in one transaction.
    /// </summary>
    public void CommitClients(IReadOnlyCollection<ClientOutcome> outcomes, DateTime asOf, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            foreach (var outcome in outcomes)
            {
                Commit(transaction, outcome, asOf, now);
            }
        });

    private void Commit(SqliteTransaction transaction, ClientOutcome outcome, DateTime asOf, DateTimeOffset now)
    {
        foreach (var row in outcome.Subscriptions)
        {
            Upsert(transaction, row, now);
        }

        foreach (var charge in outcome.Charges)
        {
            using var insert = store.Command(
                """
                INSERT INTO synced_charges (charge_key, organization_id, halo_client_id, sku, halo_item_id, quantity, unit_price, unit_cost, line_end, period_from, period_to, synced_at)
                VALUES ($k, $o, $client, $s, $item, $q, $p, $c, $end, $f, $t, $now)
                ON CONFLICT(charge_key) DO UPDATE SET halo_item_id = excluded.halo_item_id, unit_price = excluded.unit_price, line_end = excluded.line_end,
                    synced_at = excluded.synced_at;
                """, transaction);
            insert.Parameters.AddWithValue("$k", charge.CumulusKey);
            insert.Parameters.AddWithValue("$o", charge.OrganizationId);
            insert.Parameters.AddWithValue("$client", charge.HaloClientId);
            insert.Parameters.AddWithValue("$s", charge.Sku);
            insert.Parameters.AddWithValue("$q", charge.Quantity.ToString(CultureInfo.InvariantCulture));
            insert.Parameters.AddWithValue("$c", Text(charge.UnitCost ?? 0m));
            insert.Parameters.AddWithValue("$item", charge.HaloItemId);
            insert.Parameters.AddWithValue("$p", Text(charge.UnitPrice));
            insert.Parameters.AddWithValue("$end", DateText(charge.LineEnd));
            insert.Parameters.AddWithValue("$f", DateText(charge.PeriodFrom));
            insert.Parameters.AddWithValue("$t", DateText(charge.PeriodTo));
            insert.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            insert.ExecuteNonQuery();
        }

        foreach (var (key, entity, id, parent) in outcome.Links)
        {
            using var link = store.Command(
                """
                INSERT INTO links (halo_client_id, cumulus_key, entity, halo_id, parent_id, updated_at) VALUES ($client, $key, $entity, $id, $parent, $now)
                ON CONFLICT(halo_client_id, cumulus_key, entity) DO UPDATE SET halo_id = excluded.halo_id, parent_id = excluded.parent_id, updated_at = excluded.updated_at;
                """, transaction);
            link.Parameters.AddWithValue("$client", outcome.ClientId);
            link.Parameters.AddWithValue("$key", key);
            link.Parameters.AddWithValue("$entity", entity.ToString());
            link.Parameters.AddWithValue("$id", id);
            link.Parameters.AddWithValue("$parent", (object?)parent ?? DBNull.Value);
            link.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            link.ExecuteNonQuery();
        }

        foreach (var organizationId in outcome.Organizations)
        {
            using var first = store.Command(
                "UPDATE organizations SET first_synced_on = $d, first_synced_client = $client WHERE cumulus_id = $o AND halo_client_id = $client AND first_synced_on IS NULL;",
                transaction);
            first.Parameters.AddWithValue("$d", asOf.ToString(DateFormat, CultureInfo.InvariantCulture));
            first.Parameters.AddWithValue("$o", organizationId);
            first.Parameters.AddWithValue("$client", outcome.ClientId);
            first.ExecuteNonQuery();
        }

        foreach (var e in outcome.Events)
        {
            log.Update(e, transaction);
        }
    }

    /// <summary>Saves events' outcome on their own (failures, superseded events, item costs) in one transaction.</summary>
    public void SaveOutcomes(IEnumerable<SyncEvent> events)
        => store.InTransaction(transaction =>
        {
            foreach (var e in events)
            {
                log.Update(e, transaction);
            }
        });

    private void Upsert(SqliteTransaction transaction, SyncedSubscription row, DateTimeOffset now)
    {
        using var upsert = store.Command(
            """
            INSERT INTO synced_subscriptions (organization_id, halo_client_id, subscription_id, sku, product_name, halo_item_id, quantity, billing_cycle, term,
                purchase_date, term_end_date, unit_price, unit_cost, cost_provisional, line_start, cancelled_on, synced_at)
            VALUES ($o, $client, $s, $sku, $name, $item, $q, $cycle, $term, $purchase, $termEnd, $price, $cost, $provisional, $lineStart, $cancelled, $now)
            ON CONFLICT(organization_id, halo_client_id, subscription_id) DO UPDATE SET sku = excluded.sku, product_name = excluded.product_name,
                halo_item_id = excluded.halo_item_id, quantity = excluded.quantity, billing_cycle = excluded.billing_cycle, term = excluded.term,
                purchase_date = excluded.purchase_date, term_end_date = excluded.term_end_date, unit_price = excluded.unit_price,
                unit_cost = excluded.unit_cost, cost_provisional = excluded.cost_provisional, line_start = excluded.line_start,
                cancelled_on = excluded.cancelled_on, synced_at = excluded.synced_at;
            """, transaction);
        upsert.Parameters.AddWithValue("$o", row.OrganizationId);
        upsert.Parameters.AddWithValue("$client", row.HaloClientId);
        upsert.Parameters.AddWithValue("$s", row.SubscriptionId.ToString("D"));
        upsert.Parameters.AddWithValue("$sku", row.Sku);
        upsert.Parameters.AddWithValue("$name", row.ProductName);
        upsert.Parameters.AddWithValue("$item", (object?)row.HaloItemId ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$q", row.Quantity);
        upsert.Parameters.AddWithValue("$cycle", row.BillingCycle.ToString());
        upsert.Parameters.AddWithValue("$term", (object?)row.Term?.ToString() ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$purchase", DateText(row.PurchaseDate));
        upsert.Parameters.AddWithValue("$termEnd", DateText(row.TermEndDate));
        upsert.Parameters.AddWithValue("$price", Text(row.UnitPrice));
        upsert.Parameters.AddWithValue("$cost", Text(row.UnitCost));
        upsert.Parameters.AddWithValue("$provisional", row.CostProvisional ? 1 : 0);
        upsert.Parameters.AddWithValue("$lineStart", DateText(row.LineStart));
        upsert.Parameters.AddWithValue("$cancelled", DateText(row.CancelledOn));
        upsert.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
        upsert.ExecuteNonQuery();
    }

    private static object Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? (object)DBNull.Value;

    private static object DateText(DateTime? value) => value?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? (object)DBNull.Value;

    private static DateTime? DateValue(SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : DateTime.ParseExact(reader.GetString(ordinal), DateFormat, CultureInfo.InvariantCulture);

    private static decimal? DecimalValue(SqliteDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : decimal.Parse(reader.GetString(ordinal), NumberStyles.Number, CultureInfo.InvariantCulture);
}

/// <summary>What one client's successful writes leave to commit.</summary>
public sealed class ClientOutcome
{
    public int ClientId { get; init; }

    public List<SyncedSubscription> Subscriptions { get; } = new();

    public List<SyncedCharge> Charges { get; } = new();

    /// <summary>HaloPSA ids by Cumulus key: licences, lines (parent: their invoice) and the client's invoice ('invoice').</summary>
    public List<(string Key, HaloEntity Entity, int Id, int? ParentId)> Links { get; } = new();

    /// <summary>Organizations that bill to this client and were synced by this run (their first-sync date is set).</summary>
    public HashSet<string> Organizations { get; } = new(StringComparer.Ordinal);

    public List<SyncEvent> Events { get; } = new();
}
