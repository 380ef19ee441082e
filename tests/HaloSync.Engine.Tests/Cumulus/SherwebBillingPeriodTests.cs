using System;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

public class SherwebBillingPeriodTests
{
    [Theory]
    [InlineData("2026-03-17", 1, "2026-03-01", "2026-03-31", 31)]
    [InlineData("2026-03-01", 1, "2026-03-01", "2026-03-31", 31)]
    [InlineData("2026-11-20", 15, "2026-11-15", "2026-12-14", 30)]
    [InlineData("2026-11-14", 15, "2026-10-15", "2026-11-14", 31)]
    [InlineData("2027-02-10", 31, "2027-01-31", "2027-02-27", 28)]
    [InlineData("2027-02-28", 31, "2027-02-28", "2027-03-30", 31)]
    public void The_period_containing_a_date_starts_on_the_clamped_start_day(string date, int startDay, string from, string to, int days)
    {
        var period = SherwebBillingPeriod.Containing(DateTime.Parse(date), startDay);

        Assert.Equal(DateTime.Parse(from), period.From);
        Assert.Equal(DateTime.Parse(to), period.To);
        Assert.Equal(days, period.Days);
        Assert.True(period.Contains(DateTime.Parse(date)));
    }
}
