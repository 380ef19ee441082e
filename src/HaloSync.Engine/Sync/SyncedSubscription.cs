using System;
using HaloSync.Engine.Cumulus;

namespace HaloSync.Engine.Sync;

/// <summary>Where a subscription was synced to: one organization's subscription on one HaloPSA client.</summary>
public readonly record struct SubscriptionSlot(string OrganizationId, int HaloClientId, Guid SubscriptionId);

/// <summary>
/// A subscription as HaloSync keeps it in HaloPSA for one client: what the last successful sync wrote (the snapshot),
/// or what this run will write (the plan's target). Everything the licence and the line are made of is here.
/// </summary>
public sealed record SyncedSubscription
{
    public string OrganizationId { get; init; } = string.Empty;

    public int HaloClientId { get; init; }

    public Guid SubscriptionId { get; init; }

    public string Sku { get; init; } = string.Empty;

    public string ProductName { get; init; } = string.Empty;

    public int? HaloItemId { get; init; }

    public int Quantity { get; init; }

    public SubscriptionBillingCycle BillingCycle { get; init; }

    public CommitmentTermType? Term { get; init; }

    public DateTime? PurchaseDate { get; init; }

    public DateTime? TermEndDate { get; init; }

    public decimal? UnitPrice { get; init; }

    public decimal? UnitCost { get; init; }

    public bool CostProvisional { get; init; }

    /// <summary>The first day of its recurring-invoice line (monthly subscriptions).</summary>
    public DateTime? LineStart { get; init; }

    /// <summary>When HaloSync ended it (cancelled in Cumulus, or the organization moved to another client).</summary>
    public DateTime? CancelledOn { get; init; }

    public bool Cancelled => CancelledOn is not null;

    /// <summary>Ended by a change to 0 (cancelled, or no longer listed); a record ended on an old client keeps the quantity it billed.</summary>
    public bool EndedAtZero => Cancelled && Quantity == 0;

    public bool IsMonthly => BillingCycle == SubscriptionBillingCycle.Monthly;

    public string CumulusKey => HaloKeys.Subscription(SubscriptionId);

    public SubscriptionSlot Slot => new(OrganizationId, HaloClientId, SubscriptionId);

    public override string ToString() => $"{Sku} x{Quantity} for client {HaloClientId}{(Cancelled ? " (ended)" : string.Empty)}";

    /// <summary>What Cumulus says of the subscription, kept for a client; quantity, item, prices and line start are the caller's.</summary>
    internal static SyncedSubscription Of(string organizationId, int clientId, CumulusSubscription subscription, DateTime purchased) => new()
    {
        OrganizationId = organizationId,
        HaloClientId = clientId,
        SubscriptionId = subscription.Id,
        Sku = subscription.Sku.Trim(),
        ProductName = subscription.ProductName,
        BillingCycle = subscription.BillingCycle,
        Term = subscription.CommitmentTerm?.Type,
        PurchaseDate = purchased,
        TermEndDate = subscription.CommitmentTerm?.TermEndDate.Date,
    };
}

/// <summary>A one-off payable charge HaloSync put (or is putting) on a client's recurring invoice as a one-off line.</summary>
public sealed record SyncedCharge
{
    public string CumulusKey { get; init; } = string.Empty;

    public string OrganizationId { get; init; } = string.Empty;

    public int HaloClientId { get; init; }

    public string Sku { get; init; } = string.Empty;

    public int HaloItemId { get; init; }

    /// <summary>The line's text: product, charge name, type and Sherweb's period.</summary>
    public string Description { get; init; } = string.Empty;

    public decimal Quantity { get; init; }

    public decimal UnitPrice { get; init; }

    public decimal? UnitCost { get; init; }

    public DateTime LineStart { get; init; }

    public DateTime LineEnd { get; init; }

    public DateTime? PeriodFrom { get; init; }

    public DateTime? PeriodTo { get; init; }
}
