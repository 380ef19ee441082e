using System;
using System.Collections.Generic;

namespace HaloSync.Engine.Sync;

/// <summary>What a run intends: its events, and what HaloPSA should hold afterwards for every record the run keeps in step.</summary>
public sealed class SyncPlan
{
    public List<SyncAction> Actions { get; } = new();

    /// <summary>
    /// The target of every subscription this run keeps in step: unchanged ones too (so a hand edit is noticed),
    /// the ones it changes, and the ones it ends. Saved as the new snapshot once HaloPSA holds them.
    /// </summary>
    public List<SyncedSubscription> Subscriptions { get; } = new();

    /// <summary>The one-off charges this run adds (or finishes adding).</summary>
    public List<SyncedCharge> Charges { get; } = new();

    /// <summary>Unfinished events of earlier runs that this run closes without sending, because it plans the same change afresh.</summary>
    public List<SyncEvent> Superseded { get; } = new();

    /// <summary>Subscriptions and charges left alone because their product is unmapped or off, or their switch is off.</summary>
    public int SkippedUnmapped => Skipped.Count;

    /// <summary>Each of those, as "organization: product (SKU): why", for -Verbose.</summary>
    public List<string> Skipped { get; } = new();

    /// <summary>Azure reserved instances: recognised and left alone until they are supported.</summary>
    public List<string> SkippedReservedInstances { get; } = new();

    /// <summary>Organizations to remember as listed with no subscription since a date, or to forget (null).</summary>
    public Dictionary<string, DateTime?> ListedEmptySince { get; } = new();

    /// <summary>What the plan left alone that needs a look (a billing cycle HaloSync cannot follow, a mapped item HaloPSA does not list), as "organization: product (SKU): why".</summary>
    public List<string> Warnings { get; } = new();
}
