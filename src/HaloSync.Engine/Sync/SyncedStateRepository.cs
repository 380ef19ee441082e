using System;
using System.Collections.Generic;
using System.Globalization;
using HaloSync.Engine.State;
using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.Sync;

/// <summary>The last synced Cumulus snapshot and the run lease.</summary>
public sealed class SyncedStateRepository
{
    private readonly StateStore store;

    public SyncedStateRepository(StateStore store) => this.store = store;

    public Dictionary<string, SyncedSubscription> LoadSubscriptions()
        => store.Guard(() =>
        {
            using var command = store.Command("SELECT organization_id, subscription_id, sku, product_name, quantity, billing_cycle, unit_cost, cancelled_on FROM synced_subscriptions;");
            using var reader = command.ExecuteReader();
            var rows = new Dictionary<string, SyncedSubscription>(StringComparer.Ordinal);
            while (reader.Read())
            {
                var row = new SyncedSubscription(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                    reader.GetString(5), reader.IsDBNull(6) ? null : decimal.Parse(reader.GetString(6), CultureInfo.InvariantCulture), !reader.IsDBNull(7));
                rows[SyncedSubscription.KeyOf(row.OrganizationId, row.SubscriptionId)] = row;
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

    /// <summary>Records what the applied actions left in HaloPSA, in one transaction with the organization's first-sync date.</summary>
    public void RecordApplied(string organizationId, IEnumerable<SyncAction> applied, DateTime asOf, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            foreach (var action in applied)
            {
                var e = action.Event;
                switch (e.Kind)
                {
                    case SyncEventKind.CreateSubscription:
                    case SyncEventKind.ChangeQuantity:
                    case SyncEventKind.UpdateCost:
                    case SyncEventKind.CancelSubscription:
                        UpsertSubscription(transaction, organizationId, action, now);
                        break;
                    case SyncEventKind.AddCharge:
                        using (var insert = store.Command(
                                   "INSERT OR IGNORE INTO synced_charges (charge_key, organization_id, sku, quantity, unit_cost, period_from, period_to, synced_at) VALUES ($k, $o, $s, $q, $c, $f, $t, $now);",
                                   transaction))
                        {
                            insert.Parameters.AddWithValue("$k", e.CumulusKey);
                            insert.Parameters.AddWithValue("$o", organizationId);
                            insert.Parameters.AddWithValue("$s", e.Sku);
                            insert.Parameters.AddWithValue("$q", Text(e.QuantityAfter));
                            insert.Parameters.AddWithValue("$c", Text(e.UnitCost));
                            insert.Parameters.AddWithValue("$f", DateText(action.Charge?.PeriodFrom));
                            insert.Parameters.AddWithValue("$t", DateText(action.Charge?.PeriodTo));
                            insert.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
                            insert.ExecuteNonQuery();
                        }

                        break;
                }
            }

            using var first = store.Command("UPDATE organizations SET first_synced_on = $d WHERE cumulus_id = $o AND first_synced_on IS NULL;", transaction);
            first.Parameters.AddWithValue("$d", asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            first.Parameters.AddWithValue("$o", organizationId);
            first.ExecuteNonQuery();
        });

    /// <summary>Takes the run lease or explains who holds it; a lease older than its expiry is taken over.</summary>
    public void AcquireLease(string runId, string holder, DateTimeOffset now, TimeSpan duration)
        => store.InTransaction(transaction =>
        {
            using (var read = store.Command("SELECT run_id, holder, acquired_at, expires_at FROM run_lease WHERE id = 1;", transaction))
            using (var reader = read.ExecuteReader())
            {
                if (reader.Read() && DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture) > now)
                {
                    throw new HaloSyncException("SyncAlreadyRunning", HaloSyncErrorKind.ResourceUnavailable,
                        $"Another sync ({reader.GetString(0)}, by {reader.GetString(1)}, started {reader.GetString(2)}) is running on '{store.Path}'. " +
                        $"Wait for it to finish; a lease left by a run that died expires at {reader.GetString(3)}.");
                }
            }

            using var take = store.Command(
                "INSERT OR REPLACE INTO run_lease (id, run_id, holder, acquired_at, expires_at) VALUES (1, $r, $h, $a, $e);", transaction);
            take.Parameters.AddWithValue("$r", runId);
            take.Parameters.AddWithValue("$h", holder);
            take.Parameters.AddWithValue("$a", StateStore.Timestamp(now));
            take.Parameters.AddWithValue("$e", StateStore.Timestamp(now + duration));
            take.ExecuteNonQuery();
        });

    public void ReleaseLease(string runId)
        => store.InTransaction(transaction =>
        {
            using var release = store.Command("DELETE FROM run_lease WHERE id = 1 AND run_id = $r;", transaction);
            release.Parameters.AddWithValue("$r", runId);
            release.ExecuteNonQuery();
        });

    private void UpsertSubscription(SqliteTransaction transaction, string organizationId, SyncAction action, DateTimeOffset now)
    {
        var e = action.Event;
        var subscription = action.Subscription;
        using var upsert = store.Command(
            """
            INSERT INTO synced_subscriptions (organization_id, subscription_id, sku, product_name, quantity, billing_cycle, term, purchase_date, term_end_date,
                unit_cost, cost_provisional, cancelled_on, synced_at)
            VALUES ($o, $s, $sku, $name, $q, $cycle, $term, $purchase, $termEnd, $cost, $provisional, $cancelled, $now)
            ON CONFLICT(organization_id, subscription_id) DO UPDATE SET quantity = excluded.quantity, unit_cost = COALESCE(excluded.unit_cost, unit_cost),
                cancelled_on = excluded.cancelled_on, synced_at = excluded.synced_at, billing_cycle = excluded.billing_cycle;
            """, transaction);
        upsert.Parameters.AddWithValue("$o", organizationId);
        upsert.Parameters.AddWithValue("$s", e.CumulusKey!.Substring("sub-".Length));
        upsert.Parameters.AddWithValue("$sku", e.Sku);
        upsert.Parameters.AddWithValue("$name", e.ProductName ?? e.Sku);
        upsert.Parameters.AddWithValue("$q", (int)(e.QuantityAfter ?? 0));
        upsert.Parameters.AddWithValue("$cycle", subscription?.BillingCycle.ToString() ?? (action.HasLine ? "Monthly" : "Yearly"));
        upsert.Parameters.AddWithValue("$term", (object?)subscription?.CommitmentTerm?.Type.ToString() ?? DBNull.Value);
        upsert.Parameters.AddWithValue("$purchase", DateText(subscription?.PurchaseDate));
        upsert.Parameters.AddWithValue("$termEnd", DateText(subscription?.CommitmentTerm?.TermEndDate));
        upsert.Parameters.AddWithValue("$cost", Text(e.UnitCost));
        upsert.Parameters.AddWithValue("$provisional", e.Detail?.Contains("provisional") == true ? 1 : 0);
        upsert.Parameters.AddWithValue("$cancelled", e.Kind == SyncEventKind.CancelSubscription ? DateText(e.EffectiveDate) : DBNull.Value);
        upsert.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
        upsert.ExecuteNonQuery();
    }

    private static object Text(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? (object)DBNull.Value;

    private static object DateText(DateTime? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? (object)DBNull.Value;
}
