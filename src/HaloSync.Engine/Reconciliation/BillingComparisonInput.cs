using System;
using System.Collections.Generic;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Reconciliation;

/// <summary>What HaloPSA holds for one client: its subscriptions, its recurring invoices with lines, and (for -Invoiced) its invoices.</summary>
public sealed class ClientBilling
{
    public IReadOnlyList<HaloLicence> Licences { get; init; } = Array.Empty<HaloLicence>();

    public IReadOnlyList<HaloRecurringInvoice> RecurringInvoices { get; init; } = Array.Empty<HaloRecurringInvoice>();

    public IReadOnlyList<HaloInvoice> Invoices { get; init; } = Array.Empty<HaloInvoice>();
}

/// <summary>Everything <see cref="BillingComparer"/> looks at: both sides as read, the mappings and what the sync left in the state.</summary>
public sealed class BillingComparisonInput
{
    public SyncConfiguration Settings { get; init; } = new();

    public BillingSource Source { get; init; }

    /// <summary>Sherweb's payable charges of the period (the period is theirs).</summary>
    public PayableCharges Payable { get; init; } = new();

    /// <summary>Every Sherweb customer: charges are attributed among all of them.</summary>
    public IReadOnlyList<CumulusCustomer> Customers { get; init; } = Array.Empty<CumulusCustomer>();

    /// <summary>The organizations to report on; null for all, and then charges no customer could be found for are reported too.</summary>
    public IReadOnlyCollection<Guid>? Scope { get; init; }

    public IReadOnlyList<OrganizationMapping> Organizations { get; init; } = Array.Empty<OrganizationMapping>();

    public IReadOnlyList<ProductMapping> Products { get; init; } = Array.Empty<ProductMapping>();

    /// <summary>The subscriptions Cumulus lists now, by organization id (for the organizations that bill to a client).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<CumulusSubscription>> Subscriptions { get; init; } = new Dictionary<string, IReadOnlyList<CumulusSubscription>>();

    /// <summary>Per-charge sync switches by organization id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, bool>> ChargeFlags { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, bool>>();

    /// <summary>Events of the log that are Failed now.</summary>
    public IReadOnlyList<SyncEvent> FailedEvents { get; init; } = Array.Empty<SyncEvent>();

    /// <summary>What the sync last wrote, per organization, client and subscription.</summary>
    public IReadOnlyList<SyncedSubscription> Snapshot { get; init; } = Array.Empty<SyncedSubscription>();

    public HaloLinks Links { get; init; } = new();

    /// <summary>HaloPSA, by client id.</summary>
    public IReadOnlyDictionary<int, ClientBilling> Clients { get; init; } = new Dictionary<int, ClientBilling>();
}
