using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace HaloSync.Engine.Cumulus;

/// <summary>One subscription of a customer (GET /v1/billing/subscriptions/details). Carries no price and no billing cycle.</summary>
public sealed class SubscriptionDetails
{
    [JsonProperty("id")]
    public Guid Id { get; init; }

    /// <summary>Localised display name; never key anything on it.</summary>
    [JsonProperty("productName")]
    public string ProductName { get; init; } = string.Empty;

    [JsonProperty("description")]
    public string Description { get; init; } = string.Empty;

    [JsonProperty("sku")]
    public string Sku { get; init; } = string.Empty;

    [JsonProperty("quantity")]
    public int Quantity { get; init; }

    [JsonProperty("renewalSettingsConfigurable")]
    public bool RenewalSettingsConfigurable { get; init; }

    /// <summary>UTC.</summary>
    [JsonProperty("purchaseDate")]
    public DateTime PurchaseDate { get; init; }

    /// <summary>Null when the subscription is not tied to a commitment.</summary>
    [JsonProperty("commitmentTerm")]
    public SubscriptionCommitmentTerm? CommitmentTerm { get; init; }
}

public sealed class SubscriptionCommitmentTerm
{
    [JsonProperty("type")]
    public CommitmentTermType Type { get; init; }

    /// <summary>The last day of the commitment term.</summary>
    [JsonProperty("termEndDate")]
    public DateTime TermEndDate { get; init; }

    /// <summary>Null when the subscription will not renew automatically.</summary>
    [JsonProperty("renewalConfiguration")]
    public SubscriptionRenewalConfiguration? RenewalConfiguration { get; init; }

    /// <summary>Until when the quantity may still be lowered, and down to what (the NCE grace windows).</summary>
    [JsonProperty("committedMinimalQuantities")]
    public IReadOnlyList<CommittedMinimalQuantity>? CommittedMinimalQuantities { get; init; }
}

public sealed class SubscriptionRenewalConfiguration
{
    /// <summary>The first day of the next commitment term.</summary>
    [JsonProperty("renewalDate")]
    public DateTime RenewalDate { get; init; }

    /// <summary>Null: renews with the current quantity.</summary>
    [JsonProperty("scheduledQuantity")]
    public int? ScheduledQuantity { get; init; }
}

public sealed class CommittedMinimalQuantity
{
    [JsonProperty("committedUntil")]
    public DateTime CommittedUntil { get; init; }

    [JsonProperty("quantity")]
    public int Quantity { get; init; }
}
