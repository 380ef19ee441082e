using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Migration;
using HaloSync.Engine.State;
using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.Tests.State;

public sealed class StateStoreTests : IDisposable
{
    private readonly TempStateFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_new_database_is_created_at_the_latest_schema_in_WAL_mode_with_every_table()
    {
        var nested = Path.Combine(folder.Root, "a", "b", "state.db");
        using (var store = StateStore.Open(nested))
        {
            Assert.Equal(StateSchema.LatestVersion, store.SchemaVersion);
        }

        using var raw = OpenRaw(nested);
        Assert.Equal("wal", Scalar(raw, "PRAGMA journal_mode;"));
        var tables = Rows(raw, "SELECT name FROM sqlite_master WHERE type = 'table';");
        foreach (var expected in new[] { "schema_version", "settings", "connections", "products", "organizations",
                     "charge_sync_flags", "synced_subscriptions", "synced_charges", "links", "events", "runs", "run_lease", "halo_catalog", "migrations" })
        {
            Assert.Contains(expected, tables);
        }
    }

    [Fact]
    public void Opening_an_existing_file_only_never_creates_one_and_names_the_path()
    {
        var typo = Path.Combine(folder.Root, "halosnyc.db");

        var error = Assert.Throws<HaloSyncException>(() => StateStore.OpenExisting(typo));

        Assert.Equal("StateDatabaseNotFound", error.ErrorId);
        Assert.Contains($"'{typo}'", error.Message);
        Assert.False(File.Exists(typo));
        using (StateStore.Open(folder.DatabasePath))
        {
        }

        using var existing = StateStore.OpenExisting(folder.DatabasePath);
        Assert.Equal(folder.DatabasePath, existing.Path);
    }

    [Fact]
    public void Defaults_are_returned_before_anything_is_set_and_the_time_zone_is_pinned_at_creation()
    {
        using var store = StateStore.Open(folder.DatabasePath);
        var configuration = store.GetConfiguration();

        Assert.Equal(1, configuration.InvoiceDay);
        Assert.Equal(BillingMethod.PreBill, configuration.BillingMethod);
        Assert.True(configuration.Proration);
        Assert.Equal(MappingMode.Manual, configuration.MappingMode);
        Assert.False(configuration.SyncEnabled);
        Assert.Equal(CostBasis.NetBeforePerformanceTier, configuration.CostBasis);
        Assert.Equal(TimeZoneInfo.Local.Id, configuration.TimeZone);
        Assert.Equal(folder.DatabasePath, configuration.StatePath);
        using var raw = OpenRaw(folder.DatabasePath);
        Assert.Equal(TimeZoneInfo.Local.Id, Scalar(raw, "SELECT value FROM settings WHERE key = 'TimeZone';"));
    }

    [Fact]
    public void Every_setting_round_trips_through_the_file()
    {
        using (var store = StateStore.Open(folder.DatabasePath))
        {
            store.SaveConfiguration(new SyncConfiguration
            {
                InvoiceDay = 31,
                BillingMethod = BillingMethod.PostBill,
                Proration = false,
                MappingMode = MappingMode.Automatic,
                SyncEnabled = true,
                TimeZone = "America/Toronto",
                CostBasis = CostBasis.List,
                HandEditCheckHours = 24,
            });
        }

        using var reopened = StateStore.Open(folder.DatabasePath);
        var configuration = reopened.GetConfiguration();
        Assert.Equal(31, configuration.InvoiceDay);
        Assert.Equal(BillingMethod.PostBill, configuration.BillingMethod);
        Assert.False(configuration.Proration);
        Assert.Equal(MappingMode.Automatic, configuration.MappingMode);
        Assert.True(configuration.SyncEnabled);
        Assert.Equal("America/Toronto", configuration.TimeZone);
        Assert.Equal(CostBasis.List, configuration.CostBasis);
        Assert.Equal(24, configuration.HandEditCheckHours);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(-1)]
    public void An_invoice_day_outside_1_to_31_is_refused_with_the_range_and_nothing_is_written(int day)
    {
        using var store = StateStore.Open(folder.DatabasePath);
        var error = Assert.Throws<HaloSyncException>(() => store.SaveConfiguration(new SyncConfiguration { InvoiceDay = day, SyncEnabled = true }));

        Assert.Equal("InvalidInvoiceDay", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("from 1 to 31", error.Message);
        Assert.False(store.GetConfiguration().SyncEnabled);
        Assert.Equal(1, store.GetConfiguration().InvoiceDay);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_and_nothing_is_written()
    {
        using var store = StateStore.Open(folder.DatabasePath);
        var error = Assert.Throws<HaloSyncException>(() => store.SaveConfiguration(new SyncConfiguration { TimeZone = "Mars/Olympus_Mons", InvoiceDay = 9 }));

        Assert.Equal("InvalidTimeZone", error.ErrorId);
        Assert.Contains("Mars/Olympus_Mons", error.Message);
        Assert.Equal(1, store.GetConfiguration().InvoiceDay);
    }

    [Fact]
    public void A_corrupt_file_is_reported_with_its_path_and_left_untouched()
    {
        var garbage = new string('x', 4096);
        File.WriteAllText(folder.DatabasePath, garbage);

        var error = Assert.Throws<HaloSyncException>(() => StateStore.Open(folder.DatabasePath));

        Assert.Equal("StateDatabaseCorrupt", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.InvalidData, error.Kind);
        Assert.Contains(folder.DatabasePath, error.Message);
        Assert.Contains("will not recreate", error.Message);
        Assert.Equal(garbage, File.ReadAllText(folder.DatabasePath));
    }

    [Fact]
    public void A_file_locked_by_another_writer_is_reported_with_its_path()
    {
        using (StateStore.Open(folder.DatabasePath))
        {
        }

        using var holder = OpenRaw(folder.DatabasePath);
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
        }

        using var store = StateStore.Open(folder.DatabasePath, StateSchema.Migrations, TimeSpan.FromMilliseconds(200));
        var error = Assert.Throws<HaloSyncException>(() => store.SaveConfiguration(new SyncConfiguration { InvoiceDay = 5 }));

        Assert.Equal("StateDatabaseLocked", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.ResourceUnavailable, error.Kind);
        Assert.Contains(folder.DatabasePath, error.Message);
    }

    [Fact]
    public void A_database_from_a_newer_HaloSync_is_refused_not_downgraded()
    {
        using (StateStore.Open(folder.DatabasePath))
        {
        }

        using (var raw = OpenRaw(folder.DatabasePath))
        {
            Execute(raw, "INSERT INTO schema_version (version, applied_at) VALUES (99, 'later');");
        }

        var error = Assert.Throws<HaloSyncException>(() => StateStore.Open(folder.DatabasePath));
        Assert.Equal("StateSchemaTooNew", error.ErrorId);
        Assert.Contains("99", error.Message);
        Assert.Contains(folder.DatabasePath, error.Message);
    }

    [Fact]
    public void An_older_database_is_upgraded_in_place_keeping_its_data()
    {
        var versionOne = new[] { "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE notes (text TEXT NOT NULL);" };
        using (var store = StateStore.Open(folder.DatabasePath, versionOne, TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(1, store.SchemaVersion);
            store.InTransaction(transaction =>
            {
                using var insert = store.Command("INSERT INTO notes (text) VALUES ('kept');", transaction);
                insert.ExecuteNonQuery();
            });
        }

        var versionTwo = versionOne.Concat(new[] { "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown';" }).ToArray();
        using (var upgraded = StateStore.Open(folder.DatabasePath, versionTwo, TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(2, upgraded.SchemaVersion);
        }

        using var raw = OpenRaw(folder.DatabasePath);
        Assert.Equal("kept|unknown", Scalar(raw, "SELECT text || '|' || author FROM notes;"));
        Assert.Equal(new List<string> { "1", "2" }, Rows(raw, "SELECT version FROM schema_version ORDER BY version;"));
    }

    [Fact]
    public void A_failing_migration_leaves_the_previous_version_intact()
    {
        var migrations = new[] { "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);", "CREATE TABLE b (y INTEGER); THIS IS NOT SQL;" };

        Assert.Throws<HaloSyncException>(() => StateStore.Open(folder.DatabasePath, migrations, TimeSpan.FromSeconds(1)));

        using var raw = OpenRaw(folder.DatabasePath);
        Assert.Equal(new List<string> { "1" }, Rows(raw, "SELECT version FROM schema_version;"));
        Assert.DoesNotContain("b", Rows(raw, "SELECT name FROM sqlite_master WHERE type = 'table';"));
    }

    [Fact]
    public void A_transaction_that_throws_writes_nothing()
    {
        using var store = StateStore.Open(folder.DatabasePath);

        Assert.Throws<InvalidOperationException>(() => store.InTransaction(transaction =>
        {
            using var insert = store.Command("INSERT INTO settings (key, value) VALUES ('InvoiceDay', '20');", transaction);
            insert.ExecuteNonQuery();
            throw new InvalidOperationException("half way");
        }));

        Assert.Equal(1, store.GetConfiguration().InvoiceDay);
    }

    [Fact]
    public void Connections_keep_site_client_and_tenant_and_have_no_place_for_a_secret()
    {
        using (var store = StateStore.Open(folder.DatabasePath))
        {
            store.SaveConnection(new ConnectionRecord("HaloPSA", "https://contoso.halopsa.com", "client-1", "contoso", "all"));
            store.SaveConnection(new ConnectionRecord("HaloPSA", "https://contoso.halopsa.com", "client-2", null, "all"));
        }

        using var reopened = StateStore.Open(folder.DatabasePath);
        Assert.Equal(new ConnectionRecord("HaloPSA", "https://contoso.halopsa.com", "client-2", null, "all"), reopened.GetConnection("HaloPSA"));
        Assert.Null(reopened.GetConnection("Cumulus"));
        using var raw = OpenRaw(folder.DatabasePath);
        var columns = Rows(raw, "SELECT name FROM pragma_table_info('connections');");
        Assert.DoesNotContain(columns, c => c.Contains("secret") || c.Contains("token") || c.Contains("key"));
    }

    [Fact]
    public void A_new_database_carries_HaloSyncs_application_id()
    {
        using (StateStore.Open(folder.DatabasePath))
        {
        }

        using var raw = OpenRaw(folder.DatabasePath);
        Assert.Equal(StateStore.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(raw, "PRAGMA application_id;"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(0x12345678)]
    public void Another_applications_database_is_refused_and_left_untouched(int applicationId)
    {
        using (var other = OpenRaw(folder.DatabasePath))
        {
            Execute(other, $"PRAGMA application_id = {applicationId}; CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Contoso');");
        }

        var before = File.ReadAllBytes(folder.DatabasePath);

        var error = Assert.Throws<HaloSyncException>(() => StateStore.Open(folder.DatabasePath));

        Assert.Equal(("StateDatabaseForeign", HaloSyncErrorKind.InvalidData), (error.ErrorId, error.Kind));
        Assert.Contains(folder.DatabasePath, error.Message);
        Assert.Contains("customers", error.Message);
        Assert.Contains("untouched", error.Message);
        Assert.Equal(before, File.ReadAllBytes(folder.DatabasePath));
        Assert.False(File.Exists(folder.DatabasePath + "-wal"));
    }

    [Fact]
    public void A_newer_schema_is_refused_before_anything_is_written_even_the_WAL_switch()
    {
        using (StateStore.Open(folder.DatabasePath))
        {
        }

        using (var raw = OpenRaw(folder.DatabasePath))
        {
            Execute(raw, "PRAGMA journal_mode = DELETE; INSERT INTO schema_version (version, applied_at) VALUES (99, 'later');");
        }

        var before = File.ReadAllBytes(folder.DatabasePath);

        var error = Assert.Throws<HaloSyncException>(() => StateStore.Open(folder.DatabasePath));

        Assert.Equal("StateSchemaTooNew", error.ErrorId);
        Assert.Contains("was not changed", error.Message);
        Assert.Equal(before, File.ReadAllBytes(folder.DatabasePath));
        Assert.Equal(1, before[18]); // the header still says rollback journal (2 would be WAL)
    }

    [Fact]
    public void A_HaloSync_file_from_before_the_application_id_is_recognised_and_marked()
    {
        using (var raw = OpenRaw(folder.DatabasePath))
        {
            Execute(raw, "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);");
        }

        using (var store = StateStore.Open(folder.DatabasePath))
        {
            Assert.Equal(StateSchema.LatestVersion, store.SchemaVersion);
        }

        using var reopened = OpenRaw(folder.DatabasePath);
        Assert.Equal(StateStore.ApplicationId.ToString(System.Globalization.CultureInfo.InvariantCulture), Scalar(reopened, "PRAGMA application_id;"));
    }

    [Fact]
    public void Upgrading_to_schema_2_keys_the_snapshot_by_client_and_closes_events_the_old_runs_left()
    {
        using (var store = StateStore.Open(folder.DatabasePath, StateSchema.Migrations.Take(1).ToList(), TimeSpan.FromSeconds(1)))
        {
            store.InTransaction(transaction =>
            {
                using var insert = store.Command(
                    """
                    INSERT INTO organizations (cumulus_id, name, halo_client_id, sync_enabled, updated_at) VALUES ('org-1', 'Contoso', 12, 1, 'x');
                    INSERT INTO organizations (cumulus_id, name, sync_enabled, updated_at) VALUES ('org-2', 'Unmapped', 0, 'x');
                    INSERT INTO synced_subscriptions (organization_id, subscription_id, sku, product_name, quantity, billing_cycle, unit_cost, synced_at)
                        VALUES ('org-1', '9a1e0000-0000-4000-8000-000000000001', 'MS-BP', 'Premium', 10, 'Monthly', '22', 'x'),
                               ('org-2', '9a1e0000-0000-4000-8000-000000000002', 'MS-BP', 'Premium', 3, 'Monthly', '22', 'x');
                    INSERT INTO runs (run_id, started_at, as_of, status) VALUES ('dead', 'x', '2026-11-16', 'Running');
                    INSERT INTO events (run_id, created_at, updated_at, kind, status) VALUES ('dead', 'x', 'x', 'ChangeQuantity', 'Failed');
                    """, transaction);
                insert.ExecuteNonQuery();
            });
        }

        using (StateStore.Open(folder.DatabasePath))
        {
        }

        using var raw = OpenRaw(folder.DatabasePath);
        Assert.Equal(new List<string> { "org-1|12|10" }, Rows(raw, "SELECT organization_id || '|' || halo_client_id || '|' || quantity FROM synced_subscriptions;"));
        Assert.Equal("Superseded", Scalar(raw, "SELECT status FROM events;"));
        Assert.Equal("Abandoned", Scalar(raw, "SELECT status FROM runs;"));
    }

    [Fact]
    public void Upgrading_to_schema_3_adds_the_finished_cutovers_and_keeps_everything_else()
    {
        using (var store = StateStore.Open(folder.DatabasePath, StateSchema.Migrations.Take(2).ToList(), TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(2, store.SchemaVersion);
            store.InTransaction(transaction =>
            {
                using var insert = store.Command(
                    """
                    INSERT INTO organizations (cumulus_id, name, halo_client_id, sync_enabled, first_synced_on, updated_at) VALUES ('org-1', 'Contoso', 12, 1, '2026-11-16', 'x');
                    INSERT INTO links (halo_client_id, cumulus_key, entity, halo_id, updated_at) VALUES (12, 'sub-a', 'SoftwareLicence', 101, 'x');
                    INSERT INTO events (run_id, created_at, updated_at, kind, status, halo_client_id) VALUES ('run', 'x', 'x', 'CreateSubscription', 'Success', 12);
                    """, transaction);
                insert.ExecuteNonQuery();
            });
        }

        using (var upgraded = StateStore.Open(folder.DatabasePath))
        {
            Assert.Equal(StateSchema.LatestVersion, upgraded.SchemaVersion);
            Assert.Empty(new MigrationState(upgraded).GetMigrations());
        }

        using var raw = OpenRaw(folder.DatabasePath);
        Assert.Equal(Enumerable.Range(1, StateSchema.LatestVersion).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            Rows(raw, "SELECT version FROM schema_version ORDER BY version;"));
        Assert.Equal("Contoso|2026-11-16", Scalar(raw, "SELECT name || '|' || first_synced_on FROM organizations;"));
        Assert.Equal("101", Scalar(raw, "SELECT halo_id FROM links;"));
        Assert.Equal("CreateSubscription|Success", Scalar(raw, "SELECT kind || '|' || status FROM events;"));
        Assert.Contains("migrations", Rows(raw, "SELECT name FROM sqlite_master WHERE type = 'table';"));
    }

    /// <summary>
    /// Schema 5 keeps what a charge's line bills at and until when. A charge added before takes them from the event that
    /// added it (the latest successful AddCharge or Adopt on its client); one without such an event has none and is not
    /// offered for a new price.
    /// </summary>
    [Fact]
    public void Upgrading_to_schema_5_gives_added_charges_their_price_and_line_end_from_the_events_that_added_them()
    {
        using (var store = StateStore.Open(folder.DatabasePath, StateSchema.Migrations.Take(4).ToList(), TimeSpan.FromSeconds(1)))
        {
            store.InTransaction(transaction =>
            {
                using var insert = store.Command(
                    """
                    INSERT INTO synced_charges (charge_key, organization_id, halo_client_id, sku, quantity, unit_cost, period_from, period_to, synced_at)
                    VALUES ('chg-azure', 'org-1', 12, 'AZ', '2', '61.725', '2026-11-01', '2026-11-30', 'x'),
                           ('chg-setup', 'org-1', 12, 'SETUP', '1', '20', NULL, NULL, 'x');
                    INSERT INTO events (run_id, created_at, updated_at, kind, status, cumulus_key, halo_client_id, halo_item_id, unit_price, line_end)
                    VALUES ('a', 'x', 'x', 'AddCharge', 'Failed', 'chg-azure', 12, 8, '140', '2026-12-14'),
                           ('b', 'x', 'x', 'AddCharge', 'Success', 'chg-azure', 12, 8, '150', '2026-12-14'),
                           ('b', 'x', 'x', 'AddCharge', 'Success', 'chg-azure', 99, 9, '999', '2027-01-14');
                    """, transaction);
                insert.ExecuteNonQuery();
            });
        }

        using var upgraded = StateStore.Open(folder.DatabasePath);
        var state = new HaloSync.Engine.Sync.SyncState(upgraded);

        var charge = Assert.Single(state.LoadChargesToInvoice(new DateTime(2026, 12, 14)));
        Assert.Equal(("chg-azure", 12, 8, 2m, 150m, 61.725m, new DateTime(2026, 12, 14)),
            (charge.CumulusKey, charge.HaloClientId, charge.HaloItemId, charge.Quantity, charge.UnitPrice, charge.UnitCost, charge.LineEnd));
        Assert.Empty(state.LoadChargesToInvoice(new DateTime(2026, 12, 15)));
        Assert.Equal(2, state.LoadChargeKeys().Count);
    }

    private static SqliteConnection OpenRaw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetValue(0).ToString()!);
        }

        return rows;
    }
}
