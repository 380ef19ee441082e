using System;

namespace HaloSync.Engine.Cumulus;

/// <summary>One subscription as the sync sees it: its details merged with its pricing information.</summary>
public sealed class CumulusSubscription
{
    public CumulusSubscription(Guid customerId, SubscriptionDetails details, SubscriptionPricingInformation? pricing)
    {
        CustomerId = customerId;
        Details = details;
        Pricing = pricing;
    }

    public Guid CustomerId { get; }

    public SubscriptionDetails Details { get; }

    /// <summary>Null when Sherweb returned no pricing information for this subscription.</summary>
    public SubscriptionPricingInformation? Pricing { get; }

    public Guid Id => Details.Id;

    public string Sku => Details.Sku;

    public string ProductName => Details.ProductName;

    public int Quantity => Details.Quantity;

    public DateTime PurchaseDate => Details.PurchaseDate;

    public SubscriptionCommitmentTerm? CommitmentTerm => Details.CommitmentTerm ?? Pricing?.CommitmentTerm;

    public SubscriptionBillingCycle BillingCycle => Pricing?.BillingCycle ?? SubscriptionBillingCycle.Unknown;

    /// <summary>
    /// The recurring fee per unit, used as a provisional unit cost until a payable charge exists for the
    /// subscription. Null when Sherweb has no catalog price for it.
    /// </summary>
    public decimal? ProvisionalUnitCost => Pricing?.Fees?.RecurringFee;

    public string? Currency => Pricing?.Fees?.Currency;

    public override string ToString() => $"{Sku} x{Quantity} ({BillingCycle}) {Id}";
}
