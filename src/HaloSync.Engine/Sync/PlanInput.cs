using System;
using System.Collections.Generic;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>One mapped, enabled organization as Cumulus shows it now.</summary>
public sealed class OrganizationInput
{
    public OrganizationMapping Mapping { get; init; } = new();

    public IReadOnlyList<CumulusSubscription> Subscriptions { get; init; } = Array.Empty<CumulusSubscription>();

    /// <summary>The payable charges of the current period attributed to this organization.</summary>
    public IReadOnlyList<PayableCharge> Charges { get; init; } = Array.Empty<PayableCharge>();

    public IReadOnlyDictionary<string, bool> ChargeFlags { get; init; } = new Dictionary<string, bool>();
}

/// <summary>Everything the planner looks at: Cumulus now, what was last synced, what earlier runs left unfinished, the settings and the date.</summary>
public sealed record PlanInput
{
    public string RunId { get; init; } = string.Empty;

    public DateTime AsOf { get; init; }

    public DateTimeOffset Now { get; init; }

    public SyncConfiguration Settings { get; init; } = new();

    public IReadOnlyList<OrganizationInput> Organizations { get; init; } = Array.Empty<OrganizationInput>();

    /// <summary>Product mappings by SKU (case-insensitive).</summary>
    public IReadOnlyDictionary<string, ProductMapping> Products { get; init; } = new Dictionary<string, ProductMapping>();

    public IReadOnlyDictionary<int, HaloItem> Items { get; init; } = new Dictionary<int, HaloItem>();

    /// <summary>The snapshot: every subscription as the last successful syncs left it, per organization and client.</summary>
    public IReadOnlyList<SyncedSubscription> Synced { get; init; } = Array.Empty<SyncedSubscription>();

    public IReadOnlyCollection<string> SyncedChargeKeys { get; init; } = Array.Empty<string>();

    /// <summary>The added charges whose lines the next invoice is still to bill: a new item price reaches them.</summary>
    public IReadOnlyList<SyncedCharge> ChargesToInvoice { get; init; } = Array.Empty<SyncedCharge>();

    /// <summary>
    /// HaloSync's active subscriptions HaloPSA holds on a client an organization at its first sync is not mapped to, which
    /// the state file does not know (it was lost): ended there as a re-map ends them (<see cref="UnrecordedRecords"/>).
    /// </summary>
    public IReadOnlyList<SyncedSubscription> UnrecordedSubscriptions { get; init; } = Array.Empty<SyncedSubscription>();

    /// <summary>One-off charges of such organizations already on a line of another client, by key: adopted on that client.</summary>
    public IReadOnlyDictionary<string, int> UnrecordedCharges { get; init; } = new Dictionary<string, int>();

    /// <summary>Organizations an earlier run found listed with no subscription while HaloSync kept some active, with that run's date.</summary>
    public IReadOnlyDictionary<string, DateTime> ListedEmptySince { get; init; } = new Dictionary<string, DateTime>();

    /// <summary>Pending (a run died) and Failed events of earlier runs, oldest first: finished before anything new is planned on top.</summary>
    public IReadOnlyList<SyncEvent> Unfinished { get; init; } = Array.Empty<SyncEvent>();
}
