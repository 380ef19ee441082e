using System;

namespace HaloSync.Engine.Migration;

/// <summary>A finished cutover, as the state database keeps it (Get-HaloMigration).</summary>
public sealed class MigrationRecord
{
    public string OrganizationId { get; set; } = string.Empty;

    public string OrganizationName { get; set; } = string.Empty;

    public int HaloClientId { get; set; }

    /// <summary>The calendar date the legacy records ended.</summary>
    public DateTime CutoverOn { get; set; }

    public DateTimeOffset CompletedAt { get; set; }

    /// <summary>The cutover's events in the event log: Get-HaloSyncLog -RunId.</summary>
    public string RunId { get; set; } = string.Empty;

    public decimal LegacyMonthlyTotal { get; set; }

    public decimal HaloSyncMonthlyTotal { get; set; }

    public int DeactivatedSubscriptions { get; set; }

    public int EndedInvoices { get; set; }

    public int RemovedInvoices { get; set; }

    public override string ToString() => FormattableString.Invariant($"{OrganizationName} (HaloPSA client {HaloClientId}) cut over on {CutoverOn:yyyy-MM-dd}");
}
