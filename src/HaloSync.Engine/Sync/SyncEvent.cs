using System;

namespace HaloSync.Engine.Sync;

public enum SyncEventKind
{
    /// <summary>A subscription seen for the first time: HaloPSA subscription, and for monthly ones a recurring-invoice line.</summary>
    CreateSubscription,

    /// <summary>A quantity change: subscription count, line quantity and (proration on) a pro-rata entry.</summary>
    ChangeQuantity,

    /// <summary>Quantity 0 or no longer listed: a change to 0, then subscription and line end on the effective date.</summary>
    CancelSubscription,

    /// <summary>Sherweb's unit cost changed with the quantity unchanged: the subscription's and the line's cost follow.</summary>
    UpdateCost,

    /// <summary>A usage, setup or one-time payable charge added once as a one-off line.</summary>
    AddCharge,

    /// <summary>The HaloPSA item's cost price follows Sherweb's unit cost.</summary>
    UpdateItemCost,
}

public enum SyncEventStatus
{
    /// <summary>Computed by a -WhatIf run; never sent.</summary>
    Planned,

    /// <summary>Recorded, about to be sent (or left by a run that died).</summary>
    Pending,

    Success,

    Failed,
}

/// <summary>One intended write to HaloPSA, recorded before it is sent and updated after.</summary>
public sealed class SyncEvent
{
    public long EventId { get; set; }

    public string RunId { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public string? OrganizationId { get; set; }

    public string? OrganizationName { get; set; }

    public string? Sku { get; set; }

    public string? ProductName { get; set; }

    public SyncEventKind Kind { get; set; }

    /// <summary>The HaloPSA entity written: SoftwareLicence, RecurringInvoice or Item.</summary>
    public string? Entity { get; set; }

    public int? HaloId { get; set; }

    public int? InvoiceId { get; set; }

    public decimal? QuantityBefore { get; set; }

    public decimal? QuantityAfter { get; set; }

    public decimal? UnitPrice { get; set; }

    public decimal? UnitCost { get; set; }

    public DateTime? EffectiveDate { get; set; }

    /// <summary>The Cumulus key the HaloPSA record carries ('sub-...', 'chg-...', 'item-...').</summary>
    public string? CumulusKey { get; set; }

    public SyncEventStatus Status { get; set; }

    public int Attempts { get; set; }

    public string? Error { get; set; }

    /// <summary>What the event does in words (the pro-rata description, the charge period, a provisional cost...).</summary>
    public string? Detail { get; set; }

    public override string ToString() => $"{Kind} {Sku} for {OrganizationName}: {QuantityBefore} -> {QuantityAfter} ({Status})";
}
