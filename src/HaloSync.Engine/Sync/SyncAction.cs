using System;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>A planned event with what the writer needs to carry it out.</summary>
public sealed class SyncAction
{
    public SyncAction(SyncEvent syncEvent) => Event = syncEvent;

    public SyncEvent Event { get; }

    internal OrganizationMapping? Organization { get; init; }

    /// <summary>The subscription as Cumulus lists it now (null when it is no longer listed).</summary>
    internal CumulusSubscription? Subscription { get; init; }

    internal PayableCharge? Charge { get; init; }

    /// <summary>An unfinished event of an earlier run (Pending or Failed) that this run finishes.</summary>
    internal bool Finishes { get; init; }

    /// <summary>Monthly subscriptions and one-off charges get a recurring-invoice line; yearly subscriptions do not.</summary>
    internal bool HasLine => Event.Entity == HaloEntity.RecurringInvoice
        || (Event.Entity == HaloEntity.SoftwareLicence && Event.BillingCycle == SubscriptionBillingCycle.Monthly);

    internal int HaloClientId => Event.HaloClientId ?? 0;

    internal string CumulusKey => Event.CumulusKey ?? string.Empty;
}
