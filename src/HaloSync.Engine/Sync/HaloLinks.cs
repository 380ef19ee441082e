using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Engine.Sync;

/// <summary>HaloPSA's own ids of what HaloSync made, per client and Cumulus key: the first way a record is found again.</summary>
public sealed class HaloLinks
{
    private readonly Dictionary<(int ClientId, string Key, HaloEntity Entity), (int Id, int? ParentId)> ids = new();

    public int Count => ids.Count;

    public IEnumerable<(int ClientId, string Key, HaloEntity Entity, int Id, int? ParentId)> All
    {
        get
        {
            foreach (var pair in ids)
            {
                yield return (pair.Key.ClientId, pair.Key.Key, pair.Key.Entity, pair.Value.Id, pair.Value.ParentId);
            }
        }
    }

    /// <summary>Whether HaloPSA's record <paramref name="id"/> of this kind is one HaloSync made for the client, under any key.</summary>
    public bool Holds(int clientId, HaloEntity entity, int id) => ids.Any(pair => pair.Key.ClientId == clientId && pair.Key.Entity == entity && pair.Value.Id == id);

    public int? Find(int clientId, string key, HaloEntity entity) => ids.TryGetValue((clientId, key, entity), out var found) ? found.Id : null;

    public void Set(int clientId, string key, HaloEntity entity, int id, int? parentId = null) => ids[(clientId, key, entity)] = (id, parentId);
}
