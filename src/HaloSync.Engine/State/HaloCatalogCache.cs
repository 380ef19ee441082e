using System;
using System.Collections.Generic;
using System.Globalization;
using HaloSync.Engine.HaloPsa;
using Newtonsoft.Json;

namespace HaloSync.Engine.State;

/// <summary>
/// The HaloPSA clients and items last read, kept in the state database so completers and CSV runs of
/// thousands of rows never call the API per row.
/// </summary>
public sealed class HaloCatalogCache
{
    private const string ClientKind = "Client";
    private const string ItemKind = "Item";
    private readonly StateStore store;

    public HaloCatalogCache(StateStore store) => this.store = store;

    public void ReplaceClients(IEnumerable<HaloClient> clients, DateTimeOffset now)
        => Replace(ClientKind, clients, client => (client.Id, client.Name ?? string.Empty), now);

    public void ReplaceItems(IEnumerable<HaloItem> items, DateTimeOffset now)
        => Replace(ItemKind, items, item => (item.Id, item.Name ?? string.Empty), now);

    public List<HaloClient> GetClients() => Read<HaloClient>(ClientKind);

    public List<HaloItem> GetItems() => Read<HaloItem>(ItemKind);

    /// <summary>When the clients were last read, or null if never.</summary>
    public DateTimeOffset? ClientsRefreshedAt() => RefreshedAt(ClientKind);

    public DateTimeOffset? ItemsRefreshedAt() => RefreshedAt(ItemKind);

    private void Replace<T>(string kind, IEnumerable<T> records, Func<T, (int Id, string Name)> key, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            using (var clear = store.Command("DELETE FROM halo_catalog WHERE kind = $kind;", transaction))
            {
                clear.Parameters.AddWithValue("$kind", kind);
                clear.ExecuteNonQuery();
            }

            using var insert = store.Command(
                "INSERT OR REPLACE INTO halo_catalog (kind, id, name, payload, refreshed_at) VALUES ($kind, $id, $name, $payload, $now);",
                transaction);
            var id = insert.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Integer);
            var name = insert.Parameters.Add("$name", Microsoft.Data.Sqlite.SqliteType.Text);
            var payload = insert.Parameters.Add("$payload", Microsoft.Data.Sqlite.SqliteType.Text);
            insert.Parameters.AddWithValue("$kind", kind);
            insert.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            foreach (var record in records)
            {
                var (recordId, recordName) = key(record);
                id.Value = recordId;
                name.Value = recordName;
                payload.Value = JsonConvert.SerializeObject(record);
                insert.ExecuteNonQuery();
            }

            using var marker = store.Command("INSERT OR REPLACE INTO halo_catalog_reads (kind, refreshed_at) VALUES ($kind, $now);", transaction);
            marker.Parameters.AddWithValue("$kind", kind);
            marker.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            marker.ExecuteNonQuery();
        });

    private List<T> Read<T>(string kind)
        => store.Guard(() =>
        {
            using var command = store.Command("SELECT payload FROM halo_catalog WHERE kind = $kind ORDER BY name COLLATE NOCASE, id;");
            command.Parameters.AddWithValue("$kind", kind);
            using var reader = command.ExecuteReader();
            var records = new List<T>();
            while (reader.Read())
            {
                records.Add(JsonConvert.DeserializeObject<T>(reader.GetString(0))!);
            }

            return records;
        });

    private DateTimeOffset? RefreshedAt(string kind)
        => store.Guard(() =>
        {
            using var command = store.Command("SELECT refreshed_at FROM halo_catalog_reads WHERE kind = $kind;");
            command.Parameters.AddWithValue("$kind", kind);
            return command.ExecuteScalar() is string value ? DateTimeOffset.Parse(value, CultureInfo.InvariantCulture) : (DateTimeOffset?)null;
        });
}
