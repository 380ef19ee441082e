using System.Collections.Generic;

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

    public int? Find(int clientId, string key, HaloEntity entity) => ids.TryGetValue((clientId, key, entity), out var found) ? found.Id : null;

    public void Set(int clientId, string key, HaloEntity entity, int id, int? parentId = null) => ids[(clientId, key, entity)] = (id, parentId);
}
