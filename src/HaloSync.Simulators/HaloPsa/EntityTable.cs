using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>Rows of one entity keyed by id. Recurring invoices count down from -1, everything else up from 1. Not thread-safe: the store locks.</summary>
internal sealed class EntityTable
{
    private readonly Dictionary<int, JsonObject> rows = new();
    private readonly int step;
    private int lastId;

    public EntityTable(bool negativeIds = false)
    {
        step = negativeIds ? -1 : 1;
    }

    public int NextId()
    {
        lastId += step;
        while (rows.ContainsKey(lastId))
        {
            lastId += step;
        }

        return lastId;
    }

    public JsonObject? Find(int id) => rows.TryGetValue(id, out var row) ? row : null;

    public IEnumerable<JsonObject> All => rows.OrderBy(r => Math.Abs(r.Key)).Select(r => r.Value);

    public void Put(int id, JsonObject row)
    {
        rows[id] = row;
        if (Math.Abs(id) > Math.Abs(lastId) && Math.Sign(id) == step)
        {
            lastId = id;
        }
    }

    public bool Remove(int id) => rows.Remove(id);

    public void Clear()
    {
        rows.Clear();
        lastId = 0;
    }
}
