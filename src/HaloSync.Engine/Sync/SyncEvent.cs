using System;
using System.Collections.Generic;

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

    /// <summary>The HaloPSA item's price changed: the subscription and its line take the new unit price (no pro-rata).</summary>
    UpdatePrice,

    /// <summary>Sherweb's commitment term moved (a renewal): the subscription's term-end date follows (no money changes).</summary>
    UpdateTerm,

    /// <summary>The product is now mapped to another HaloPSA item: the subscription and its line move to it and take its price (no pro-rata).</summary>
    ChangeItem,

    /// <summary>
    /// A record HaloSync made earlier was found in HaloPSA by its key although the state did not know it (a lost or
    /// new state file): it is kept, with its own start date, and brought to what Cumulus says.
    /// </summary>
    Adopt,

    /// <summary>The organization now bills to another HaloPSA client: HaloSync's records on the old one end (inactive, end-dated).</summary>
    EndOnOldClient,

    /// <summary>A record HaloSync keeps was changed by hand in HaloPSA (quantity, cost, price, inactive, key): set back to what Cumulus says.</summary>
    RevertDrift,

    /// <summary>Start-HaloMigration -Cutover: a legacy subscription that HaloSync's now bills is set inactive with an end date.</summary>
    DeactivateLegacySubscription,

    /// <summary>Start-HaloMigration -Cutover: a legacy recurring invoice whose every line HaloSync's bill is disabled with an end date.</summary>
    EndLegacyInvoice,

    /// <summary>Start-HaloMigration -Cutover -RemoveLegacyInvoice: such a legacy recurring invoice is deleted instead.</summary>
    RemoveLegacyInvoice,
}

public static class SyncEventKinds
{
    /// <summary>The kinds a cutover writes: they concern records HaloSync did not make, so a sync never takes them up.</summary>
    public static IReadOnlyList<SyncEventKind> Cutover { get; } = new[]
    {
        SyncEventKind.DeactivateLegacySubscription, SyncEventKind.EndLegacyInvoice, SyncEventKind.RemoveLegacyInvoice,
    };
}

public enum SyncEventStatus
{
    /// <summary>Computed by a -WhatIf run; never sent.</summary>
    Planned,

    /// <summary>Recorded, about to be sent (or left by a run that died).</summary>
    Pending,

    Success,

    Failed,

    /// <summary>Closed without being sent: a later event carries the same change (an item cost planned again, an upgrade of the state file).</summary>
    Superseded,
}

/// <summary>The HaloPSA record an event writes (a charge's line is written through its RecurringInvoice).</summary>
public enum HaloEntity
{
    SoftwareLicence,
    RecurringInvoice,
    Item,

    /// <summary>A line of a recurring invoice (kept in the state's links, never an event's entity).</summary>
    InvoiceLine,
}

/// <summary>One intended write to HaloPSA, recorded before it is sent and updated after.</summary>
public sealed class SyncEvent
{
    public long EventId { get; set; }

    public string RunId { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public string? OrganizationId { get; set; }

    public string? OrganizationName { get; set; }

    /// <summary>The HaloPSA client the write is for (the organization's mapping when it was planned).</summary>
    public int? HaloClientId { get; set; }

    public string? Sku { get; set; }

    public string? ProductName { get; set; }

    public SyncEventKind Kind { get; set; }

    public HaloEntity Entity { get; set; }

    public int? HaloId { get; set; }

    public int? InvoiceId { get; set; }

    /// <summary>The HaloPSA item the subscription or line bills.</summary>
    public int? HaloItemId { get; set; }

    public decimal? QuantityBefore { get; set; }

    public decimal? QuantityAfter { get; set; }

    public decimal? UnitPrice { get; set; }

    public decimal? UnitCost { get; set; }

    /// <summary>The unit cost is Sherweb's catalog fee, used until a payable charge exists for the subscription.</summary>
    public bool CostProvisional { get; set; }

    public DateTime? EffectiveDate { get; set; }

    /// <summary>The subscription's billing cycle (Monthly subscriptions get a recurring-invoice line).</summary>
    public Cumulus.SubscriptionBillingCycle? BillingCycle { get; set; }

    /// <summary>The first and last day of the recurring-invoice line the event creates (when it creates one).</summary>
    public DateTime? LineStart { get; set; }

    public DateTime? LineEnd { get; set; }

    /// <summary>The pro-rata entry the event puts on the line, if any.</summary>
    public Billing.ProRataEntry? ProRata { get; set; }

    /// <summary>
    /// The entry (or none) and detail a write sends instead of <see cref="ProRata"/> for HaloPSA's next invoice date.
    /// They replace it only once that write succeeds: a failed write is retried from the spec's entry, for the date
    /// HaloPSA gives then.
    /// </summary>
    internal (Billing.ProRataEntry? Entry, string Detail)? ProRataToWrite { get; set; }

    /// <summary>
    /// The invoice date on which HaloPSA bills the entry this event wrote (the first it generates on or after the entry's
    /// date); none when HaloPSA gave no next invoice date or an earlier attempt wrote the entry. Until then a line deleted
    /// by hand is recreated with the entry.
    /// </summary>
    public DateTime? ProRataBilledBy { get; set; }

    /// <summary>The Cumulus key the HaloPSA record carries ('sub-...', 'chg-...', 'item-...').</summary>
    public string? CumulusKey { get; set; }

    public SyncEventStatus Status { get; set; }

    public int Attempts { get; set; }

    public string? Error { get; set; }

    /// <summary>What the event does in words (the pro-rata description, the charge period, a provisional cost...).</summary>
    public string? Detail { get; set; }

    public override string ToString() => $"{Kind} {Sku} for {OrganizationName}: {QuantityBefore} -> {QuantityAfter} ({Status})";
}
