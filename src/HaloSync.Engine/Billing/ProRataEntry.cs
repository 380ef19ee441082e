using System;

namespace HaloSync.Engine.Billing;

/// <summary>
/// One pro-rata adjustment on a recurring invoice line: a signed seat quantity at the unit price and
/// cost scaled by the fraction of the period it covers.
/// </summary>
public sealed record ProRataEntry(
    DateTime Date,
    int Quantity,
    decimal UnitPrice,
    decimal UnitCost,
    int Days,
    BillingPeriod Period,
    string Description)
{
    public decimal Total => Quantity * UnitPrice;

    /// <summary>What a spreadsheet cell or a list shows of the entry (Export-Csv writes the ProRata column with it).</summary>
    public override string ToString() => Description;
}
