using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Reconciliation;

/// <summary>What to compare: the period (any date in it; null for today's), the HaloPSA side, and which organizations.</summary>
public sealed class BillingQuery
{
    public DateTime? Period { get; init; }

    public BillingSource Source { get; init; }

    /// <summary>
    /// The organizations to report on, each an id, a name or a wildcard (<see cref="Pattern"/>), as in every -Organization;
    /// null for all (then charges no customer could be found for are reported too).
    /// </summary>
    public IReadOnlyList<string>? Organizations { get; init; }

    /// <summary>The wildcard test a value stands for, null when it has none (the cmdlets' wildcards).</summary>
    public Func<string, Func<string, bool>?> Pattern { get; init; } = _ => null;

    /// <summary>Told, for each value that selects no organization while others do, what to say (the nearest names).</summary>
    public Action<string>? NoMatch { get; init; }
}

/// <summary>
/// Compare-HaloBilling's reads: Sherweb's customers, the period's payable charges and the subscriptions of the
/// organizations that bill to a client (several at a time); HaloPSA's subscriptions and recurring invoices of those
/// clients (per client or as the whole list, whichever is fewer requests) and, for -Invoiced, their invoices of the period
/// (one read per 100 clients); and the mappings and sync state. Then <see cref="BillingComparer"/>. Nothing is written:
/// HaloPSA is reached through a read-only interface.
/// </summary>
public sealed class BillingReconciliation
{
    private readonly ISyncStore state;
    private readonly IHaloBillingReader halo;
    private readonly ICumulusReader cumulus;
    private readonly IProgress<SyncProgress> progress;
    private readonly Action<string> verbose;
    private readonly Func<DateTimeOffset> clock;

    public BillingReconciliation(ISyncStore state, IHaloBillingReader halo, ICumulusReader cumulus, IProgress<SyncProgress> progress,
        Action<string>? verbose = null, Func<DateTimeOffset>? clock = null)
    {
        this.state = state;
        this.halo = halo;
        this.cumulus = cumulus;
        this.progress = progress;
        this.verbose = verbose ?? (_ => { });
        this.clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>How many organizations' subscriptions are read from Sherweb at once.</summary>
    public int MaxConcurrentCumulusReads { get; set; } = CumulusSubscriptionReader.DefaultConcurrency;

    public async Task<BillingComparisonSummary> CompareAsync(BillingQuery query, CancellationToken cancellationToken)
    {
        var requestsBefore = halo.RequestsSent;
        var settings = state.GetConfiguration();
        var date = settings.Day(query.Period, clock());
        progress.Report(new SyncProgress("Reading Cumulus", "Customers and payable charges", 0));
        var customers = await cumulus.GetCustomersAsync(cancellationToken).ConfigureAwait(false);
        var inScope = query.Organizations is { } values ? Select(customers, values, query) : customers.ToList();

        var payable = await cumulus.GetPayableChargesAsync(date, cancellationToken).ConfigureAwait(false);
        verbose(FormattableString.Invariant($"Sherweb: {payable.Charges.Count} payable charge(s) for {payable.PeriodFrom:yyyy-MM-dd} to {payable.PeriodTo:yyyy-MM-dd}."));

        var mappings = state.GetOrganizations();
        var snapshot = state.LoadSnapshot();
        var snapshotByOrganization = snapshot.ToLookup(s => s.OrganizationId, StringComparer.OrdinalIgnoreCase);
        var scopeIds = new HashSet<string>(inScope.Select(c => c.Id.ToString("D")), StringComparer.OrdinalIgnoreCase);
        var billed = mappings
            .Where(m => scopeIds.Contains(m.OrganizationId))
            .Select(m => (Mapping: m, Client: BillingComparer.ClientOf(m, snapshotByOrganization[m.OrganizationId])))
            .Where(o => o.Client is not null)
            .ToList();
        var organizations = billed.Select(o => o.Mapping).ToList();
        var subscriptions = await CumulusSubscriptionReader.ReadAsync(cumulus, organizations, MaxConcurrentCumulusReads, progress, cancellationToken).ConfigureAwait(false);

        var clients = billed.Select(o => o.Client!.Value).Distinct().ToList();
        progress.Report(new SyncProgress("Reading HaloPSA", $"Subscriptions and recurring invoices of {clients.Count} client(s)", -1));
        var reader = new HaloReader(halo);
        var licences = await reader.LicencesAsync(clients, cancellationToken).ConfigureAwait(false);
        var recurring = await reader.InvoicesAsync(clients, cancellationToken).ConfigureAwait(false);
        var invoices = new Dictionary<int, List<HaloInvoice>>();
        if (query.Source == BillingSource.Invoiced && clients.Count > 0)
        {
            // One-off charges are billed by the first invoice after the sync adds them, which may fall in the next period.
            var to = payable.PeriodTo.Date.AddDays(1).AddMonths(1).AddDays(-1);
            progress.Report(new SyncProgress("Reading HaloPSA", FormattableString.Invariant($"Invoices from {payable.PeriodFrom:yyyy-MM-dd} to {to:yyyy-MM-dd}"), -1));
            var read = await halo.GetInvoicesAsync(clients, payable.PeriodFrom.Date, to, cancellationToken).ConfigureAwait(false);
            invoices = read.Where(i => i.ClientId is not null).GroupBy(i => i.ClientId!.Value).ToDictionary(g => g.Key, g => g.ToList());
        }

        var input = new BillingComparisonInput
        {
            Settings = settings,
            Source = query.Source,
            Payable = payable,
            Customers = customers,
            Scope = query.Organizations is null ? null : inScope.Select(c => c.Id).ToList(),
            Organizations = mappings,
            Products = state.GetProducts(),
            Subscriptions = organizations.Select((o, i) => (o.OrganizationId, Subscriptions: subscriptions[i]))
                .ToDictionary(o => o.OrganizationId, o => o.Subscriptions, StringComparer.OrdinalIgnoreCase),
            ChargeFlags = organizations.ToDictionary(o => o.OrganizationId, o => (IReadOnlyDictionary<string, bool>)state.GetChargeSyncFlags(o.OrganizationId),
                StringComparer.OrdinalIgnoreCase),
            FailedEvents = state.Unfinished().Where(e => e.Status == SyncEventStatus.Failed).ToList(),
            Snapshot = snapshot,
            Links = state.LoadLinks(),
            Clients = clients.ToDictionary(c => c, c => new ClientBilling
            {
                Licences = licences[c],
                RecurringInvoices = recurring[c],
                Invoices = invoices.TryGetValue(c, out var mine) ? mine : new List<HaloInvoice>(),
            }),
        };
        var summary = BillingComparer.Compare(input);
        summary.HaloPsaRequests = halo.RequestsSent - requestsBefore;
        verbose($"Compared {summary.Rows.Count} product(s) of {summary.ByOrganization.Count} organization(s) with {summary.HaloPsaRequests} HaloPSA request(s).");
        return summary;
    }

    /// <summary>The customers the values select; a value that selects none is told to the query, or, when none is selected, an error.</summary>
    private static List<CumulusCustomer> Select(IReadOnlyList<CumulusCustomer> customers, IReadOnlyList<string> values, BillingQuery query)
    {
        var directory = new OrganizationDirectory(customers.Select(OrganizationMapping.Of));
        var selected = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var unmatched = new List<string>();
        foreach (var value in values)
        {
            var matches = directory.Select(value, query.Pattern(value));
            if (matches.Count == 0)
            {
                unmatched.Add(directory.NoMatch(value));
            }

            selected.UnionWith(matches.Select(m => m.OrganizationId));
        }

        var inScope = customers.Where(c => selected.Contains(c.Id.ToString("D"))).ToList();
        if (inScope.Count == 0)
        {
            throw new HaloSyncException("OrganizationNotFound", HaloSyncErrorKind.NotFound, string.Join(" ", unmatched));
        }

        unmatched.ForEach(message => query.NoMatch?.Invoke(message));
        return inScope;
    }
}
