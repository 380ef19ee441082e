using System.Globalization;

namespace HaloSync.Engine.Migration;

/// <summary>What a compared record is in HaloPSA.</summary>
public enum MigrationRecordKind
{
    /// <summary>A subscription (SoftwareLicence).</summary>
    Subscription,

    /// <summary>A recurring-invoice line.</summary>
    Line,
}

/// <summary>How a legacy record and HaloSync's compare.</summary>
public enum MigrationMatch
{
    /// <summary>Paired, same quantity and unit price.</summary>
    Matched,

    /// <summary>Paired, same unit price, another quantity.</summary>
    QuantityDifferent,

    /// <summary>Paired, same quantity, another unit price.</summary>
    PriceDifferent,

    /// <summary>Paired, another quantity and another unit price.</summary>
    BothDifferent,

    /// <summary>A legacy record HaloSync has nothing for.</summary>
    OnlyInLegacy,

    /// <summary>A record of HaloSync's with no legacy counterpart.</summary>
    OnlyInHaloSync,
}

/// <summary>What a cutover does with the record.</summary>
public enum MigrationAction
{
    /// <summary>HaloSync's record: kept as it is.</summary>
    Keep,

    /// <summary>A legacy subscription HaloSync's bills: set inactive with an end date.</summary>
    Deactivate,

    /// <summary>A legacy line HaloSync's covers, on a recurring invoice the cutover ends (disabled, end date).</summary>
    EndInvoice,

    /// <summary>A legacy line HaloSync's covers, on a recurring invoice the cutover deletes (-RemoveLegacyInvoice).</summary>
    RemoveInvoice,

    /// <summary>A legacy line nothing of HaloSync's covers, on a recurring invoice the cutover has to end: it refuses until the line is dealt with.</summary>
    NotCovered,

    /// <summary>A legacy record the cutover does not touch: a subscription HaloSync has none for, or a line of a recurring invoice that bills nothing of HaloSync's.</summary>
    LeaveAlone,
}

/// <summary>One row of Start-HaloMigration: a legacy record and HaloSync's that bills the same thing, or either alone.</summary>
public sealed class MigrationItem
{
    public string OrganizationId { get; set; } = string.Empty;

    public string OrganizationName { get; set; } = string.Empty;

    public int HaloClientId { get; set; }

    public MigrationRecordKind Record { get; set; }

    public MigrationMatch Status { get; set; }

    /// <summary>HaloSync's name for it, else the legacy one.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The HaloPSA item HaloSync's record bills, else the legacy one's.</summary>
    public int? HaloItemId { get; set; }

    public int? LegacyId { get; set; }

    public int? LegacyInvoiceId { get; set; }

    public string? LegacyName { get; set; }

    public decimal? LegacyQuantity { get; set; }

    public decimal? LegacyUnitPrice { get; set; }

    /// <summary>What the legacy line bills per invoice period (lines only).</summary>
    public decimal? LegacyMonthly { get; set; }

    public int? HaloSyncId { get; set; }

    public int? HaloSyncInvoiceId { get; set; }

    public string? HaloSyncName { get; set; }

    public decimal? HaloSyncQuantity { get; set; }

    public decimal? HaloSyncUnitPrice { get; set; }

    /// <summary>What HaloSync's line bills per invoice period (lines only).</summary>
    public decimal? HaloSyncMonthly { get; set; }

    public MigrationAction Cutover { get; set; }

    public override string ToString()
        => string.Format(CultureInfo.InvariantCulture, "{0} '{1}': {2} (legacy {3} x {4}, HaloSync {5} x {6}) -> {7}",
            Record, Name, Status, LegacyQuantity, LegacyUnitPrice, HaloSyncQuantity, HaloSyncUnitPrice, Cutover);
}
