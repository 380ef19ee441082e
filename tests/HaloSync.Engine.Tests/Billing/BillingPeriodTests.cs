using System;
using HaloSync.Engine.Billing;

namespace HaloSync.Engine.Tests.Billing;

public sealed class BillingPeriodTests
{
    [Theory]
    // The spec's two examples.
    [InlineData(15, "2026-11-20", "2026-11-15", "2026-12-15", 30)]
    [InlineData(31, "2027-02-10", "2027-01-31", "2027-02-28", 28)]
    // Invoice day 1: calendar months.
    [InlineData(1, "2026-11-20", "2026-11-01", "2026-12-01", 30)]
    [InlineData(1, "2026-12-31", "2026-12-01", "2027-01-01", 31)]
    // Invoice day 28: February's anchor is the 28th in any year.
    [InlineData(28, "2027-02-27", "2027-01-28", "2027-02-28", 31)]
    [InlineData(28, "2028-02-28", "2028-02-28", "2028-03-28", 29)]
    // Invoice day 31 across a leap February: anchors Jan 31, Feb 29, Mar 31.
    [InlineData(31, "2028-02-15", "2028-01-31", "2028-02-29", 29)]
    [InlineData(31, "2028-03-01", "2028-02-29", "2028-03-31", 31)]
    // Invoice day 30 from January to a non-leap February.
    [InlineData(30, "2026-02-05", "2026-01-30", "2026-02-28", 29)]
    // On the anchor itself the new period starts; the day before the next anchor is still inside.
    [InlineData(15, "2026-11-15", "2026-11-15", "2026-12-15", 30)]
    [InlineData(15, "2026-12-14", "2026-11-15", "2026-12-15", 30)]
    // Across the year end.
    [InlineData(15, "2027-01-03", "2026-12-15", "2027-01-15", 31)]
    public void The_period_runs_from_the_latest_anchor_on_or_before_the_date_to_the_next(int invoiceDay, string date, string start, string end, int days)
    {
        var period = BillingPeriod.Containing(DateTime.Parse(date), invoiceDay);

        Assert.Equal(DateTime.Parse(start), period.Start);
        Assert.Equal(DateTime.Parse(end), period.End);
        Assert.Equal(days, period.Days);
    }

    [Fact]
    public void The_time_of_day_does_not_move_the_period()
        => Assert.Equal(
            BillingPeriod.Containing(new DateTime(2026, 11, 15), 15),
            BillingPeriod.Containing(new DateTime(2026, 11, 15, 23, 59, 59), 15));
}
