using System;

namespace HaloSync.Simulators.Cumulus;

/// <summary>
/// A partner billing period [From, To] (both inclusive, as Sherweb reports them). Periods start on the same
/// day every month, clamped to the month's length: start day 31 gives Jan 31, Feb 28, Mar 31...
/// </summary>
public readonly record struct SherwebBillingPeriod(DateTime From, DateTime To)
{
    /// <summary>The first day after the period.</summary>
    public DateTime End => To.AddDays(1);

    public int Days => (End - From).Days;

    public bool Contains(DateTime date) => date.Date >= From && date.Date <= To;

    public static SherwebBillingPeriod Containing(DateTime date, int startDay)
    {
        if (startDay is < 1 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(startDay), "The billing period start day must be between 1 and 31.");
        }

        var day = date.Date;
        var start = Anchor(day.Year, day.Month, startDay);
        if (start > day)
        {
            var previous = day.AddMonths(-1);
            start = Anchor(previous.Year, previous.Month, startDay);
        }

        var following = start.AddMonths(1);
        return new SherwebBillingPeriod(start, Anchor(following.Year, following.Month, startDay).AddDays(-1));
    }

    private static DateTime Anchor(int year, int month, int startDay) =>
        new(year, month, Math.Min(startDay, DateTime.DaysInMonth(year, month)));
}
