using System;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Simulators.Cumulus;

public enum SherwebBillingCycle
{
    Monthly,
    Yearly,
}

public enum SherwebCommitmentTerm
{
    Monthly,
    Annual,
    Biennial,
    Triennial,
}

public enum SherwebChargeType
{
    Setup,
    Recurring,
    Usage,
    Unknown,
}

public enum SherwebBillingCycleType
{
    OneTime,
    Monthly,
    Yearly,
}

/// <summary>What happens to a cancelled subscription in the details list (Sherweb does not document it).</summary>
public enum CancelledSubscriptionVisibility
{
    /// <summary>It disappears at once.</summary>
    Removed,

    /// <summary>It stays with quantity 0 until its commitment term ends.</summary>
    ZeroQuantityUntilTermEnd,
}

/// <summary>A catalog product with the partner's prices.</summary>
public sealed record SherwebProduct
{
    public required string Sku { get; init; }

    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>List price per unit per month.</summary>
    public decimal MonthlyListPrice { get; init; }

    /// <summary>List price per unit per year.</summary>
    public decimal YearlyListPrice { get; init; }

    /// <summary>Charged once per unit when a subscription is purchased; 0 for none.</summary>
    public decimal SetupFee { get; init; }

    /// <summary>A promotional discount in percent of the list price; 0 for none.</summary>
    public decimal PromotionalPercentage { get; init; }

    /// <summary>False: pricing information carries "fees": null (no corresponding catalog item).</summary>
    public bool HasCatalogItem { get; init; } = true;

    /// <summary>Product names by language ("fr", "fr-CA"), chosen through Accept-Language.</summary>
    public IReadOnlyDictionary<string, string> LocalizedNames { get; init; } = new Dictionary<string, string>();

    public decimal ListPrice(SherwebBillingCycle cycle) => cycle == SherwebBillingCycle.Yearly ? YearlyListPrice : MonthlyListPrice;
}

public sealed record SherwebCustomer
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public required string DisplayName { get; init; }

    /// <summary>Reseller hierarchy; defaults to the display name alone.</summary>
    public IReadOnlyList<string>? Path { get; init; }

    public DateTimeOffset? SuspendedOn { get; init; }
}

/// <summary>From <see cref="EffectiveDate"/> on, the subscription has <see cref="Quantity"/> units.</summary>
public sealed record QuantityChange(DateTime EffectiveDate, int Quantity);

public sealed record SherwebSubscription
{
    public Guid Id { get; init; } = Guid.NewGuid();

    public Guid CustomerId { get; init; }

    public required string Sku { get; init; }

    public SherwebBillingCycle BillingCycle { get; init; } = SherwebBillingCycle.Monthly;

    /// <summary>Null: not tied to a commitment.</summary>
    public SherwebCommitmentTerm? CommitmentTerm { get; init; } = SherwebCommitmentTerm.Monthly;

    public DateTimeOffset PurchaseDate { get; init; }

    public bool AutoRenew { get; init; } = true;

    /// <summary>Every quantity the subscription had, oldest first; the first entry is the purchase.</summary>
    public IReadOnlyList<QuantityChange> QuantityHistory { get; init; } = Array.Empty<QuantityChange>();

    public DateTime? CancelledOn { get; init; }

    public int Quantity => QuantityHistory.Count == 0 ? 0 : QuantityHistory[QuantityHistory.Count - 1].Quantity;

    /// <summary>The quantity in force on <paramref name="date"/> (changes dated that day included).</summary>
    public int QuantityOn(DateTime date) => QuantityHistory.LastOrDefault(c => c.EffectiveDate <= date)?.Quantity ?? 0;
}

/// <summary>A usage, setup or one-time charge that does not come from a subscription's recurring fee.</summary>
public sealed record SherwebExtraCharge
{
    /// <summary>Null: the charge is sent with "chargeId": null.</summary>
    public Guid? ChargeId { get; init; } = Guid.NewGuid();

    public Guid CustomerId { get; init; }

    public required string Sku { get; init; }

    public string ChargeName { get; init; } = "Consumption";

    public SherwebChargeType ChargeType { get; init; } = SherwebChargeType.Usage;

    public SherwebBillingCycleType BillingCycleType { get; init; } = SherwebBillingCycleType.Monthly;

    /// <summary>Service period of the charge (usage is often billed the period after).</summary>
    public DateTime PeriodFrom { get; init; }

    public DateTime PeriodTo { get; init; }

    public decimal Quantity { get; init; } = 1m;

    public decimal UnitListPrice { get; init; }

    /// <summary>The charge appears in the payable charges of the billing period containing this date.</summary>
    public DateTime BilledOn { get; init; }
}

/// <summary>One set of API credentials the simulator accepts.</summary>
public sealed record SherwebApiClient
{
    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    public required string SubscriptionKey { get; init; }

    /// <summary>The scopes this client may request.</summary>
    public IReadOnlyList<string> AllowedScopes { get; init; } = new[] { SherwebScopes.ServiceProvider, SherwebScopes.Distributor };

    public override string ToString() => $"API client {ClientId} (secret and key hidden)";
}

public static class SherwebScopes
{
    public const string ServiceProvider = "service-provider";
    public const string Distributor = "distributor";
}

/// <summary>Behaviour switches for the parts of Sherweb's API that are not documented.</summary>
public sealed record SherwebSettings
{
    /// <summary>Day of the month billing periods start on (1 = calendar months); clamped to short months.</summary>
    public int BillingPeriodStartDay { get; init; } = 1;

    /// <summary>The partner's performance-tier rebate in percent of the list price; 0 for none.</summary>
    public decimal PerformanceTierPercentage { get; init; } = 10m;

    /// <summary>Currency text of payable charges, e.g. "USD" (pricing information uses the enum spelling "Usd").</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>Name of the customer-id tag on payable charges; null sends only CustomerDisplayName.</summary>
    public string? CustomerIdTagName { get; init; } = "CustomerId";

    public CancelledSubscriptionVisibility CancelledSubscriptions { get; init; } = CancelledSubscriptionVisibility.Removed;

    /// <summary>Adds fields the specs do not list (e.g. microsoftSkuId), as the live API does.</summary>
    public bool IncludeUndocumentedFields { get; init; } = true;

    /// <summary>Status of an invalid_client token answer (IdentityServer uses 400; some gateways 401).</summary>
    public int InvalidClientStatusCode { get; init; } = 400;

    /// <summary>Whether the token endpoint, like the API, insists on a subscription key.</summary>
    public bool TokenEndpointRequiresSubscriptionKey { get; init; }

    /// <summary>Gateway rate limit per subscription key within <see cref="RateLimitWindow"/>; 0 for none.</summary>
    public int RateLimit { get; init; }

    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether a rate-limit 429 carries a Retry-After header besides the "Try again in N seconds" message.</summary>
    public bool RateLimitSendsRetryAfterHeader { get; init; } = true;

    public TaxRate? Tax { get; init; }
}

public sealed record TaxRate(string Name, decimal AppliedRate);

/// <summary>Everything the simulator starts from.</summary>
public sealed record SherwebSeed
{
    public SherwebSettings Settings { get; init; } = new();

    public IReadOnlyList<SherwebApiClient> ApiClients { get; init; } = Array.Empty<SherwebApiClient>();

    public IReadOnlyList<SherwebProduct> Products { get; init; } = Array.Empty<SherwebProduct>();

    public IReadOnlyList<SherwebCustomer> Customers { get; init; } = Array.Empty<SherwebCustomer>();

    public IReadOnlyList<SherwebSubscription> Subscriptions { get; init; } = Array.Empty<SherwebSubscription>();

    public IReadOnlyList<SherwebExtraCharge> Charges { get; init; } = Array.Empty<SherwebExtraCharge>();

    public SherwebProduct? FindProduct(string sku) =>
        Products.FirstOrDefault(p => string.Equals(p.Sku, sku, StringComparison.OrdinalIgnoreCase));
}
