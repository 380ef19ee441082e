using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;

namespace HaloSync.Engine.Sync;

/// <summary>
/// One sync run: lease, read Cumulus and HaloPSA, automatic mapping, plan, and (unless planning only) apply and
/// record. Pending events are written before anything is sent; an organization that fails is recorded as
/// Failed and the run goes on; the next run plans the same difference again and finishes it without duplicates.
/// </summary>
public sealed class SyncRunner
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromHours(2);
    private readonly StateStore store;
    private readonly HaloPsaClient halo;
    private readonly CumulusClient cumulus;
    private readonly IProgress<SyncProgress> progress;
    private readonly Action<SyncEvent, HaloSyncException> reportFailure;

    public SyncRunner(StateStore store, HaloPsaClient halo, CumulusClient cumulus, IProgress<SyncProgress> progress, Action<SyncEvent, HaloSyncException> reportFailure)
    {
        this.store = store;
        this.halo = halo;
        this.cumulus = cumulus;
        this.progress = progress;
        this.reportFailure = reportFailure;
    }

    /// <param name="organizationFilter">Cumulus organization ids to limit the run to, or null for all.</param>
    public async Task<SyncSummary> RunAsync(DateTime? asOf, IReadOnlyCollection<string>? organizationFilter, bool planOnly, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var settings = store.GetConfiguration();
        if (!settings.SyncEnabled && !planOnly)
        {
            throw new HaloSyncException("SyncDisabled", HaloSyncErrorKind.InvalidOperation,
                "Sync is turned off, so nothing was written. Review the mappings, then run Set-HaloSyncConfiguration -SyncEnabled $true " +
                "(Invoke-HaloSync -WhatIf shows what a run would do).");
        }

        var day = asOf?.Date ?? settings.Today(DateTimeOffset.UtcNow);
        var runId = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss") + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
        var state = new SyncedStateRepository(store);
        var log = new EventLog(store);
        var requestsBefore = halo.RequestsSent;
        if (!planOnly)
        {
            state.AcquireLease(runId, Environment.MachineName + "/" + Process.GetCurrentProcess().Id, DateTimeOffset.UtcNow, LeaseDuration);
            log.StartRun(runId, day, DateTimeOffset.UtcNow);
        }

        var summary = new SyncSummary { RunId = runId, AsOf = day, WhatIf = planOnly };
        try
        {
            var (input, organizations) = await ReadAsync(runId, day, settings, organizationFilter, planOnly, cancellationToken).ConfigureAwait(false);
            var plan = SyncPlanner.Plan(input);
            summary.Organizations = organizations;
            summary.SkippedUnmapped = plan.SkippedUnmapped;
            summary.SkippedReservedInstances.AddRange(plan.SkippedReservedInstances);
            if (!planOnly)
            {
                await ApplyAsync(plan, settings, day, log, state, cancellationToken).ConfigureAwait(false);
            }

            Summarize(summary, plan);
            summary.HaloPsaRequests = halo.RequestsSent - requestsBefore;
            summary.Duration = watch.Elapsed;
            if (!planOnly)
            {
                log.FinishRun(runId, summary.Failed == 0 ? "Completed" : "CompletedWithFailures", Newtonsoft.Json.JsonConvert.SerializeObject(summary), DateTimeOffset.UtcNow);
            }

            return summary;
        }
        catch (Exception ex) when (!planOnly && ex is not OperationCanceledException)
        {
            log.FinishRun(runId, "Failed", Newtonsoft.Json.JsonConvert.SerializeObject(new { error = ex.Message }), DateTimeOffset.UtcNow);
            throw;
        }
        finally
        {
            if (!planOnly)
            {
                state.ReleaseLease(runId);
            }
        }
    }

    private async Task<(PlanInput Input, int Organizations)> ReadAsync(string runId, DateTime day, SyncConfiguration settings,
        IReadOnlyCollection<string>? organizationFilter, bool planOnly, CancellationToken cancellationToken)
    {
        var mappings = new MappingRepository(store);
        progress.Report(new SyncProgress("Reading Cumulus", "Customers and payable charges", 0));
        var customers = await cumulus.GetCustomersAsync(cancellationToken).ConfigureAwait(false);
        var payable = await cumulus.GetPayableChargesAsync(day, cancellationToken).ConfigureAwait(false);
        if (!planOnly)
        {
            mappings.RecordSeenOrganizations(customers.Select(c => new KeyValuePair<string, string>(c.Id.ToString("D"), c.DisplayName)), DateTimeOffset.UtcNow);
        }

        var organizations = mappings.GetOrganizations()
            .Where(o => o.Status == OrganizationMappingStatus.Mapped)
            .Where(o => organizationFilter is null || organizationFilter.Contains(o.OrganizationId, StringComparer.OrdinalIgnoreCase))
            .Where(o => customers.Any(c => c.Id.ToString("D") == o.OrganizationId))
            .ToList();
        var inputs = new List<OrganizationInput>();
        foreach (var (organization, index) in organizations.Select((o, i) => (o, i)))
        {
            progress.Report(new SyncProgress("Reading Cumulus", organization.Name, index * 100 / Math.Max(1, organizations.Count)));
            var customerId = Guid.Parse(organization.OrganizationId);
            var subscriptions = await cumulus.GetSubscriptionsAsync(customerId, cancellationToken).ConfigureAwait(false);
            inputs.Add(new OrganizationInput
            {
                Mapping = organization,
                Subscriptions = subscriptions,
                Charges = payable.Charges.Where(c => ChargeAttribution.Attribute(c, customers).Customer?.Id == customerId).ToList(),
                ChargeFlags = mappings.GetChargeSyncFlags(organization.OrganizationId),
            });
        }

        var seen = inputs.SelectMany(i => i.Subscriptions.Select(s => (s.Sku, s.ProductName)))
            .Concat(payable.Charges.Where(c => !string.IsNullOrWhiteSpace(c.Sku)).Select(c => (Sku: c.Sku!, ProductName: c.ProductName ?? c.Sku!)))
            .GroupBy(p => p.Sku.Trim(), StringComparer.OrdinalIgnoreCase)
            .Select(g => new KeyValuePair<string, string>(g.Key, g.First().ProductName))
            .ToList();
        progress.Report(new SyncProgress("Reading HaloPSA", "Items", -1));
        var items = await halo.GetItemsAsync(true, cancellationToken).ConfigureAwait(false);
        if (!planOnly)
        {
            // -WhatIf writes nothing to the state database either.
            mappings.RecordSeenProducts(seen, DateTimeOffset.UtcNow);
            new HaloCatalogCache(store).ReplaceItems(items, DateTimeOffset.UtcNow);
        }
        var products = mappings.GetProducts();
        if (planOnly)
        {
            // Not recorded by -WhatIf, but a real run would have: plan with them as the run would.
            var known = new HashSet<string>(products.Select(p => p.Sku), StringComparer.OrdinalIgnoreCase);
            products.AddRange(seen.Where(p => !known.Contains(p.Key)).Select(p => new ProductMapping { Sku = p.Key, ProductName = p.Value }));
        }

        if (settings.MappingMode == MappingMode.Automatic)
        {
            // Map updates the products in place, so the plan sees the automatic mappings even when -WhatIf saves none.
            progress.Report(new SyncProgress("Automatic mapping", "Matching SKUs", -1));
            foreach (var result in AutomaticMapper.Map(products, items.ToList()).Where(r => r.Changed && !planOnly))
            {
                mappings.SaveProduct(result.Product, DateTimeOffset.UtcNow);
            }
        }

        var synced = new SyncedStateRepository(store);
        var input = new PlanInput
        {
            RunId = runId,
            AsOf = day,
            Now = DateTimeOffset.UtcNow,
            Settings = settings,
            Organizations = inputs,
            Products = products.ToDictionary(p => p.Sku.Trim(), StringComparer.OrdinalIgnoreCase),
            Items = items.ToDictionary(i => i.Id),
            Synced = synced.LoadSubscriptions(),
            SyncedChargeKeys = synced.LoadChargeKeys(),
        };
        return (input, inputs.Count);
    }

    private async Task ApplyAsync(SyncPlan plan, SyncConfiguration settings, DateTime day, EventLog log, SyncedStateRepository state, CancellationToken cancellationToken)
    {
        foreach (var action in plan.Actions)
        {
            action.Event.Status = SyncEventStatus.Pending;
        }

        // Events a failed or dead run left unfinished are planned again (the difference is still there):
        // the new event carries their attempts, and they are closed with it.
        var unfinished = log.Unfinished().ToLookup(e => (e.CumulusKey, e.Kind));
        foreach (var action in plan.Actions)
        {
            action.Earlier = unfinished[(action.Event.CumulusKey, action.Event.Kind)].ToList();
            action.Event.Attempts = action.Earlier.Select(e => e.Attempts).DefaultIfEmpty(0).Max();
        }

        log.Record(plan.Actions.Select(a => a.Event));
        var applier = new SyncApplier(halo, settings, day);
        var organizationActions = plan.Actions.Where(a => a.Organization is not null).ToList();
        IReadOnlyDictionary<string, int> licenceIds = new Dictionary<string, int>();
        IReadOnlyDictionary<int, HaloRecurringInvoice> invoices = new Dictionary<int, HaloRecurringInvoice>();
        var ready = organizationActions.Count == 0 || await ApplyAndRecordAsync(organizationActions, log, async () =>
        {
            progress.Report(new SyncProgress("Writing HaloPSA", "Subscriptions", 0));
            licenceIds = await applier.SaveLicencesAsync(organizationActions, cancellationToken).ConfigureAwait(false);
            if (organizationActions.Any(a => a.HasLine))
            {
                invoices = await applier.ReadInvoicesAsync(cancellationToken).ConfigureAwait(false);
            }
        }, recordSnapshot: null).ConfigureAwait(false);

        var byOrganization = ready ? organizationActions.GroupBy(a => a.Organization!.OrganizationId).ToList() : new();
        foreach (var (group, index) in byOrganization.Select((g, i) => (g, i)))
        {
            var organization = group.First().Organization!;
            progress.Report(new SyncProgress("Writing HaloPSA", organization.Name, index * 100 / Math.Max(1, byOrganization.Count)));
            await ApplyAndRecordAsync(group.ToList(), log, () => applier.SaveLinesAsync(organization, group.ToList(), licenceIds, invoices, cancellationToken),
                applied => state.RecordApplied(organization.OrganizationId, applied, day, DateTimeOffset.UtcNow)).ConfigureAwait(false);
        }

        var itemCosts = plan.Actions.Where(a => a.Event.Kind == SyncEventKind.UpdateItemCost).ToList();
        if (itemCosts.Count > 0)
        {
            await ApplyAndRecordAsync(itemCosts, log, () => applier.SaveItemCostsAsync(itemCosts, cancellationToken), _ => { }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a write for some actions; on success records the snapshot and marks them Success (a null
    /// <paramref name="recordSnapshot"/> means a shared first step: the actions stay Pending for their own step).
    /// On failure marks them Failed and reports each. Returns whether the write succeeded.
    /// </summary>
    private async Task<bool> ApplyAndRecordAsync(List<SyncAction> actions, EventLog log, Func<Task> write, Action<List<SyncAction>>? recordSnapshot)
    {
        try
        {
            if (recordSnapshot is not null)
            {
                foreach (var action in actions)
                {
                    action.Event.Attempts++;
                }
            }

            await write().ConfigureAwait(false);
            if (recordSnapshot is null)
            {
                return true;
            }

            recordSnapshot(actions);
            foreach (var action in actions)
            {
                action.Event.Status = SyncEventStatus.Success;
                log.Update(action.Event);
                foreach (var earlier in action.Earlier)
                {
                    earlier.Status = SyncEventStatus.Success;
                    earlier.HaloId = action.Event.HaloId;
                    earlier.InvoiceId = action.Event.InvoiceId;
                    log.Update(earlier);
                }
            }

            return true;
        }
        catch (HaloSyncException ex)
        {
            foreach (var action in actions)
            {
                action.Event.Attempts += recordSnapshot is null ? 1 : 0;
                action.Event.Status = SyncEventStatus.Failed;
                action.Event.Error = ex.Message;
                log.Update(action.Event);
                reportFailure(action.Event, ex);
            }

            return false;
        }
    }

    private static void Summarize(SyncSummary summary, SyncPlan plan)
    {
        foreach (var e in plan.Actions.Select(a => a.Event))
        {
            summary.Events.Add(e);
            if (e.Status == SyncEventStatus.Failed)
            {
                summary.Failed++;
                continue;
            }

            switch (e.Kind)
            {
                case SyncEventKind.CreateSubscription: summary.Created++; break;
                case SyncEventKind.ChangeQuantity:
                case SyncEventKind.UpdateCost: summary.Updated++; break;
                case SyncEventKind.CancelSubscription: summary.Cancelled++; break;
                case SyncEventKind.AddCharge: summary.Charges++; break;
                case SyncEventKind.UpdateItemCost: summary.ItemCostUpdates++; break;
            }
        }

        summary.ProRataEntries = plan.Actions.Count(a => a.ProRata is not null && a.Event.Status != SyncEventStatus.Failed);
    }
}
