using System;
using System.Collections.Generic;

namespace HaloSync.Engine.Sync;

/// <summary>What one Invoke-HaloSync run did (or, with -WhatIf, would do).</summary>
public sealed class SyncSummary
{
    public string RunId { get; set; } = string.Empty;

    public DateTime AsOf { get; set; }

    public bool WhatIf { get; set; }

    public int Organizations { get; set; }

    public int Created { get; set; }

    /// <summary>Records HaloSync made earlier, found in HaloPSA by their keys although the state did not know them, and kept.</summary>
    public int Adopted { get; set; }

    public int Updated { get; set; }

    public int Cancelled { get; set; }

    /// <summary>Subscriptions ended on a client the organization no longer bills to (a re-map).</summary>
    public int EndedOnOldClient { get; set; }

    /// <summary>Records changed by hand in HaloPSA and set back to what Cumulus says (each also a warning).</summary>
    public int DriftReverted { get; set; }

    public int ProRataEntries { get; set; }

    public int Charges { get; set; }

    public int ItemCostUpdates { get; set; }

    public int Failed { get; set; }

    public int SkippedUnmapped { get; set; }

    /// <summary>Azure reserved instances seen and left alone (not supported yet), as "organization: product (SKU)".</summary>
    public List<string> SkippedReservedInstances { get; } = new();

    /// <summary>
    /// What the run left alone that needs a look (a billing cycle it cannot follow, a mapped item HaloPSA does not list, a mapped
    /// organization Sherweb no longer lists, an automatic mapping kept through a tie); each is also a warning.
    /// </summary>
    public List<string> Warnings { get; } = new();

    /// <summary>What to do first when the run found nothing to keep in step (nothing mapped yet); each is also a warning.</summary>
    public List<string> Advice { get; } = new();

    public int HaloPsaRequests { get; set; }

    public TimeSpan Duration { get; set; }

    /// <summary>Every event of the run; not stored with the run's summary (the event log has them).</summary>
    [Newtonsoft.Json.JsonIgnore]
    public List<SyncEvent> Events { get; } = new();

    public override string ToString()
        => FormattableString.Invariant($"{(WhatIf ? "Planned" : "Synced")} {Organizations} organizations as of {AsOf:yyyy-MM-dd}: {Created} created, {Adopted} adopted, {Updated} updated, ") +
           $"{Cancelled} cancelled, {EndedOnOldClient} moved off an old client, {DriftReverted} hand edits set back, {ProRataEntries} pro-rata, {Charges} charges, " +
           $"{Failed} failed, {HaloPsaRequests} HaloPSA requests.";
}
