using System;
using System.Globalization;
using HaloSync.Engine.Configuration;

namespace HaloSync.Engine.Billing;

/// <summary>
/// The spec's pro-rata rule for a quantity change q0 to q1 first seen on date t.
/// Pre-bill: quantity d = q1 - q0 for the days from t to the period end (the invoice already billed q0).
/// Post-bill: quantity -d for the days from the period start to t (the invoice will bill q1 for all of it).
/// </summary>
public static class ProRataCalculator
{
    /// <returns>The entry, or null when proration is off, nothing changed, or the fraction is zero.</returns>
    public static ProRataEntry? ForChange(int fromQuantity, int toQuantity, DateTime date, decimal unitPrice, decimal unitCost, SyncConfiguration settings)
    {
        var change = toQuantity - fromQuantity;
        if (!settings.Proration || change == 0)
        {
            return null;
        }

        var day = date.Date;
        var period = BillingPeriod.Containing(day, settings.InvoiceDay);
        var preBill = settings.BillingMethod == BillingMethod.PreBill;
        var days = preBill ? (period.End - day).Days : (day - period.Start).Days;
        if (days == 0)
        {
            return null;
        }

        var quantity = preBill ? change : -change;
        var price = Money.RoundUnit(unitPrice * days / period.Days);
        var cost = Money.RoundUnit(unitCost * days / period.Days);
        return new ProRataEntry(day, quantity, price, cost, days, period, Describe(fromQuantity, toQuantity, day, days, period, preBill));
    }

    private static string Describe(int from, int to, DateTime day, int days, BillingPeriod period, bool preBill)
    {
        var covered = preBill
            ? $"{Date(day)} to {Date(period.End.AddDays(-1))}"
            : $"{Date(period.Start)} to {Date(day.AddDays(-1))}";
        var change = to - from;
        var what = to == 0 ? "Cancelled" : from == 0 ? "Purchased" : "Quantity changed";
        return string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} ({3:+0;-0}) on {4}: pro-rata {5} of {6} days, {7}",
            what, from, to, change, Date(day), days, period.Days, covered);
    }

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
