using System;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>A planned event with what the applier needs to write it.</summary>
public sealed class SyncAction
{
    public SyncAction(SyncEvent syncEvent) => Event = syncEvent;

    public SyncEvent Event { get; }

    internal OrganizationMapping? Organization { get; init; }

    internal CumulusSubscription? Subscription { get; init; }

    internal PayableCharge? Charge { get; init; }

    internal int HaloItemId { get; init; }

    /// <summary>Monthly subscriptions and one-off charges get a recurring-invoice line; yearly subscriptions do not.</summary>
    internal bool HasLine { get; init; }

    internal DateTime? LineStart { get; init; }

    internal DateTime? LineEnd { get; init; }

    internal ProRataEntry? ProRata { get; init; }

    /// <summary>Pending or Failed events of earlier runs for the same change, closed when this one succeeds.</summary>
    internal System.Collections.Generic.IReadOnlyList<SyncEvent> Earlier { get; set; } = Array.Empty<SyncEvent>();

    /// <summary>The HaloPSA subscription (licence) key: "halosync:sub-..."; lines of charges carry "halosync:chg-...".</summary>
    internal string HaloKey => "halosync:" + Event.CumulusKey;
}
