using System;
using System.Collections.Concurrent;

namespace HaloSync.Engine.Configuration;

/// <summary>The connection modal's settings, as kept in the state database.</summary>
public sealed class SyncConfiguration
{
    public const int FirstInvoiceDay = 1;
    public const int LastInvoiceDay = 31;

    /// <summary>Day of the month the HaloSync recurring invoices are generated (1 to 31; short months use their last day).</summary>
    public int InvoiceDay { get; set; } = 1;

    public BillingMethod BillingMethod { get; set; } = BillingMethod.PreBill;

    public bool Proration { get; set; } = true;

    public MappingMode MappingMode { get; set; } = MappingMode.Manual;

    /// <summary>Off until the admin turns it on: a sync writes to invoices, so it is opt-in.</summary>
    public bool SyncEnabled { get; set; }

    /// <summary>Time zone id (Windows or IANA) whose calendar dates the billing rules use.</summary>
    public string TimeZone { get; set; } = TimeZoneInfo.Local.Id;

    public CostBasis CostBasis { get; set; } = CostBasis.NetBeforePerformanceTier;

    /// <summary>
    /// How often a sync reads back every record it keeps to notice hand edits: 0 (the default) every run; otherwise at
    /// most once in that many hours, and in between only the clients the run changes are read (fewer HaloPSA requests
    /// for large tenants, hand edits noticed later).
    /// </summary>
    public int HandEditCheckHours { get; set; }

    public const int MaxHandEditCheckHours = 168;

    /// <summary>The state database these settings were read from.</summary>
    public string StatePath { get; set; } = string.Empty;

    public static void ValidateInvoiceDay(int day)
    {
        if (day < FirstInvoiceDay || day > LastInvoiceDay)
        {
            throw new HaloSyncException(
                "InvalidInvoiceDay",
                HaloSyncErrorKind.InvalidArgument,
                $"The invoice day {day} is not valid. Use a day from {FirstInvoiceDay} to {LastInvoiceDay}; " +
                "in months shorter than the day, invoices are generated on the month's last day.");
        }
    }

    /// <summary>Resolves a time zone id on this machine or explains why it cannot.</summary>
    public static TimeZoneInfo ResolveTimeZone(string id)
        => id is not null && ResolvedZones.TryGetValue(id, out var zone)
            ? zone
            : ResolvedZones.GetOrAdd(id!, ResolveTimeZone(id!, TimeZoneInfo.FindSystemTimeZoneById));

    // Every date of a run converts through the configured zone, and on .NET Framework an IANA id misses (an exception) first.
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> ResolvedZones = new(StringComparer.Ordinal);

    /// <summary>
    /// Resolves with <paramref name="find"/> (the machine's own lookup), then by the IANA id's Windows equivalent:
    /// .NET Framework (Windows PowerShell 5.1) knows Windows ids only, while PowerShell 7 takes both, so a state file
    /// configured there as 'America/Toronto' must still resolve on 5.1.
    /// </summary>
    internal static TimeZoneInfo ResolveTimeZone(string id, Func<string, TimeZoneInfo> find)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new HaloSyncException("InvalidTimeZone", HaloSyncErrorKind.InvalidArgument,
                "The time zone is empty. Give a time zone id such as 'Eastern Standard Time' or 'America/Toronto'.");
        }

        var trimmed = id.Trim();
        var zone = TryFind(trimmed, find);
        if (zone is null && IanaWindowsZones.WindowsId(trimmed) is { } windowsId)
        {
            zone = TryFind(windowsId, find);
        }

        if (zone is null)
        {
            throw new HaloSyncException("InvalidTimeZone", HaloSyncErrorKind.InvalidArgument,
                $"The time zone '{id}' is not known on this machine. Use an id listed by " +
                "[System.TimeZoneInfo]::GetSystemTimeZones(), such as 'Eastern Standard Time' or 'America/Toronto'.");
        }

        return zone;
    }

    private static TimeZoneInfo? TryFind(string id, Func<string, TimeZoneInfo> find)
    {
        try
        {
            return find(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>A moment as the clock in the configured time zone shows it (how the event log and sync events show their times).</summary>
    public DateTimeOffset LocalTime(DateTimeOffset moment) => TimeZoneInfo.ConvertTime(moment, ResolveTimeZone(TimeZone));

    /// <summary>
    /// The calendar date a given date names (an -AsOf or -Period), as typed: (Get-Date) and [datetime]::Today are the
    /// host's local time, which written to HaloPSA as such would move a day on a host east of UTC.
    /// </summary>
    public static DateTime CalendarDate(DateTime given) => DateTime.SpecifyKind(given.Date, DateTimeKind.Unspecified);

    /// <summary>The day a run is for: the date given, else today in the configured time zone.</summary>
    public DateTime Day(DateTime? given, DateTimeOffset now) => given is { } date ? CalendarDate(date) : Today(now);

    /// <summary>Today's calendar date in the configured time zone.</summary>
    public DateTime Today(DateTimeOffset now)
        => TimeZoneInfo.ConvertTime(now, ResolveTimeZone(TimeZone)).Date;

    /// <summary>The calendar date, in the configured time zone, of a moment Sherweb gives in UTC (a purchase at 23:30 UTC may be tomorrow or today).</summary>
    public DateTime LocalDate(DateTime utc)
        => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), ResolveTimeZone(TimeZone)).Date;
}
