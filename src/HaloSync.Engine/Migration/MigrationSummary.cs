using System;
using System.Globalization;

namespace HaloSync.Engine.Migration;

/// <summary>What Start-HaloMigration did for one organization.</summary>
public enum MigrationOutcome
{
    /// <summary>Compared only (no -Cutover); nothing was written.</summary>
    Validated,

    /// <summary>-Cutover with -WhatIf, or not confirmed: what it would write was shown, nothing was written.</summary>
    Planned,

    /// <summary>The legacy records were ended and the cutover recorded.</summary>
    CutOver,

    /// <summary>Cut over earlier and nothing legacy is left to end: nothing was written.</summary>
    AlreadyMigrated,

    /// <summary>-Cutover refused: a legacy line HaloSync does not bill, or nothing of HaloSync's yet. Nothing was written.</summary>
    Refused,

    /// <summary>Some cutover writes failed (each is an error and a Failed event); the next cutover finishes them.</summary>
    Failed,
}

/// <summary>Start-HaloMigration's summary for one organization: the comparison's counts, the monthly totals of both sides, and what the cutover does or did.</summary>
public sealed class MigrationSummary
{
    public string OrganizationId { get; set; } = string.Empty;

    public string OrganizationName { get; set; } = string.Empty;

    public int HaloClientId { get; set; }

    public string? HaloClientName { get; set; }

    /// <summary>The date the comparison treats as today (the end date a cutover writes).</summary>
    public DateTime AsOf { get; set; }

    public MigrationOutcome Outcome { get; set; }

    public int Matched { get; set; }

    public int QuantityDifferent { get; set; }

    public int PriceDifferent { get; set; }

    public int BothDifferent { get; set; }

    public int OnlyInLegacy { get; set; }

    public int OnlyInHaloSync { get; set; }

    /// <summary>What the client's active legacy lines bill per invoice period.</summary>
    public decimal LegacyMonthlyTotal { get; set; }

    /// <summary>What the legacy lines a cutover ends (covered lines on the invoices it ends) bill per invoice period.</summary>
    public decimal LegacyMonthlyToEnd { get; set; }

    /// <summary>What HaloSync's active lines bill per invoice period.</summary>
    public decimal HaloSyncMonthlyTotal { get; set; }

    /// <summary>
    /// What switching changes per period: HaloSync's lines in place of the legacy lines a cutover ends (the legacy lines
    /// it leaves alone bill on either way). 0: the customer pays the same.
    /// </summary>
    public decimal MonthlyChange => HaloSyncMonthlyTotal - LegacyMonthlyToEnd;

    public int SubscriptionsToDeactivate { get; set; }

    /// <summary>Legacy recurring invoices the cutover ends (or removes, with -RemoveLegacyInvoice).</summary>
    public int InvoicesToEnd { get; set; }

    /// <summary>Legacy lines that make a cutover refuse (on an invoice it has to end, billing nothing of HaloSync's).</summary>
    public int NotCovered { get; set; }

    /// <summary>Active lines on HaloSync's recurring invoice that HaloSync did not make: not compared, left as they are.</summary>
    public int OtherLinesOnHaloSyncInvoice { get; set; }

    /// <summary>Legacy invoices to end that are not generated monthly: a cutover refuses them.</summary>
    public int InvoicesNotMonthly { get; set; }

    /// <summary>Whether -Cutover would go ahead: HaloSync bills the client and every line to end is covered.</summary>
    public bool ReadyForCutover { get; set; }

    /// <summary>When the organization was cut over (this call or an earlier one), else empty.</summary>
    public DateTime? MigratedOn { get; set; }

    /// <summary>The cutover's run id in the event log (Get-HaloSyncLog -RunId), when it wrote.</summary>
    public string? RunId { get; set; }

    public int Failed { get; set; }

    public int HaloPsaRequests { get; set; }

    public override string ToString()
        => string.Format(CultureInfo.InvariantCulture,
            "{0} (HaloPSA client {1}): {2}. {3} matched, {4} quantity, {5} price, {6} both different, {7} only in legacy, {8} only in HaloSync; " +
            "per period legacy {9:0.00}, HaloSync {10:0.00}, change {11:+0.00;-0.00;0.00}; {12} subscription(s) to deactivate, {13} invoice(s) to end, " +
            "{14} line(s) not covered.",
            OrganizationName, HaloClientId, Outcome, Matched, QuantityDifferent, PriceDifferent, BothDifferent, OnlyInLegacy, OnlyInHaloSync,
            LegacyMonthlyTotal, HaloSyncMonthlyTotal, MonthlyChange, SubscriptionsToDeactivate, InvoicesToEnd, NotCovered);
}
