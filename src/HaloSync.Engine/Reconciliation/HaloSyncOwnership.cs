using System.Collections.Generic;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Reconciliation;

/// <summary>
/// The one rule for "who made this HaloPSA record": HaloSync, when the state's links hold its HaloPSA id (the first key)
/// or it carries HaloSync's key (the fallback, the same order the sync finds its records in); anything else is legacy,
/// made by hand or by another integration. Compare-HaloBilling and Start-HaloMigration both use it.
/// </summary>
public sealed class HaloSyncOwnership
{
    private readonly Dictionary<(int ClientId, int LineId), string> lineKeys = new();
    private readonly HaloLinks links;

    public HaloSyncOwnership(HaloLinks links)
    {
        this.links = links;
        foreach (var (clientId, key, entity, id, _) in links.All)
        {
            if (entity == HaloEntity.InvoiceLine)
            {
                lineKeys[(clientId, id)] = key;
            }
        }
    }

    /// <summary>The Cumulus key ("sub-..." or "chg-...") of a recurring-invoice line HaloSync made; null for a legacy line.</summary>
    public string? LineKey(int clientId, HaloInvoiceLine line)
        => lineKeys.TryGetValue((clientId, line.Id), out var key) ? key : HaloKeys.KeyInLineMarker(line.LongDescription);

    public bool IsHaloSyncs(int clientId, HaloInvoiceLine line) => LineKey(clientId, line) is not null;

    public bool IsHaloSyncs(int clientId, HaloLicence licence)
        => links.Holds(clientId, HaloEntity.SoftwareLicence, licence.Id) || HaloKeys.IsLicenceKey(licence.ExternalKey);
}
