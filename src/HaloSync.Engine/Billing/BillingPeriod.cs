using System;

namespace HaloSync.Engine.Billing;

/// <summary>A billing period [Start, End): from one invoice anchor to the next.</summary>
public readonly record struct BillingPeriod(DateTime Start, DateTime End)
{
    public int Days => (End - Start).Days;

    /// <summary>The billing period that contains <paramref name="date"/> for invoice day <paramref name="invoiceDay"/>.</summary>
    public static BillingPeriod Containing(DateTime date, int invoiceDay)
    {
        var day = date.Date;
        var thisMonth = Anchor(day.Year, day.Month, invoiceDay);
        var start = thisMonth <= day ? thisMonth : Anchor(day.AddMonths(-1).Year, day.AddMonths(-1).Month, invoiceDay);
        var next = start.AddMonths(1);
        return new BillingPeriod(start, Anchor(next.Year, next.Month, invoiceDay));
    }

    /// <summary>
    /// The invoice date that bills something dated <paramref name="date"/> on a schedule whose next invoice is on
    /// <paramref name="nextInvoice"/>: HaloPSA bills a line, or a pro-rata entry, from the first invoice it generates on or after its date.
    /// </summary>
    public static DateTime FirstInvoiceOnOrAfter(DateTime nextInvoice, DateTime date, int invoiceDay)
    {
        var invoice = nextInvoice.Date;
        while (invoice < date.Date)
        {
            invoice = Containing(invoice, invoiceDay).End;
        }

        return invoice;
    }

    /// <summary>The anchor of a month: day min(invoice day, days in the month).</summary>
    public static DateTime Anchor(int year, int month, int invoiceDay)
        => new(year, month, Math.Min(invoiceDay, DateTime.DaysInMonth(year, month)));
}
