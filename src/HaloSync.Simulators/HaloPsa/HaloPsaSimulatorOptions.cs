using System;
using System.Collections.Generic;

namespace HaloSync.Simulators.HaloPsa;

public sealed class HaloPsaSimulatorOptions
{
    /// <summary>Tenant reported by /api/authinfo; a token request naming another tenant is refused.</summary>
    public string Tenant { get; set; } = "halosync-sim";

    /// <summary>When true a token request must name the tenant (shared auth host setups).</summary>
    public bool RequireTenant { get; set; }

    public int RateLimit { get; set; } = 300;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Halo is not known to send Retry-After, so it is off by default.</summary>
    public bool SendRetryAfterOnRateLimit { get; set; }

    public int DefaultMaxPageSize { get; set; } = 100;

    /// <summary>Per-endpoint page cap by resource name ("Client", "Item", "SoftwareLicence", "RecurringInvoice"...).</summary>
    public Dictionary<string, int> MaxPageSizes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Answer requests with an expired token with 400 instead of 401 (seen on real tenants).</summary>
    public bool ExpiredTokenAnswers400 { get; set; }

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether subscriptions keep <c>item_id</c> (newer Halo versions). Off, the API drops it from saves, so reads never
    /// carry it, as a tenant at the 2024 schema level (which has no such field) does.
    /// </summary>
    public bool LicencesKeepItemId { get; set; } = true;

    /// <summary>Answer list reads with a bare array of the page and no record count, as some tenants do (the notes' S-PD).</summary>
    public bool ListsAsBareArrays { get; set; }

    /// <summary>Start of the simulated clock; the real time when null.</summary>
    public DateTimeOffset? ClockStart { get; set; }

    /// <summary>Follow real time (the sandbox) instead of a clock that only tests move.</summary>
    public bool RealTimeClock { get; set; }

    public int MaxPageSizeFor(string resource) => MaxPageSizes.TryGetValue(resource, out var size) ? size : DefaultMaxPageSize;
}
