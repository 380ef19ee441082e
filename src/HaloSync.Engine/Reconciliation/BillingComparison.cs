using System;

namespace HaloSync.Engine.Reconciliation;

/// <summary>What a row found, the most serious first (a row gets the first that applies).</summary>
public enum BillingStatus
{
    /// <summary>A HaloSync line still bills a subscription Cumulus no longer lists.</summary>
    Orphan,

    /// <summary>Sherweb charges it and no line bills it; <see cref="BillingComparison.Reason"/> says why.</summary>
    Unbilled,

    /// <summary>A HaloSync line and a legacy line bill the same product for the same client.</summary>
    DoubleBilled,

    /// <summary>HaloPSA bills more or fewer than Sherweb charges at the period end.</summary>
    QuantityMismatch,

    /// <summary>The unit price is below Sherweb's unit cost.</summary>
    NegativeMargin,

    Ok,
}

/// <summary>Why an Unbilled row is not billed, in the order they are checked.</summary>
public enum UnbilledReason
{
    /// <summary>The charge names no known Sherweb customer.</summary>
    Unattributed,

    /// <summary>The organization has no HaloPSA client.</summary>
    OrganizationUnmapped,

    /// <summary>A recurring invoice bills it, but no invoice dated in the period was generated from it (-Invoiced).</summary>
    NotInvoiced,

    /// <summary>Yearly subscriptions get a HaloPSA subscription but no recurring-invoice line: they are invoiced by hand.</summary>
    YearlyNotInvoiced,

    /// <summary>The product has no HaloPSA item (or automatic mapping found several).</summary>
    ProductUnmapped,

    /// <summary>An Azure reserved instance: left alone until supported.</summary>
    ReservedInstance,

    /// <summary>Sync is off for the whole state (Set-HaloSyncConfiguration -SyncEnabled $false).</summary>
    SyncDisabled,

    /// <summary>The organization's mapping has sync off.</summary>
    OrganizationSyncOff,

    /// <summary>The product's mapping has sync off.</summary>
    ProductSyncOff,

    /// <summary>The subscription or charge is switched off (Set-CumulusChargeSync).</summary>
    ChargeSyncOff,

    /// <summary>The event log holds a Failed event for it.</summary>
    SyncFailed,

    /// <summary>HaloSync's line for it was ended or made inactive in HaloPSA.</summary>
    LineEnded,

    /// <summary>Mapped and switched on, but no sync has billed it yet.</summary>
    NotSynced,
}

/// <summary>How Sherweb charges a product: seats per month, seats per year, or once (usage, setup, one-time).</summary>
public enum ChargeCycle
{
    Monthly,
    Yearly,
    OneOff,
}

/// <summary>What HaloPSA side a comparison reads: the recurring-invoice lines, or the invoices generated in the period.</summary>
public enum BillingSource
{
    Scheduled,
    Invoiced,
}

/// <summary>
/// One organization's product (and charge cycle) in a billing period: what Sherweb charges and what HaloPSA bills for it.
/// Quantities are seats at the period end; money is in the Sherweb currency, to the cent.
/// </summary>
public sealed class BillingComparison
{
    public string Organization { get; init; } = string.Empty;

    /// <summary>The Cumulus organization id; empty for a charge no customer could be found for.</summary>
    public string OrganizationId { get; init; } = string.Empty;

    public string Sku { get; init; } = string.Empty;

    public string ProductName { get; init; } = string.Empty;

    public ChargeCycle Cycle { get; init; }

    public BillingStatus Status { get; init; }

    /// <summary>Set on Unbilled rows only.</summary>
    public UnbilledReason? Reason { get; init; }

    /// <summary>Seats Sherweb charges at the period end (the sum of the period's charges), or the quantity of one-off charges.</summary>
    public decimal SherwebQuantity { get; init; }

    /// <summary>What Sherweb charges for the period, prorated as Sherweb prorates it, at the configured cost basis.</summary>
    public decimal SherwebCost { get; init; }

    /// <summary>Sherweb's cost of one unit for a whole cycle, at the configured cost basis.</summary>
    public decimal? UnitCost { get; init; }

    /// <summary>Seats the HaloPSA lines bill (pro-rata lines of an invoice excluded).</summary>
    public decimal HaloQuantity { get; init; }

    public decimal? UnitPrice { get; init; }

    /// <summary>What the lines bill: quantity x unit price per line (with -Invoiced, every invoice line, pro-rata included).</summary>
    public decimal LineTotal { get; init; }

    /// <summary>LineTotal - SherwebCost.</summary>
    public decimal Margin { get; init; }

    /// <summary>What Sherweb charges that no customer pays: the whole cost of an Unbilled row, the missing seats' cost, or the loss below cost.</summary>
    public decimal Leakage { get; init; }

    public int? HaloClientId { get; init; }

    public string? HaloClient { get; init; }

    /// <summary>HaloSync's lines that bill it.</summary>
    public int HaloSyncLines { get; init; }

    /// <summary>Lines HaloSync did not make that bill it.</summary>
    public int LegacyLines { get; init; }

    /// <summary>What was found, in words, with the HaloPSA ids to look at.</summary>
    public string Detail { get; init; } = string.Empty;

    public DateTime PeriodFrom { get; init; }

    public DateTime PeriodTo { get; init; }

    public BillingSource Source { get; init; }

    public override string ToString() => $"{Organization}: {Sku} ({Cycle}) {Status}";
}
