using System;

namespace HaloSync.Engine.Mapping;

public enum OrganizationChargeKind
{
    Subscription,
    Charge,
}

/// <summary>
/// One subscription or payable charge of one organization, with the switch that lets the admin keep it
/// out of the sync (the seed's pencil icon). <see cref="ChargeKey"/> is what the switch is stored under.
/// </summary>
public sealed class OrganizationCharge
{
    public string OrganizationId { get; set; } = string.Empty;

    public string OrganizationName { get; set; } = string.Empty;

    public OrganizationChargeKind Kind { get; set; }

    /// <summary>"sub-" and the subscription id, or the payable charge's identity ("chg-...").</summary>
    public string ChargeKey { get; set; } = string.Empty;

    public string Sku { get; set; } = string.Empty;

    public string ProductName { get; set; } = string.Empty;

    public string? ChargeName { get; set; }

    public decimal Quantity { get; set; }

    /// <summary>Monthly, Yearly, OneTime...</summary>
    public string BillingCycle { get; set; } = string.Empty;

    /// <summary>Recurring, Usage or Setup for charges; empty for subscriptions.</summary>
    public string? ChargeType { get; set; }

    public DateTime? PeriodFrom { get; set; }

    public DateTime? PeriodTo { get; set; }

    public decimal? UnitCost { get; set; }

    public bool SyncEnabled { get; set; } = true;

    public override string ToString() => $"{OrganizationName}: {Kind} {Sku} x{Quantity} ({ChargeKey})";
}
