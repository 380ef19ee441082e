using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;
using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.Migration;

/// <summary>The finished cutovers in the state database, and the event log their writes go to.</summary>
public sealed class MigrationState
{
    private const string DateFormat = "yyyy-MM-dd";
    private const string Columns = "organization_id, halo_client_id, organization_name, cutover_on, completed_at, run_id, legacy_monthly, halosync_monthly, " +
                                   "deactivated, ended_invoices, removed_invoices";

    private readonly StateStore store;

    public MigrationState(StateStore store)
    {
        this.store = store;
        Log = new EventLog(store);
    }

    public EventLog Log { get; }

    /// <summary>Every finished cutover, the latest first.</summary>
    public List<MigrationRecord> GetMigrations()
        => store.Guard(() =>
        {
            using var command = store.Command($"SELECT {Columns} FROM migrations ORDER BY completed_at DESC, organization_name;");
            return Read(command);
        });

    public MigrationRecord? Find(string organizationId, int haloClientId)
        => store.Guard(() =>
        {
            using var command = store.Command($"SELECT {Columns} FROM migrations WHERE organization_id = $o AND halo_client_id = $client;");
            command.Parameters.AddWithValue("$o", organizationId);
            command.Parameters.AddWithValue("$client", haloClientId);
            return Read(command).SingleOrDefault();
        });

    /// <summary>Saves the cutover's events' outcome and, when it finished, its record, in one transaction.</summary>
    public void Finish(IEnumerable<SyncEvent> events, MigrationRecord? finished)
        => store.InTransaction(transaction =>
        {
            foreach (var e in events)
            {
                Log.Update(e, transaction);
            }

            if (finished is not null)
            {
                Insert(finished, transaction);
            }
        });

    private void Insert(MigrationRecord record, SqliteTransaction transaction)
    {
        using var insert = store.Command(
            $"""
            INSERT INTO migrations ({Columns})
            VALUES ($o, $client, $name, $on, $at, $run, $legacy, $halosync, $deactivated, $ended, $removed)
            ON CONFLICT(organization_id, halo_client_id) DO NOTHING;
            """, transaction);
        insert.Parameters.AddWithValue("$o", record.OrganizationId);
        insert.Parameters.AddWithValue("$client", record.HaloClientId);
        insert.Parameters.AddWithValue("$name", record.OrganizationName);
        insert.Parameters.AddWithValue("$on", record.CutoverOn.ToString(DateFormat, CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$at", StateStore.Timestamp(record.CompletedAt));
        insert.Parameters.AddWithValue("$run", record.RunId);
        insert.Parameters.AddWithValue("$legacy", record.LegacyMonthlyTotal.ToString(CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$halosync", record.HaloSyncMonthlyTotal.ToString(CultureInfo.InvariantCulture));
        insert.Parameters.AddWithValue("$deactivated", record.DeactivatedSubscriptions);
        insert.Parameters.AddWithValue("$ended", record.EndedInvoices);
        insert.Parameters.AddWithValue("$removed", record.RemovedInvoices);
        insert.ExecuteNonQuery();
    }

    private static List<MigrationRecord> Read(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        var records = new List<MigrationRecord>();
        while (reader.Read())
        {
            records.Add(new MigrationRecord
            {
                OrganizationId = reader.GetString(0),
                HaloClientId = reader.GetInt32(1),
                OrganizationName = reader.GetString(2),
                CutoverOn = DateTime.ParseExact(reader.GetString(3), DateFormat, CultureInfo.InvariantCulture),
                CompletedAt = DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture),
                RunId = reader.GetString(5),
                LegacyMonthlyTotal = decimal.Parse(reader.GetString(6), NumberStyles.Number, CultureInfo.InvariantCulture),
                HaloSyncMonthlyTotal = decimal.Parse(reader.GetString(7), NumberStyles.Number, CultureInfo.InvariantCulture),
                DeactivatedSubscriptions = reader.GetInt32(8),
                EndedInvoices = reader.GetInt32(9),
                RemovedInvoices = reader.GetInt32(10),
            });
        }

        return records;
    }
}
