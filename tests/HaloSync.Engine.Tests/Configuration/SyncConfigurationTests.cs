using System;
using System.Collections.Generic;
using HaloSync.Engine.Configuration;

namespace HaloSync.Engine.Tests.Configuration;

public sealed class SyncConfigurationTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(28)]
    [InlineData(31)]
    public void Invoice_days_1_to_31_are_valid(int day) => SyncConfiguration.ValidateInvoiceDay(day);

    [Fact]
    public void Windows_and_IANA_time_zone_ids_resolve()
    {
        Assert.Equal(TimeSpan.FromHours(-5), SyncConfiguration.ResolveTimeZone("America/Toronto").GetUtcOffset(new DateTime(2026, 1, 15)));
        Assert.Equal(TimeSpan.FromHours(-5), SyncConfiguration.ResolveTimeZone("Eastern Standard Time").GetUtcOffset(new DateTime(2026, 1, 15)));
    }

    [Theory]
    [InlineData("America/Toronto", "Eastern Standard Time")]
    [InlineData("Europe/London", "GMT Standard Time")]
    [InlineData("Asia/Kolkata", "India Standard Time")]
    [InlineData("Etc/UTC", "UTC")]
    public void An_IANA_id_resolves_where_the_machine_knows_Windows_ids_only(string ianaId, string windowsId)
    {
        // How .NET Framework (Windows PowerShell 5.1) looks zones up: Windows ids only.
        var asked = new List<string>();
        TimeZoneInfo WindowsOnly(string id)
        {
            asked.Add(id);
            return id.Contains("/") ? throw new TimeZoneNotFoundException(id) : TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.Zero, id, id);
        }

        Assert.Equal(windowsId, SyncConfiguration.ResolveTimeZone(ianaId, WindowsOnly).Id);
        Assert.Equal(new[] { ianaId, windowsId }, asked);
    }

    [Fact]
    public void An_id_unknown_under_both_names_is_refused_with_examples()
    {
        var error = Assert.Throws<HaloSyncException>(() => SyncConfiguration.ResolveTimeZone("Mars/Olympus_Mons"));

        Assert.Equal("InvalidTimeZone", error.ErrorId);
        Assert.Contains("'Mars/Olympus_Mons' is not known", error.Message);
    }

    [Fact]
    public void Today_is_the_calendar_date_in_the_configured_zone_not_in_UTC()
    {
        // 03:30 UTC on 1 December is still 30 November in Toronto (UTC-5).
        var now = new DateTimeOffset(2026, 12, 1, 3, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateTime(2026, 11, 30), new SyncConfiguration { TimeZone = "America/Toronto" }.Today(now));
        Assert.Equal(new DateTime(2026, 12, 1), new SyncConfiguration { TimeZone = "Europe/Paris" }.Today(now));
    }
}
