using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace HaloSync.Engine.Migration;

/// <summary>A subscription or a line as the comparison sees it.</summary>
internal sealed record BilledRecord(int Id, int? InvoiceId, int? ItemId, string Name, decimal Quantity, decimal UnitPrice, object Source);

/// <summary>
/// Pairs legacy records with HaloSync's of the same kind, one to one: by HaloPSA item first, then, for those left, by
/// name (case and spacing ignored). Within each, a record with the same quantity is taken first (then, for the item,
/// the same name), so two lines of one item pair with the lines of the same size; ties go to the lowest id.
/// </summary>
internal static class RecordPairing
{
    private static readonly Func<BilledRecord, BilledRecord, bool>[] Passes =
    {
        (l, h) => SameItem(l, h) && SameName(l, h) && l.Quantity == h.Quantity,
        (l, h) => SameItem(l, h) && l.Quantity == h.Quantity,
        (l, h) => SameItem(l, h) && SameName(l, h),
        SameItem,
        (l, h) => SameName(l, h) && l.Quantity == h.Quantity,
        SameName,
    };

    /// <summary>Every record once: pairs first (in legacy id order), then legacy ones alone, then HaloSync's alone.</summary>
    public static List<(BilledRecord? Legacy, BilledRecord? HaloSync)> Pair(IEnumerable<BilledRecord> legacy, IEnumerable<BilledRecord> haloSync)
    {
        var legacyLeft = legacy.OrderBy(r => r.Id).ToList();
        var haloSyncLeft = haloSync.OrderBy(r => r.Id).ToList();
        var pairs = new List<(BilledRecord Legacy, BilledRecord HaloSync)>();
        foreach (var pass in Passes)
        {
            foreach (var record in legacyLeft.ToList())
            {
                var match = haloSyncLeft.FirstOrDefault(h => pass(record, h));
                if (match is not null)
                {
                    pairs.Add((record, match));
                    legacyLeft.Remove(record);
                    haloSyncLeft.Remove(match);
                }
            }
        }

        return pairs.OrderBy(p => p.Legacy.Id).Select(p => ((BilledRecord?)p.Legacy, (BilledRecord?)p.HaloSync))
            .Concat(legacyLeft.Select(l => ((BilledRecord?)l, (BilledRecord?)null)))
            .Concat(haloSyncLeft.Select(h => ((BilledRecord?)null, (BilledRecord?)h)))
            .ToList();
    }

    /// <summary>A name as compared: trimmed, inner spacing collapsed, lower case.</summary>
    public static string NameKey(string name) => Regex.Replace(name.Trim(), @"\s+", " ").ToLowerInvariant();

    private static bool SameItem(BilledRecord legacy, BilledRecord haloSync) => legacy.ItemId is > 0 && legacy.ItemId == haloSync.ItemId;

    private static bool SameName(BilledRecord legacy, BilledRecord haloSync) => NameKey(legacy.Name).Length > 0 && NameKey(legacy.Name) == NameKey(haloSync.Name);
}
