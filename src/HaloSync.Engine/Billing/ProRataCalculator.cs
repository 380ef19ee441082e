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

    /// <summary>
    /// The entry for the same change once HaloPSA's next invoice date is known. The spec's rule assumes HaloPSA has
    /// generated the invoice of the period containing t and will generate the next one on P1; when it has not (a change on
    /// the invoice day seen before HaloPSA generates, a write finished after an invoice day), the entry covers the days
    /// from t to the start of the period that next invoice bills (pre-bill: its date; post-bill: the anchor before it),
    /// each partial period over its own length: a charge when that start is after t, a credit when before, none when on t.
    /// </summary>
    /// <param name="newLineOn">
    /// The run's date when the write creates the line: no invoice billed it yet, so HaloPSA's date is weighed against the
    /// run's date rather than the change's, and a purchase first written periods after it was made is charged every day since;
    /// a line starting after HaloPSA's next invoice date is first billed by the invoice after it.
    /// </param>
    /// <returns>The planned entry when HaloPSA's date is the one the rule assumes; otherwise the entry for that date, or null.</returns>
    public static ProRataEntry? AtNextInvoice(ProRataEntry planned, int fromQuantity, int toQuantity, decimal unitPrice, decimal unitCost,
        SyncConfiguration settings, DateTime nextInvoice, DateTime? newLineOn = null)
    {
        var day = planned.Date.Date;
        var preBill = settings.BillingMethod == BillingMethod.PreBill;
        var next = nextInvoice.Date;
        // A new line starting after HaloPSA's next invoice date (a purchase dated after the invoice day HaloPSA has not
        // generated yet) waits for the invoice after it.
        var billsLine = newLineOn is null ? next : BillingPeriod.FirstInvoiceOnOrAfter(next, day, settings.InvoiceDay);

        var billedFrom = preBill ? billsLine : BillingPeriod.Containing(billsLine.AddDays(-1), settings.InvoiceDay).Start;
        var assumed = preBill ? planned.Period.End : planned.Period.Start;
        // Farther than one period from what the rule assumes, HaloPSA's date says more about the invoice (paused, its
        // schedule edited) than about what was billed: the rule's entry stands.
        var expectedPeriod = newLineOn is { } run ? BillingPeriod.Containing(run.Date, settings.InvoiceDay) : planned.Period;
        var expected = preBill ? expectedPeriod.End : expectedPeriod.Start;
        var nearest = BillingPeriod.Containing(expected.AddDays(-1), settings.InvoiceDay).Start;
        var farthest = BillingPeriod.Containing(expected, settings.InvoiceDay).End;
        if (billedFrom == assumed || billedFrom < nearest || billedFrom > farthest)
        {
            return planned;
        }

        var change = toQuantity - fromQuantity;
        if (billedFrom == day)
        {
            return null;
        }

        var (from, to) = billedFrom > day ? (day, billedFrom) : (billedFrom, day);
        decimal price = 0m, cost = 0m;
        for (var start = from; start < to;)
        {
            var period = BillingPeriod.Containing(start, settings.InvoiceDay);
            var end = period.End < to ? period.End : to;
            price += unitPrice * (end - start).Days / period.Days;
            cost += unitCost * (end - start).Days / period.Days;
            start = end;
        }

        var days = (to - from).Days;
        // Days after t still to bill at the new quantity are the change itself; days before t billed at it, its reverse.
        var quantity = billedFrom > day ? change : -change;
        var description = string.Format(CultureInfo.InvariantCulture,
            "{0} {1} -> {2} ({3:+0;-0}) on {4}: pro-rata {5} day(s) {6}, {7} to {8} (HaloPSA's next invoice is on {9})",
            What(fromQuantity, toQuantity), fromQuantity, toQuantity, change, Date(day), days, quantity > 0 ? "charged" : "credited",
            Date(from), Date(to.AddDays(-1)), Date(next));
        return new ProRataEntry(day, quantity, Money.RoundUnit(price), Money.RoundUnit(cost), days, planned.Period, description);
    }

    /// <summary>What an event says when HaloPSA's next invoice bills its change for the whole period, so it writes no entry.</summary>
    public static string WithoutEntry(int fromQuantity, int toQuantity, DateTime date, DateTime nextInvoice)
        => string.Format(CultureInfo.InvariantCulture,
            "{0} {1} -> {2} ({3:+0;-0}) on {4}: no pro-rata, HaloPSA's invoice of {5} bills the change for the whole period",
            What(fromQuantity, toQuantity), fromQuantity, toQuantity, toQuantity - fromQuantity, Date(date), Date(nextInvoice));

    private static string What(int from, int to) => to == 0 ? "Cancelled" : from == 0 ? "Purchased" : "Quantity changed";

    private static string Describe(int from, int to, DateTime day, int days, BillingPeriod period, bool preBill)
    {
        var covered = preBill
            ? $"{Date(day)} to {Date(period.End.AddDays(-1))}"
            : $"{Date(period.Start)} to {Date(day.AddDays(-1))}";
        var change = to - from;
        return string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} ({3:+0;-0}) on {4}: pro-rata {5} of {6} days, {7}",
            What(from, to), from, to, change, Date(day), days, period.Days, covered);
    }

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
