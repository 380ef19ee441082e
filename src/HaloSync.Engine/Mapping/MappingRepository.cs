using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.State;
using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.Mapping;

/// <summary>Products and organizations seen in Cumulus, their HaloPSA mappings and the per-charge sync switches.</summary>
public sealed class MappingRepository
{
    private const string ProductColumns = "sku, name, halo_item_id, halo_item_name, mapping_source, sync_enabled, error, first_seen_at, last_seen_at";
    private const string OrganizationColumns = "cumulus_id, name, halo_client_id, halo_client_name, sync_enabled, first_synced_on, first_synced_client";
    private readonly StateStore store;

    public MappingRepository(StateStore store) => this.store = store;

    /// <summary>Remembers every SKU seen, so a product billed last month stays mappable; names follow Cumulus.</summary>
    public void RecordSeenProducts(IEnumerable<KeyValuePair<string, string>> skuAndName, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            foreach (var pair in skuAndName)
            {
                using var command = store.Command(
                    """
                    INSERT INTO products (sku, name, first_seen_at, last_seen_at, updated_at) VALUES ($sku, $name, $now, $now, $now)
                    ON CONFLICT(sku) DO UPDATE SET name = excluded.name, last_seen_at = excluded.last_seen_at;
                    """, transaction);
                command.Parameters.AddWithValue("$sku", pair.Key.Trim());
                command.Parameters.AddWithValue("$name", pair.Value);
                command.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
                command.ExecuteNonQuery();
            }
        });

    /// <summary>
    /// Every SKU the payable charges name: one request lists what is billed to every customer this period, so new
    /// products become known without reading each customer's subscriptions. Returns how many SKUs they name.
    /// </summary>
    public int RecordSeenProducts(PayableCharges payable, DateTimeOffset now)
    {
        var seen = ProductsNamedBy(payable);
        RecordSeenProducts(seen, now);
        return seen.Count;
    }

    /// <summary>Each SKU the payable charges name, once, with its product name.</summary>
    public static List<KeyValuePair<string, string>> ProductsNamedBy(PayableCharges payable)
        => payable.Charges
            .Where(c => !string.IsNullOrWhiteSpace(c.Sku))
            .GroupBy(c => c.Sku!.Trim(), StringComparer.OrdinalIgnoreCase)
            .Select(g => new KeyValuePair<string, string>(g.Key, g.First().ProductName ?? g.Key))
            .ToList();

    public void RecordSeenOrganizations(IEnumerable<CumulusCustomer> customers, DateTimeOffset now)
        => RecordSeenOrganizations(customers.Select(c => new KeyValuePair<string, string>(c.Id.ToString("D"), c.DisplayName)), now);

    public void RecordSeenOrganizations(IEnumerable<KeyValuePair<string, string>> idAndName, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            foreach (var pair in idAndName)
            {
                using var command = store.Command(
                    """
                    INSERT INTO organizations (cumulus_id, name, updated_at) VALUES ($id, $name, $now)
                    ON CONFLICT(cumulus_id) DO UPDATE SET name = excluded.name;
                    """, transaction);
                command.Parameters.AddWithValue("$id", pair.Key);
                command.Parameters.AddWithValue("$name", pair.Value);
                command.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
                command.ExecuteNonQuery();
            }
        });

    public List<ProductMapping> GetProducts()
        => store.Guard(() => ReadProducts($"SELECT {ProductColumns} FROM products ORDER BY name, sku;", null));

    public ProductMapping? FindProduct(string sku)
        => store.Guard(() =>
        {
            var found = ReadProducts($"SELECT {ProductColumns} FROM products WHERE sku = $sku;", sku.Trim());
            return found.Count == 0 ? null : found[0];
        });

    /// <summary>
    /// A product that has been seen, by SKU; an empty or unknown SKU is an error that says how to fix it and names the
    /// nearest known SKUs. <paramref name="lookedUpInCumulus"/>: true when Sherweb was just asked (so the SKU is not a new one),
    /// false when it could not be asked (no connection), null when asking it would not help.
    /// </summary>
    public ProductMapping FindKnownProduct(string sku, bool? lookedUpInCumulus = null)
    {
        var wanted = (sku ?? string.Empty).Trim();
        if (wanted.Length == 0)
        {
            throw new HaloSyncException("MissingSku", HaloSyncErrorKind.InvalidArgument,
                "The Cumulus SKU is empty. Fill the 'Cumulus SKU' (or 'SKU') cell; Get-CumulusProduct lists the known SKUs.");
        }

        return FindProduct(wanted) ?? throw UnknownProduct(wanted, lookedUpInCumulus);
    }

    public List<OrganizationMapping> GetOrganizations()
        => store.Guard(() => ReadOrganizations($"SELECT {OrganizationColumns} FROM organizations ORDER BY name, cumulus_id;", null));

    public OrganizationMapping? FindOrganization(string organizationId)
        => store.Guard(() =>
        {
            var found = ReadOrganizations($"SELECT {OrganizationColumns} FROM organizations WHERE cumulus_id = $id;", organizationId);
            return found.Count == 0 ? null : found[0];
        });

    /// <summary>Saves a product's mapping as given; the caller decides item, source and sync switch.</summary>
    public void SaveProduct(ProductMapping product, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            using var command = store.Command(
                """
                UPDATE products SET halo_item_id = $item, halo_item_name = $itemName, mapping_source = $source,
                    sync_enabled = $sync, error = $error, updated_at = $now
                WHERE sku = $sku;
                """, transaction);
            command.Parameters.AddWithValue("$sku", product.Sku);
            command.Parameters.AddWithValue("$item", (object?)product.HaloItemId ?? DBNull.Value);
            command.Parameters.AddWithValue("$itemName", (object?)product.HaloItemName ?? DBNull.Value);
            command.Parameters.AddWithValue("$source", (object?)product.Source?.ToString() ?? DBNull.Value);
            command.Parameters.AddWithValue("$sync", product.SyncEnabled ? 1 : 0);
            command.Parameters.AddWithValue("$error", (object?)product.Error ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            if (command.ExecuteNonQuery() == 0)
            {
                throw new HaloSyncException("ProductNotFound", HaloSyncErrorKind.NotFound,
                    $"No Cumulus product with SKU '{product.Sku}' is known. Run Get-CumulusProduct to list them.");
            }
        });

    /// <summary>
    /// Saves an organization's mapping. Mapping it from one client to another clears its first-sync date: the next sync is
    /// a first sync for the new client, and ends HaloSync's records on the old one. Unmapped, it keeps the date, and mapped
    /// again it keeps it only for the client of that first sync.
    /// </summary>
    public void SaveOrganization(OrganizationMapping organization, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            using var command = store.Command(
                """
                UPDATE organizations SET halo_client_id = $client, halo_client_name = $clientName, sync_enabled = $sync,
                    first_synced_on = CASE WHEN halo_client_id IS $client OR $client IS NULL OR (halo_client_id IS NULL AND first_synced_client IS $client)
                        THEN $first ELSE NULL END,
                    updated_at = $now
                WHERE cumulus_id = $id;
                """, transaction);
            command.Parameters.AddWithValue("$id", organization.OrganizationId);
            command.Parameters.AddWithValue("$client", (object?)organization.HaloClientId ?? DBNull.Value);
            command.Parameters.AddWithValue("$clientName", (object?)organization.HaloClientName ?? DBNull.Value);
            command.Parameters.AddWithValue("$sync", organization.SyncEnabled ? 1 : 0);
            command.Parameters.AddWithValue("$first", (object?)organization.FirstSyncedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? DBNull.Value);
            command.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            if (command.ExecuteNonQuery() == 0)
            {
                throw new HaloSyncException("OrganizationNotFound", HaloSyncErrorKind.NotFound,
                    $"No Cumulus organization with id '{organization.OrganizationId}' is known. Run Get-CumulusOrganization to list them.");
            }
        });

    /// <summary>The subscriptions and charges of one organization whose sync was switched off or on by hand.</summary>
    public Dictionary<string, bool> GetChargeSyncFlags(string organizationId)
        => store.Guard(() =>
        {
            using var command = store.Command("SELECT charge_key, sync_enabled FROM charge_sync_flags WHERE organization_id = $org;");
            command.Parameters.AddWithValue("$org", organizationId);
            using var reader = command.ExecuteReader();
            var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
            while (reader.Read())
            {
                flags[reader.GetString(0)] = reader.GetInt64(1) != 0;
            }

            return flags;
        });

    public void SetChargeSync(string organizationId, string chargeKey, bool enabled, DateTimeOffset now)
        => store.InTransaction(transaction =>
        {
            using var command = store.Command(
                """
                INSERT INTO charge_sync_flags (organization_id, charge_key, sync_enabled, updated_at) VALUES ($org, $key, $on, $now)
                ON CONFLICT(organization_id, charge_key) DO UPDATE SET sync_enabled = excluded.sync_enabled, updated_at = excluded.updated_at;
                """, transaction);
            command.Parameters.AddWithValue("$org", organizationId);
            command.Parameters.AddWithValue("$key", chargeKey);
            command.Parameters.AddWithValue("$on", enabled ? 1 : 0);
            command.Parameters.AddWithValue("$now", StateStore.Timestamp(now));
            command.ExecuteNonQuery();
        });

    private HaloSyncException UnknownProduct(string sku, bool? lookedUpInCumulus)
    {
        var why = lookedUpInCumulus switch
        {
            true => $"No Cumulus product has the SKU '{sku}': Sherweb bills it to no customer this period, and HaloSync has not seen it before.",
            false => $"No Cumulus product with SKU '{sku}' has been seen, and this session is not connected to Sherweb to look it up. " +
                "Run Connect-Cumulus first: unknown SKUs are then looked up in Sherweb.",
            null => $"No Cumulus product with SKU '{sku}' has been seen.",
        };
        var similar = Suggestions.Nearest(sku, GetProducts(), p => p.Sku);
        var hint = similar.Count == 0
            ? "Get-CumulusProduct lists the known SKUs."
            : "Similar: " + string.Join("; ", similar.Select(p => $"'{p.Sku}' ({p.ProductName})")) + ".";
        return new HaloSyncException("ProductNotFound", HaloSyncErrorKind.NotFound, why + " " + hint);
    }

    private List<ProductMapping> ReadProducts(string sql, string? key)
    {
        using var command = store.Command(sql);
        if (key is not null)
        {
            command.Parameters.AddWithValue("$sku", key);
        }

        using var reader = command.ExecuteReader();
        var products = new List<ProductMapping>();
        while (reader.Read())
        {
            products.Add(new ProductMapping
            {
                Sku = reader.GetString(0),
                ProductName = reader.GetString(1),
                HaloItemId = reader.IsDBNull(2) ? null : reader.GetInt32(2),
                HaloItemName = NullableString(reader, 3),
                Source = reader.IsDBNull(4) ? null : (MappingSource)Enum.Parse(typeof(MappingSource), reader.GetString(4)),
                SyncEnabled = reader.GetInt64(5) != 0,
                Error = NullableString(reader, 6),
                FirstSeen = DateTimeOffset.Parse(reader.GetString(7), CultureInfo.InvariantCulture),
                LastSeen = DateTimeOffset.Parse(reader.GetString(8), CultureInfo.InvariantCulture),
            });
        }

        return products;
    }

    private List<OrganizationMapping> ReadOrganizations(string sql, string? key)
    {
        using var command = store.Command(sql);
        if (key is not null)
        {
            command.Parameters.AddWithValue("$id", key);
        }

        using var reader = command.ExecuteReader();
        var organizations = new List<OrganizationMapping>();
        while (reader.Read())
        {
            organizations.Add(new OrganizationMapping
            {
                OrganizationId = reader.GetString(0),
                Name = reader.GetString(1),
                HaloClientId = reader.IsDBNull(2) ? null : reader.GetInt32(2),
                HaloClientName = NullableString(reader, 3),
                SyncEnabled = reader.GetInt64(4) != 0,
                FirstSyncedOn = reader.IsDBNull(5) ? null : DateTime.ParseExact(reader.GetString(5), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                FirstSyncedClientId = reader.IsDBNull(6) ? null : reader.GetInt32(6),
            });
        }

        return organizations;
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
