using System;
using Newtonsoft.Json;

namespace HaloSync.Engine.Cumulus;

/// <summary>Billing cycle and fees of one subscription (GET /v1/billing/subscriptions/pricing-information).</summary>
public sealed class SubscriptionPricingInformation
{
    /// <summary>The subscription id.</summary>
    [JsonProperty("id")]
    public Guid Id { get; init; }

    [JsonProperty("billingCycle")]
    public SubscriptionBillingCycle BillingCycle { get; init; }

    /// <summary>Null for subscriptions that have no corresponding catalog item.</summary>
    [JsonProperty("fees")]
    public SubscriptionFees? Fees { get; init; }

    [JsonProperty("commitmentTerm")]
    public SubscriptionCommitmentTerm? CommitmentTerm { get; init; }
}

public sealed class SubscriptionFees
{
    /// <summary>The amount charged every billing cycle, per unit.</summary>
    [JsonProperty("recurringFee")]
    public decimal RecurringFee { get; init; }

    /// <summary>The amount charged once, at the end of the first cycle.</summary>
    [JsonProperty("setupFee")]
    public decimal SetupFee { get; init; }

    /// <summary>Undefined, Cad, Usd, Eur or Gbp.</summary>
    [JsonProperty("currency")]
    public string Currency { get; init; } = string.Empty;
}
