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

    public int Updated { get; set; }

    public int Cancelled { get; set; }

    public int ProRataEntries { get; set; }

    public int Charges { get; set; }

    public int ItemCostUpdates { get; set; }

    public int Failed { get; set; }

    public int SkippedUnmapped { get; set; }

    /// <summary>Azure reserved instances seen and left alone (not supported yet), as "organization: product (SKU)".</summary>
    public List<string> SkippedReservedInstances { get; } = new();

    public int HaloPsaRequests { get; set; }

    public TimeSpan Duration { get; set; }

    public List<SyncEvent> Events { get; } = new();

    public override string ToString()
        => $"{(WhatIf ? "Planned" : "Synced")} {Organizations} organizations as of {AsOf:yyyy-MM-dd}: {Created} created, {Updated} updated, " +
           $"{Cancelled} cancelled, {ProRataEntries} pro-rata, {Charges} charges, {Failed} failed, {HaloPsaRequests} HaloPSA requests.";
}
