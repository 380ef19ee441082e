using System;
using System.Collections.Generic;

namespace HaloSync.Engine.Reconciliation;

/// <summary>The totals of one organization in a billing comparison.</summary>
public sealed class OrganizationBillingTotal
{
    public string Organization { get; init; } = string.Empty;

    public string OrganizationId { get; init; } = string.Empty;

    public string? HaloClient { get; init; }

    /// <summary>Rows (products and cycles) compared.</summary>
    public int Products { get; init; }

    /// <summary>Rows whose status is not Ok.</summary>
    public int Issues { get; init; }

    public decimal Cost { get; init; }

    public decimal Billed { get; init; }

    public decimal Margin { get; init; }

    public decimal Leakage { get; init; }

    public override string ToString() => $"{Organization}: cost {Cost}, billed {Billed}";
}

/// <summary>A billing comparison as a whole: the period, the totals overall and per organization, and every row.</summary>
public sealed class BillingComparisonSummary
{
    public DateTime PeriodFrom { get; init; }

    public DateTime PeriodTo { get; init; }

    public BillingSource Source { get; init; }

    public decimal Cost { get; init; }

    public decimal Billed { get; init; }

    public decimal Margin { get; init; }

    public decimal Leakage { get; init; }

    public int Ok { get; init; }

    public int Unbilled { get; init; }

    public int QuantityMismatch { get; init; }

    public int NegativeMargin { get; init; }

    public int DoubleBilled { get; init; }

    public int Orphan { get; init; }

    public IReadOnlyList<OrganizationBillingTotal> ByOrganization { get; init; } = Array.Empty<OrganizationBillingTotal>();

    public IReadOnlyList<BillingComparison> Rows { get; init; } = Array.Empty<BillingComparison>();

    /// <summary>HaloPSA requests the comparison sent (all reads).</summary>
    public int HaloPsaRequests { get; set; }

    /// <summary>Sherweb requests the comparison sent (all reads).</summary>
    public int CumulusRequests { get; set; }

    public override string ToString() => FormattableString.Invariant($"{PeriodFrom:yyyy-MM-dd} to {PeriodTo:yyyy-MM-dd} ({Source}): cost {Cost}, billed {Billed}, leakage {Leakage}");
}
