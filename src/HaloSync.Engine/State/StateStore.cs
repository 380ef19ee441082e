using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using HaloSync.Engine.Configuration;
using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.State;

/// <summary>
/// The SQLite state database: one file, WAL, a versioned schema upgraded in place, and a transaction
/// around every multi-row change. A corrupt, locked or newer file is reported, never recreated.
/// </summary>
public sealed class StateStore : IDisposable
{
    /// <summary>SQLite's application_id of a HaloSync state file ("HSYN"): another application's database is never adopted.</summary>
    internal const int ApplicationId = 0x4853594E;

    private static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);
    private readonly SqliteConnection connection;
    private readonly IReadOnlyList<string> migrations;

    private StateStore(string path, SqliteConnection connection, IReadOnlyList<string> migrations)
    {
        Path = path;
        this.connection = connection;
        this.migrations = migrations;
    }

    public string Path { get; }

    public int SchemaVersion { get; private set; }

    /// <summary>Opens (creating if absent) the database at <paramref name="path"/> and upgrades its schema.</summary>
    public static StateStore Open(string path) => Open(path, StateSchema.Migrations, DefaultBusyTimeout);

    /// <summary>Opens the database at <paramref name="path"/>, which must exist: a read never creates a state file, so a mistyped path is an error naming it.</summary>
    /// <param name="whatIf">The command runs with -WhatIf (it would create the file, but -WhatIf writes nothing), not a read.</param>
    public static StateStore OpenExisting(string path, bool whatIf = false)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new HaloSyncException("StateDatabaseNotFound", HaloSyncErrorKind.NotFound, whatIf
                ? $"There is no HaloSync state database at '{fullPath}', and -WhatIf creates none, so there is nothing to preview the change against. " +
                  $"Check -StatePath (or {StatePaths.EnvironmentVariable}) for a typo; a new state database is made by Set-HaloSyncConfiguration, " +
                  "Connect-HaloPsa or Connect-Cumulus, run without -WhatIf."
                : $"There is no HaloSync state database at '{fullPath}', and reading creates none. Check -StatePath (or " +
                  $"{StatePaths.EnvironmentVariable}) for a typo. A new state database is made by Set-HaloSyncConfiguration, Connect-HaloPsa or Connect-Cumulus.");
        }

        // -WhatIf writes nothing, not even the schema upgrade a newer module gives an older file (the older module,
        // still run by a scheduled task, could no longer open it).
        var version = whatIf && new FileInfo(fullPath).Length > 0 ? Inspect(fullPath, StateSchema.LatestVersion) : StateSchema.LatestVersion;
        if (version < StateSchema.LatestVersion)
        {
            throw new HaloSyncException("StateSchemaUpgradeNeeded", HaloSyncErrorKind.InvalidOperation,
                $"The HaloSync state database '{fullPath}' has schema version {version}, from an earlier HaloSync; this one uses version " +
                $"{StateSchema.LatestVersion} and upgrades the file on its first use without -WhatIf, which -WhatIf does not do (it writes nothing). " +
                "Nothing was changed. Run a command without -WhatIf once (Get-HaloSyncConfiguration is enough), then preview again; " +
                "the earlier HaloSync cannot open the file after that.");
        }

        return Open(fullPath);
    }

    internal static StateStore Open(string path, IReadOnlyList<string> migrations, TimeSpan busyTimeout)
    {
        NativeSqliteLoader.EnsureLoaded();
        var fullPath = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(fullPath);
        try
        {
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HaloSyncException("StateFolderUnavailable", HaloSyncErrorKind.ResourceUnavailable,
                $"Cannot create the folder '{directory}' for the HaloSync state database: {ex.Message} " +
                $"Choose a writable location with -StatePath or the {StatePaths.EnvironmentVariable} environment variable.", ex);
        }

        // A file HaloSync would refuse is looked at read-only first, so it is never touched (no WAL switch, no tables).
        if (File.Exists(fullPath) && new FileInfo(fullPath).Length > 0)
        {
            Inspect(fullPath, migrations.Count);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        var store = new StateStore(fullPath, connection, migrations);
        try
        {
            store.Guard(() =>
            {
                connection.Open();
                store.Execute($"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds};");
                store.Execute("PRAGMA journal_mode = WAL;");
                store.Execute("PRAGMA foreign_keys = ON;");
                store.Upgrade();
            });
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Refuses, without writing to it, a file that is damaged, belongs to another application, or has a newer schema.
    /// A HaloSync file from before the application id was set is recognised by its schema_version table.
    /// </summary>
    /// <returns>The file's schema version (0 when it has none yet).</returns>
    private static int Inspect(string path, int knownVersion)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA application_id;";
            var applicationId = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
            var tables = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            var isHaloSync = applicationId == ApplicationId || (applicationId == 0 && tables.Contains("schema_version"));
            if (!isHaloSync && (applicationId != 0 || tables.Count > 0))
            {
                throw new HaloSyncException("StateDatabaseForeign", HaloSyncErrorKind.InvalidData,
                    $"The file '{path}' is a SQLite database of another application (tables: {string.Join(", ", tables.Take(5))}{(tables.Count > 5 ? ", ..." : string.Empty)}), " +
                    "not a HaloSync state database. HaloSync left it untouched and will not add its tables to it: " +
                    "point -StatePath (or HALOSYNC_STATE_PATH) at a HaloSync state file or at a new file.");
            }

            if (tables.Contains("schema_version"))
            {
                command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
                var version = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (version > knownVersion)
                {
                    throw TooNew(path, version, knownVersion);
                }

                return version;
            }

            return 0;
        }
        catch (SqliteException ex)
        {
            throw StateErrors.Translate(path, ex);
        }
    }

    private static HaloSyncException TooNew(string path, int version, int knownVersion)
        => new("StateSchemaTooNew", HaloSyncErrorKind.InvalidOperation,
            $"The HaloSync state database '{path}' has schema version {version}, but this HaloSync " +
            $"understands versions up to {knownVersion}. Update the HaloSync module, or use another -StatePath. The file was not changed.");

    /// <summary>Runs <paramref name="work"/> in one transaction, committed only if it returns normally.</summary>
    public T InTransaction<T>(Func<SqliteTransaction, T> work)
        => Guard(() =>
        {
            using var transaction = connection.BeginTransaction();
            var result = work(transaction);
            transaction.Commit();
            return result;
        });

    public void InTransaction(Action<SqliteTransaction> work)
        => InTransaction(transaction =>
        {
            work(transaction);
            return true;
        });

    public SyncConfiguration GetConfiguration()
    {
        var values = Guard(ReadSettings);
        var configuration = new SyncConfiguration { StatePath = Path };
        SettingsMapping.Apply(values, configuration);
        return configuration;
    }

    /// <summary>Validates and saves the whole configuration in one transaction.</summary>
    public void SaveConfiguration(SyncConfiguration configuration)
    {
        SyncConfiguration.ValidateInvoiceDay(configuration.InvoiceDay);
        SyncConfiguration.ResolveTimeZone(configuration.TimeZone);
        InTransaction(transaction =>
        {
            foreach (var pair in SettingsMapping.ToValues(configuration))
            {
                using var command = Command(
                    "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value;",
                    transaction);
                command.Parameters.AddWithValue("$key", pair.Key);
                command.Parameters.AddWithValue("$value", pair.Value);
                command.ExecuteNonQuery();
            }
        });
    }

    /// <summary>A value the engine keeps beside the settings (not a setting an admin sets); null when never saved.</summary>
    internal string? GetValue(string key)
        => Guard(() =>
        {
            using var command = Command("SELECT value FROM settings WHERE key = $key;");
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        });

    internal void SetValue(string key, string value)
        => InTransaction(transaction =>
        {
            using var command = Command("INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value;", transaction);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            command.ExecuteNonQuery();
        });

    /// <summary>Remembers where and as whom a service is reached. There is no column for a secret.</summary>
    public void SaveConnection(ConnectionRecord record)
        => InTransaction(transaction =>
        {
            using var command = Command(
                """
                INSERT INTO connections (service, base_uri, client_id, tenant, scope, updated_at)
                VALUES ($service, $uri, $client, $tenant, $scope, $now)
                ON CONFLICT(service) DO UPDATE SET base_uri = excluded.base_uri, client_id = excluded.client_id,
                    tenant = excluded.tenant, scope = excluded.scope, updated_at = excluded.updated_at;
                """, transaction);
            command.Parameters.AddWithValue("$service", record.Service);
            command.Parameters.AddWithValue("$uri", record.BaseUri);
            command.Parameters.AddWithValue("$client", record.ClientId);
            command.Parameters.AddWithValue("$tenant", (object?)record.Tenant ?? DBNull.Value);
            command.Parameters.AddWithValue("$scope", (object?)record.Scope ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", Timestamp(DateTimeOffset.UtcNow));
            command.ExecuteNonQuery();
        });

    public ConnectionRecord? GetConnection(string service)
        => Guard(() =>
        {
            using var command = Command("SELECT base_uri, client_id, tenant, scope FROM connections WHERE service = $service;");
            command.Parameters.AddWithValue("$service", service);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return new ConnectionRecord(service, reader.GetString(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        });

    public void Dispose() => connection.Dispose();

    internal static string Timestamp(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    internal SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>Runs state work and turns SQLite failures into errors that name the file and say what to do.</summary>
    internal T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (SqliteException ex)
        {
            throw StateErrors.Translate(Path, ex);
        }
    }

    internal void Guard(Action work)
        => Guard(() =>
        {
            work();
            return true;
        });

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private void Upgrade()
    {
        Execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);");
        using (var read = Command("SELECT COALESCE(MAX(version), 0) FROM schema_version;"))
        {
            SchemaVersion = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        if (SchemaVersion > migrations.Count)
        {
            throw TooNew(Path, SchemaVersion, migrations.Count);
        }

        var isNew = SchemaVersion == 0;
        while (SchemaVersion < migrations.Count)
        {
            var next = SchemaVersion + 1;
            using var transaction = connection.BeginTransaction(deferred: false);
            // Another process may have upgraded the file while this one waited for the write lock.
            using (var again = Command("SELECT COALESCE(MAX(version), 0) FROM schema_version;", transaction))
            {
                var now = Convert.ToInt32(again.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (now >= next)
                {
                    transaction.Commit();
                    SchemaVersion = now;
                    continue;
                }
            }

            using (var migrate = Command(migrations[next - 1], transaction))
            {
                migrate.ExecuteNonQuery();
            }

            using (var record = Command("INSERT INTO schema_version (version, applied_at) VALUES ($v, $at);", transaction))
            {
                record.Parameters.AddWithValue("$v", next);
                record.Parameters.AddWithValue("$at", Timestamp(DateTimeOffset.UtcNow));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
            SchemaVersion = next;
        }

        using (var mark = Command("PRAGMA application_id;"))
        {
            if (Convert.ToInt32(mark.ExecuteScalar(), CultureInfo.InvariantCulture) != ApplicationId)
            {
                mark.CommandText = $"PRAGMA application_id = {ApplicationId};";
                mark.ExecuteNonQuery();
            }
        }

        if (isNew)
        {
            // Pin the time zone the database was created under, so billing dates do not shift when a
            // runbook on a UTC host later runs against the same file.
            var defaults = new SyncConfiguration();
            using var pin = Command("INSERT OR IGNORE INTO settings (key, value) VALUES ('TimeZone', $tz);");
            pin.Parameters.AddWithValue("$tz", defaults.TimeZone);
            pin.ExecuteNonQuery();
        }
    }

    private Dictionary<string, string> ReadSettings()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var command = Command("SELECT key, value FROM settings;");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            values[reader.GetString(0)] = reader.GetString(1);
        }

        return values;
    }
}
