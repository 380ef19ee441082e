using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.HaloPsa;

namespace HaloSync.Engine.Mapping;

/// <summary>
/// The rules of a hand-made mapping, as pure functions: the target is named by id or by name (checked against
/// the HaloPSA catalogue), mapping turns sync on unless told otherwise, and sync can be switched alone.
/// </summary>
public static class ManualMapping
{
    /// <param name="source">
    /// How the mapping was made, when the row says so (a restored export into a state file that has no item for the
    /// product). Naming the item it already has keeps its source, so an automatic mapping piped back stays automatic;
    /// naming another item than the one mapped is a choice made by hand, whatever the row's Source column says: left
    /// automatic, the next automatic mapping would set the item back.
    /// </param>
    public static ProductMapping Product(ProductMapping current, int? itemId, string? itemName, bool? syncEnabled, IReadOnlyCollection<HaloItem> items,
        MappingSource? source = null)
    {
        var item = Target(itemId, itemName, items, i => i.Id, i => i.Name ?? string.Empty, "HaloPSA item", "Get-HaloItem");
        if (item is null && syncEnabled is null)
        {
            throw Missing("HaloPSA item", "-HaloItemId or -HaloItemName (columns 'Halo Item Id' or 'Halo Item')", current.Sku);
        }

        if (item is null && current.HaloItemId is null)
        {
            throw NotMappedYet($"product '{current.Sku}'", "-HaloItemId or -HaloItemName");
        }

        var changesItem = item is not null && item.Id != current.HaloItemId;
        return new ProductMapping
        {
            Sku = current.Sku,
            ProductName = current.ProductName,
            HaloItemId = item?.Id ?? current.HaloItemId,
            HaloItemName = item is null ? current.HaloItemName : item.Name,
            Source = changesItem ? (current.HaloItemId is null ? source ?? MappingSource.Manual : MappingSource.Manual) : source ?? current.Source ?? MappingSource.Manual,
            SyncEnabled = syncEnabled ?? (item is not null || current.SyncEnabled),
            Error = null,
            FirstSeen = current.FirstSeen,
            LastSeen = current.LastSeen,
        };
    }

    /// <summary>
    /// An organization mapped to another client than its own starts over there (a re-map: no first-sync date); an unmapped
    /// one mapped back to the client of its first sync resumes with that date (a purchase made meanwhile is billed from its
    /// purchase date).
    /// </summary>
    public static OrganizationMapping Organization(OrganizationMapping current, int? clientId, string? clientName, bool? syncEnabled, IReadOnlyCollection<HaloClient> clients)
    {
        var client = Target(clientId, clientName, clients, c => c.Id, c => c.Name ?? string.Empty, "HaloPSA client", "Get-HaloClient");
        if (client is null && syncEnabled is null)
        {
            throw Missing("HaloPSA client", "-HaloClientId or -HaloClientName (columns 'Halo Client Id' or 'Halo Client')", current.Name);
        }

        if (client is null && current.HaloClientId is null)
        {
            throw NotMappedYet($"organization '{current.Name}'", "-HaloClientId or -HaloClientName");
        }

        return new OrganizationMapping
        {
            OrganizationId = current.OrganizationId,
            Name = current.Name,
            HaloClientId = client?.Id ?? current.HaloClientId,
            HaloClientName = client is null ? current.HaloClientName : client.Name,
            SyncEnabled = syncEnabled ?? (client is not null || current.SyncEnabled),
            FirstSyncedOn = client is not null && client.Id != (current.HaloClientId ?? current.FirstSyncedClientId) ? null : current.FirstSyncedOn,
            FirstSyncedClientId = current.FirstSyncedClientId,
        };
    }

    private static T? Target<T>(int? id, string? name, IReadOnlyCollection<T> records, System.Func<T, int> idOf, System.Func<T, string> nameOf,
        string what, string listCommand)
        where T : class
    {
        T? byId = null;
        if (id is not null)
        {
            byId = records.FirstOrDefault(r => idOf(r) == id) ?? throw new HaloSyncException(
                NameResolver.ErrorIdPrefix(what) + "NotFound", HaloSyncErrorKind.NotFound,
                $"There is no {what} with id {id}. Run {listCommand} to list them; if it was created in the last few minutes, add -Refresh to this command.");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return byId;
        }

        var byName = NameResolver.Resolve(name!, records, r => idOf(r).ToString(System.Globalization.CultureInfo.InvariantCulture), nameOf, what, listCommand);
        if (byId is not null && !ReferenceEquals(byId, byName))
        {
            throw new HaloSyncException("ConflictingTarget", HaloSyncErrorKind.InvalidArgument,
                $"The {what} id {id} is '{nameOf(byId)}', but the name given is '{name!.Trim()}'. Give one of them, or make them agree.");
        }

        return byName;
    }

    private static HaloSyncException Missing(string what, string how, string subject)
        => new("MissingTarget", HaloSyncErrorKind.InvalidArgument, $"No {what} was given for '{subject}'. Give {how}.");

    private static HaloSyncException NotMappedYet(string subject, string how)
        => new("NotMapped", HaloSyncErrorKind.InvalidOperation, $"The {subject} is not mapped yet, so its sync cannot be switched. Map it first with {how}.");
}
