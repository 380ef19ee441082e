using System;

namespace HaloSync.Engine.Sync;

/// <summary>Which events <see cref="EventLog.Query"/> returns: an event must match every value given; null matches all.</summary>
public sealed class EventLogFilter
{
    /// <summary>A LIKE pattern (see <see cref="State.SqlLike"/>) the organization id or name must match.</summary>
    public string? OrganizationLike { get; set; }

    /// <summary>A LIKE pattern the SKU or product name must match.</summary>
    public string? ProductLike { get; set; }

    /// <summary>The Cumulus organization id, exactly.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>The organization name, exactly but ignoring the case of ASCII letters.</summary>
    public string? OrganizationName { get; set; }

    /// <summary>The Cumulus SKU, exactly but ignoring the case of ASCII letters.</summary>
    public string? Sku { get; set; }

    /// <summary>Events created at or after this moment.</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>Events created at or before this moment.</summary>
    public DateTimeOffset? To { get; set; }

    public SyncEventStatus? Status { get; set; }

    /// <summary>The run id, exactly.</summary>
    public string? RunId { get; set; }

    /// <summary>At most this many events (the newest); null for all.</summary>
    public int? MaxCount { get; set; }
}
