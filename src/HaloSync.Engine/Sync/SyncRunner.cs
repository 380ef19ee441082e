using System;
using System.Globalization;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>
/// One sync run: lease, read Cumulus and HaloPSA, automatic mapping, plan (finishing what earlier runs left first),
/// read back what HaloPSA holds for the clients concerned (adoption, hand edits), and unless planning only, record
/// every event Pending, write, and commit each client's state with its events' outcome in one transaction.
/// </summary>
public sealed class SyncRunner
{
    private readonly ISyncStore state;
    private readonly IHaloBilling halo;
    private readonly ICumulusReader cumulus;
    private readonly IProgress<SyncProgress> progress;
    private readonly Action<SyncEvent, HaloSyncException> reportFailure;
    private readonly Action<string> verbose;
    private readonly Func<DateTimeOffset> clock;

    public SyncRunner(ISyncStore state, IHaloBilling halo, ICumulusReader cumulus, IProgress<SyncProgress> progress,
        Action<SyncEvent, HaloSyncException> reportFailure, Action<string>? verbose = null, Func<DateTimeOffset>? clock = null)
    {
        this.state = state;
        this.halo = halo;
        this.cumulus = cumulus;
        this.progress = progress;
        this.reportFailure = reportFailure;
        this.verbose = verbose ?? (_ => { });
        this.clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>How many organizations' subscriptions are read from Sherweb at once.</summary>
    public int MaxConcurrentCumulusReads { get; set; } = CumulusSubscriptionReader.DefaultConcurrency;

    /// <param name="organizationFilter">Cumulus organization ids to limit the run to, or null for all.</param>
    public async Task<SyncSummary> RunAsync(DateTime? asOf, IReadOnlyCollection<string>? organizationFilter, bool planOnly, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var settings = state.GetConfiguration();
        if (!settings.SyncEnabled && !planOnly)
        {
            throw new HaloSyncException("SyncDisabled", HaloSyncErrorKind.InvalidOperation,
                "Sync is turned off, so nothing was written. Review the mappings, then run Set-HaloSyncConfiguration -SyncEnabled $true " +
                "(Invoke-HaloSync -WhatIf shows what a run would do).");
        }

        var day = settings.Day(asOf, clock());
        var runId = clock().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
        var requestsBefore = halo.RequestsSent;
        using var lease = planOnly ? null : state.AcquireLease(runId, clock);
        // A run that lost its lease (another run took it over) stops where it is: two runs must never write at once.
        using var whileLeased = lease is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        cancellationToken = whileLeased?.Token ?? cancellationToken;
        if (!planOnly)
        {
            var abandoned = state.AbandonDeadRuns(runId, clock());
            if (abandoned > 0)
            {
                verbose($"{abandoned} earlier run(s) died before finishing; this run finishes their events.");
            }

            state.StartRun(runId, day, clock());
        }

        var summary = new SyncSummary { RunId = runId, AsOf = day, WhatIf = planOnly };
        verbose($"Run {runId}{(planOnly ? " (plan only: nothing is written)" : string.Empty)} as of {Date(day)} in {settings.TimeZone}: invoice day {settings.InvoiceDay}, " +
            $"{settings.BillingMethod}, proration {(settings.Proration ? "on" : "off")}, {settings.MappingMode} mapping, cost basis {settings.CostBasis}.");
        try
        {
            var (input, processed, warnings) = await ReadAsync(runId, day, settings, organizationFilter, planOnly, cancellationToken).ConfigureAwait(false);
            summary.Warnings.AddRange(warnings);
            var reader = new HaloReader(halo);
            var tenant = await FindUnrecordedAsync(reader, input, cancellationToken).ConfigureAwait(false);
            if (tenant is not null)
            {
                input = tenant.Value.Input;
            }

            var phase = Stopwatch.StartNew();
            Phase("Planning", $"{processed.Count} organization(s); {input.Unfinished.Count} unfinished event(s) of earlier runs taken up first", -1);
            var plan = SyncPlanner.Plan(input);
            verbose($"Planned {plan.Actions.Count} event(s) ({Took(phase)}).");
            var records = Records(plan, processed);
            var fullCheck = IsHandEditCheckDue(settings);
            if (!fullCheck)
            {
                // Between hand-edit checks only the clients this run changes (or syncs for the first time) are read back.
                var due = new HashSet<int>(processed.Where(o => o.FirstSyncedOn is null).Select(o => o.HaloClientId!.Value));
                records = records.Where(r => due.Contains(r.Key) || r.Value.Any(k => k.Actions.Count > 0)).ToDictionary(r => r.Key, r => r.Value);
                verbose($"Hand edits are checked every {settings.HandEditCheckHours} hour(s), last at {state.LastHandEditCheck():u}: " +
                    $"only the {records.Count} client(s) this run changes are read back.");
            }

            var links = state.LoadLinks();
            var reconciler = new HaloReconciler(settings, day, links);
            Phase("Reading HaloPSA", $"Subscriptions and recurring invoices of {records.Count} client(s), to find HaloSync's records and hand edits", -1);
            phase.Restart();
            var views = tenant is { } whole
                ? Views(records.Keys.ToList(), whole.Licences, whole.Invoices)
                : await ReadViewsAsync(reader, records.Keys.ToList(), cancellationToken).ConfigureAwait(false);
            verbose($"HaloPSA: read the subscriptions and recurring invoices of {records.Count} client(s) ({Took(phase)}).");
            phase.Restart();
            var clientNames = processed.Where(o => o.HaloClientId is not null).GroupBy(o => o.HaloClientId!.Value)
                .ToDictionary(g => g.Key, g => g.First().HaloClientName ?? $"HaloPSA client {g.Key}");
            foreach (var pair in records)
            {
                reconciler.Match(pair.Value, views[pair.Key], record => state.LoadWrittenProRata(record.ClientId, record.CumulusKey));
                plan.Warnings.AddRange(views[pair.Key].BillingConcerns(clientNames.TryGetValue(pair.Key, out var name) ? name : $"HaloPSA client {pair.Key}",
                    links.Find(pair.Key, HaloKeys.InvoiceLinkKey, HaloEntity.RecurringInvoice)));
            }

            var reviewed = reconciler.Review(records.Values.SelectMany(r => r), record => DriftEvent(input, record, processed));
            plan.Actions.AddRange(reviewed);
            verbose($"Compared {records.Values.Sum(r => r.Count)} kept record(s) with HaloPSA: {plan.Actions.Count(a => a.Event.Kind == SyncEventKind.Adopt)} adopted, " +
                $"{reviewed.Count} changed by hand ({Took(phase)}).");
            foreach (var skipped in plan.Skipped)
            {
                verbose("Skipped: " + skipped);
            }

            foreach (var action in plan.Actions)
            {
                verbose((planOnly ? "Would write: " : "To write: ") + Describe(action.Event));
            }

            verbose($"Planned {plan.Actions.Count} event(s); {plan.SkippedUnmapped} subscription(s) or charge(s) skipped.");
            summary.Organizations = processed.Count;
            summary.SkippedUnmapped = plan.SkippedUnmapped;
            summary.SkippedReservedInstances.AddRange(plan.SkippedReservedInstances);
            summary.Warnings.AddRange(plan.Warnings);
            if (!planOnly)
            {
                await ApplyAsync(plan, records, views, reconciler, reader, links, input.Synced, day, processed, cancellationToken).ConfigureAwait(false);
            }

            Summarize(summary, plan);
            summary.Advice.AddRange(SyncAdvice.For(summary, state.GetOrganizations(), input.Products.Values, organizationFilter is not null));
            summary.HaloPsaRequests = halo.RequestsSent - requestsBefore;
            summary.Duration = watch.Elapsed;
            verbose(summary.ToString());
            if (!planOnly)
            {
                if (fullCheck)
                {
                    state.SaveHandEditCheck(clock());
                }

                if (plan.ListedEmptySince.Count > 0)
                {
                    state.SaveListedEmpty(plan.ListedEmptySince);
                }

                state.FinishRun(runId, summary.Failed == 0 ? "Completed" : "CompletedWithFailures", Newtonsoft.Json.JsonConvert.SerializeObject(summary), clock());
            }

            return summary;
        }
        catch (OperationCanceledException) when (lease?.Lost.IsCancellationRequested == true)
        {
            throw new HaloSyncException("SyncLeaseLost", HaloSyncErrorKind.ResourceUnavailable,
                $"This run ({runId}) lost its lease on the state file to another run: it could not renew it for {RunLease.Duration.TotalMinutes:0} minutes " +
                "(the machine was suspended, the process starved, or the clock jumped), and stopped writing at once. The run that holds the lease " +
                "finishes the work; Get-HaloSyncLog shows both.");
        }
        catch (Exception ex) when (!planOnly && ex is not OperationCanceledException)
        {
            state.FinishRun(runId, "Failed", Newtonsoft.Json.JsonConvert.SerializeObject(new { error = ex.Message }), clock());
            throw;
        }
    }

    /// <returns>The planner's input, the organizations it syncs, and warnings: each mapped organization Sherweb no longer lists, each automatic mapping kept through a tie.</returns>
    private async Task<(PlanInput Input, List<OrganizationMapping> Processed, List<string> Warnings)> ReadAsync(string runId, DateTime day, SyncConfiguration settings,
        IReadOnlyCollection<string>? organizationFilter, bool planOnly, CancellationToken cancellationToken)
    {
        Phase("Reading Cumulus", "Customers and payable charges", 0);
        var customers = await cumulus.GetCustomersAsync(cancellationToken).ConfigureAwait(false);
        var payable = await cumulus.GetPayableChargesAsync(day, cancellationToken).ConfigureAwait(false);
        var warningsOfReads = new List<string>();
        // The period just closed too: a one-off charge Sherweb listed in its last hours, or whose product was mapped after
        // it closed, is billed by a run in the next period (each charge still once, by its key).
        var closed = await ClosedPeriodChargesAsync(payable, warningsOfReads, cancellationToken).ConfigureAwait(false);
        verbose(FormattableString.Invariant($"Sherweb: {customers.Count} customer(s); {payable.Charges.Count} payable charge(s) for {payable.PeriodFrom:yyyy-MM-dd} to {payable.PeriodTo:yyyy-MM-dd}, ") +
                FormattableString.Invariant($"{closed.Charges.Count(c => c.IsOneOff)} one-off charge(s) for {closed.PeriodFrom:yyyy-MM-dd} to {closed.PeriodTo:yyyy-MM-dd}."));
        if (!planOnly)
        {
            state.RecordSeenOrganizations(customers.Select(c => new KeyValuePair<string, string>(c.Id.ToString("D"), c.DisplayName)), clock());
        }

        var customerIds = new HashSet<string>(customers.Select(c => c.Id.ToString("D")), StringComparer.OrdinalIgnoreCase);
        var knownOrganizations = state.GetOrganizations();
        var unlisted = knownOrganizations.Where(o => o.Status == OrganizationMappingStatus.Mapped && !customerIds.Contains(o.OrganizationId)).ToList();
        var organizations = knownOrganizations
            .Where(o => o.Status == OrganizationMappingStatus.Mapped)
            .Where(o => organizationFilter is null || organizationFilter.Contains(o.OrganizationId, StringComparer.OrdinalIgnoreCase))
            .Where(o => customerIds.Contains(o.OrganizationId))
            .ToList();
        verbose($"Organizations: {organizations.Count} to sync" + (organizationFilter is null ? string.Empty : $" (of the {organizationFilter.Count} asked for)") +
            $"; not synced: {knownOrganizations.Count(o => o.Status == OrganizationMappingStatus.Unmapped)} unmapped, " +
            $"{knownOrganizations.Count(o => o.Status == OrganizationMappingStatus.Disabled)} with sync off, " +
            $"{unlisted.Count} mapped but no longer listed by Sherweb.");
        var warnings = unlisted
            .Where(o => organizationFilter is null || organizationFilter.Contains(o.OrganizationId, StringComparer.OrdinalIgnoreCase))
            .Select(o => $"{o.Name} ({o.OrganizationId}): mapped to HaloPSA client {o.HaloClientId}, but Sherweb no longer lists this customer. " +
                         "Its HaloPSA subscriptions and lines were left as they are (still billing): if the customer has left, end them in HaloPSA " +
                         "and remove the mapping with Remove-HaloOrgMapping.")
            .Concat(warningsOfReads)
            .ToList();
        var attributed = ChargeAttribution.ByCustomer(payable.Charges, customers);
        var attributedClosed = ChargeAttribution.ByCustomer(closed.Charges.Where(c => c.IsOneOff).ToList(), customers);
        var phase = Stopwatch.StartNew();
        var subscriptions = await CumulusSubscriptionReader.ReadAsync(cumulus, organizations, MaxConcurrentCumulusReads, progress, cancellationToken, verbose).ConfigureAwait(false);
        verbose($"Sherweb: read the subscriptions of {organizations.Count} mapped organization(s), {MaxConcurrentCumulusReads} at a time ({Took(phase)}).");
        var inputs = organizations.Select((organization, index) => new OrganizationInput
        {
            Mapping = organization,
            Subscriptions = subscriptions[index],
            Charges = ChargesOf(organization),
            ChargeFlags = state.GetChargeSyncFlags(organization.OrganizationId),
        }).ToList();

        // A closed period's charges are HaloSync's to bill only for an organization it synced before that period ended; one
        // Sherweb lists in both periods is the current period's.
        List<PayableCharge> ChargesOf(OrganizationMapping organization)
        {
            var id = Guid.Parse(organization.OrganizationId);
            var current = attributed.TryGetValue(id, out var charges) ? charges : new List<PayableCharge>();
            if (organization.FirstSyncedOn is not { } first || first > closed.PeriodTo.Date || !attributedClosed.TryGetValue(id, out var late))
            {
                return current;
            }

            var listedNow = new HashSet<string>(current.Select(c => ChargeIdentity.Of(c, organization.OrganizationId).Key), StringComparer.Ordinal);
            return late.Where(c => !listedNow.Contains(ChargeIdentity.Of(c, organization.OrganizationId).Key)).Concat(current).ToList();
        }

        var seen = inputs.SelectMany(i => i.Subscriptions.Select(s => (s.Sku, s.ProductName)))
            .Concat(payable.Charges.Concat(closed.Charges.Where(c => c.IsOneOff)).Where(c => !string.IsNullOrWhiteSpace(c.Sku)).Select(c => (Sku: c.Sku!, ProductName: c.ProductName ?? c.Sku!)))
            .GroupBy(p => p.Sku.Trim(), StringComparer.OrdinalIgnoreCase)
            .Select(g => new KeyValuePair<string, string>(g.Key, g.First().ProductName))
            .ToList();
        Phase("Reading HaloPSA", "Items (prices and costs)", -1);
        phase.Restart();
        var items = await halo.GetItemsAsync(true, cancellationToken).ConfigureAwait(false);
        verbose($"HaloPSA: read {items.Count} item(s) ({Took(phase)}).");
        if (!planOnly)
        {
            // -WhatIf writes nothing to the state database either.
            state.RecordSeenProducts(seen, clock());
            state.ReplaceItems(items, clock());
        }

        var products = state.GetProducts();
        if (planOnly)
        {
            // Not recorded by -WhatIf, but a real run would have: plan with them as the run would.
            var known = new HashSet<string>(products.Select(p => p.Sku), StringComparer.OrdinalIgnoreCase);
            products.AddRange(seen.Where(p => !known.Contains(p.Key)).Select(p => new ProductMapping { Sku = p.Key, ProductName = p.Value }));
        }

        if (settings.MappingMode == MappingMode.Automatic)
        {
            Phase("Automatic mapping", "Matching SKUs with the HaloPSA items' supplier SKUs", -1);
            var results = AutomaticMapper.Map(products, items.ToList());
            foreach (var result in results.Where(r => r.Changed))
            {
                verbose($"Automatic mapping: {result.Sku}: {result.Message}");
                if (!planOnly)
                {
                    state.SaveProduct(result.Product, clock());
                }
            }

            warnings.AddRange(results.Where(r => r.Outcome == AutoMappingOutcome.Ambiguous && r.HaloItemId is not null).Select(r => $"Automatic mapping: {r.Sku}: {r.Message}"));

            // The plan sees the automatic mappings even when -WhatIf saves none.
            products = results.Select(r => r.Product).ToList();
        }

        verbose($"Products: {products.Count(p => p.Status is ProductMappingStatus.Mapped or ProductMappingStatus.AutoMapped)} mapped with sync on; " +
            $"{products.Count(p => p.Status == ProductMappingStatus.Unmapped)} unmapped, {products.Count(p => p.Status == ProductMappingStatus.Disabled)} with sync off, " +
            $"{products.Count(p => p.Status == ProductMappingStatus.Error)} in Error: not synced.");

        var input = new PlanInput
        {
            RunId = runId,
            AsOf = day,
            Now = clock(),
            Settings = settings,
            Organizations = inputs,
            Products = products.GroupBy(p => p.Sku.Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase),
            Items = items.ToDictionary(i => i.Id),
            Synced = state.LoadSnapshot(),
            SyncedChargeKeys = state.LoadChargeKeys(),
            ChargesToInvoice = state.LoadChargesToInvoice(day),
            ListedEmptySince = state.LoadListedEmpty(),
            Unfinished = state.Unfinished(),
        };
        return (input, organizations, warnings);
    }

    /// <summary>
    /// The one-off charges of Sherweb's period just closed (listed late in it). A read of it that fails costs only those:
    /// the run goes on without them, says so, and a later run in the period reads them again.
    /// </summary>
    private async Task<PayableCharges> ClosedPeriodChargesAsync(PayableCharges current, List<string> warnings, CancellationToken cancellationToken)
    {
        try
        {
            return await cumulus.GetPayableChargesAsync(current.PeriodFrom.AddDays(-1), cancellationToken).ConfigureAwait(false);
        }
        catch (HaloSyncException ex)
        {
            warnings.Add(FormattableString.Invariant($"Sherweb's billing period before {current.PeriodFrom:yyyy-MM-dd} could not be read ({ex.Message}); ") +
                         "one-off charges it listed late are added by a later run that reads it.");
            return new PayableCharges { PeriodFrom = current.PeriodFrom, PeriodTo = current.PeriodFrom.AddDays(-1) };
        }
    }

    /// <summary>The plan's kept records by client; every client of a processed organization is there, even with nothing to keep.</summary>
    private static Dictionary<int, List<KeptRecord>> Records(SyncPlan plan, IEnumerable<OrganizationMapping> processed)
    {
        var actions = plan.Actions.Where(a => a.Event.Entity != HaloEntity.Item).ToLookup(a => (a.HaloClientId, a.CumulusKey));
        var records = processed.Select(o => o.HaloClientId!.Value).Distinct().ToDictionary(c => c, _ => new List<KeptRecord>());
        foreach (var row in plan.Subscriptions)
        {
            Add(records, new KeptRecord(row, actions[(row.HaloClientId, row.CumulusKey)]));
        }

        foreach (var charge in plan.Charges)
        {
            Add(records, new KeptRecord(charge, actions[(charge.HaloClientId, charge.CumulusKey)]));
        }

        return records;

        static void Add(Dictionary<int, List<KeptRecord>> records, KeptRecord record)
        {
            if (!records.TryGetValue(record.ClientId, out var list))
            {
                records[record.ClientId] = list = new List<KeptRecord>();
            }

            list.Add(record);
        }
    }

    private static async Task<Dictionary<int, HaloClientView>> ReadViewsAsync(HaloReader reader, List<int> clients, CancellationToken cancellationToken)
    {
        var licences = await reader.LicencesAsync(clients, cancellationToken).ConfigureAwait(false);
        var invoices = await reader.InvoicesAsync(clients, cancellationToken).ConfigureAwait(false);
        return clients.ToDictionary(c => c, c => new HaloClientView(c, licences[c], invoices[c]));
    }

    private static Dictionary<int, HaloClientView> Views(List<int> clients, IReadOnlyList<HaloLicence> licences, IReadOnlyList<HaloRecurringInvoice> invoices)
    {
        var (byClient, invoicesByClient) = (HaloReader.Group(clients, licences, l => l.ClientId), HaloReader.Group(clients, invoices, i => i.ClientId));
        return clients.ToDictionary(c => c, c => new HaloClientView(c, byClient[c], invoicesByClient[c]));
    }

    /// <summary>
    /// When an organization syncs for the first time with nothing in the state file, reads the tenant's whole lists (which then
    /// serve as the run's read-back, nothing being written before it) and gives the planner HaloSync's records found on
    /// clients the organization is not mapped to; null when no organization does.
    /// </summary>
    private async Task<(PlanInput Input, IReadOnlyList<HaloLicence> Licences, IReadOnlyList<HaloRecurringInvoice> Invoices)?> FindUnrecordedAsync(HaloReader reader,
        PlanInput input, CancellationToken cancellationToken)
    {
        if (!UnrecordedRecords.Sought(input))
        {
            return null;
        }

        Phase("Reading HaloPSA", "Every subscription and recurring invoice, for HaloSync's records of organizations at their first sync on other clients", -1);
        var phase = Stopwatch.StartNew();
        var licences = await reader.AllLicencesAsync(cancellationToken).ConfigureAwait(false);
        var invoices = await reader.AllInvoicesAsync(cancellationToken).ConfigureAwait(false);
        var (subscriptions, charges) = UnrecordedRecords.Find(input, licences, invoices);
        verbose($"HaloPSA: read {licences.Count} subscription(s) and {invoices.Count} recurring invoice(s) ({Took(phase)}); " +
            $"{subscriptions.Count} active subscription(s) and {charges.Count} charge(s) of HaloSync's found on clients their organization is not mapped to.");
        return (input with { UnrecordedSubscriptions = subscriptions, UnrecordedCharges = charges }, licences, invoices);
    }

    private static SyncEvent DriftEvent(PlanInput input, KeptRecord record, IEnumerable<OrganizationMapping> processed)
    {
        var organization = processed.FirstOrDefault(o => o.OrganizationId == record.OrganizationId);
        var subscription = record.Subscription;
        return new SyncEvent
        {
            RunId = input.RunId,
            CreatedAt = input.Now,
            OrganizationId = record.OrganizationId,
            OrganizationName = organization?.Name,
            HaloClientId = record.ClientId,
            Sku = subscription?.Sku ?? record.Charge!.Sku,
            ProductName = subscription?.ProductName,
            Entity = subscription is null ? HaloEntity.RecurringInvoice : HaloEntity.SoftwareLicence,
            CumulusKey = record.CumulusKey,
            HaloItemId = subscription?.HaloItemId ?? record.Charge!.HaloItemId,
            BillingCycle = subscription?.BillingCycle,
            UnitPrice = subscription?.UnitPrice ?? record.Charge!.UnitPrice,
            UnitCost = subscription?.UnitCost ?? record.Charge!.UnitCost,
            EffectiveDate = input.AsOf,
            Status = SyncEventStatus.Planned,
        };
    }

    private async Task ApplyAsync(SyncPlan plan, Dictionary<int, List<KeptRecord>> records, Dictionary<int, HaloClientView> views, HaloReconciler reconciler,
        HaloReader reader, HaloLinks links, IReadOnlyList<SyncedSubscription> synced, DateTime day, List<OrganizationMapping> processed, CancellationToken cancellationToken)
    {
        foreach (var action in plan.Actions)
        {
            action.Event.Status = SyncEventStatus.Pending;
        }

        state.Record(plan.Actions.Select(a => a.Event));
        foreach (var superseded in plan.Superseded)
        {
            superseded.Status = SyncEventStatus.Superseded;
        }

        state.SaveOutcomes(plan.Superseded);
        Phase("Writing HaloPSA", $"Subscriptions and recurring invoices of {records.Count(r => r.Value.Any(k => k.Actions.Any()))} client(s)", 0);
        var phase = Stopwatch.StartNew();
        var applier = new SyncApplier(halo, reconciler, reader, verbose);
        await applier.ApplyAsync(records, views, cancellationToken).ConfigureAwait(false);
        verbose($"HaloPSA: wrote the subscriptions and recurring invoices ({Took(phase)}).");
        phase.Restart();
        var organizationsByClient = processed.ToLookup(o => o.HaloClientId!.Value);
        var snapshot = synced.ToDictionary(s => s.Slot);
        var outcomes = new List<ClientOutcome>();

        foreach (var pair in records)
        {
            var (client, kept) = (pair.Key, pair.Value);
            foreach (var e in kept.SelectMany(r => r.Actions).Select(a => a.Event))
            {
                e.Attempts++;
            }

            var failed = kept.Where(r => applier.FailureOf(r) is not null).ToList();
            var failedEvents = failed.SelectMany(r => r.Actions.Select(a => (Event: a.Event, Error: applier.FailureOf(r)!))).ToList();
            foreach (var (e, error) in failedEvents)
            {
                e.Status = SyncEventStatus.Failed;
                e.Error = error.Message;
            }

            state.SaveOutcomes(failedEvents.Select(f => f.Event));
            foreach (var (e, error) in failedEvents)
            {
                reportFailure(e, error);
            }

            // What succeeded commits with its events; an organization's first sync is done once any of it is in HaloPSA.
            var succeeded = kept.Except(failed).ToList();
            if (kept.Any(r => r.Actions.Any()))
            {
                verbose($"HaloPSA client {client}: {succeeded.Sum(r => r.Actions.Count())} event(s) written, {failedEvents.Count} failed.");
            }

            var organizations = organizationsByClient[client].Where(o => o.FirstSyncedOn is null).Select(o => o.OrganizationId)
                .Where(o => succeeded.Any(r => r.OrganizationId == o) || (failed.Count == 0 && !applier.InvoiceFailed(client)));
            var outcome = Outcome(client, succeeded, views[client], organizations, snapshot, links);
            if (outcome.Subscriptions.Count + outcome.Charges.Count + outcome.Links.Count + outcome.Organizations.Count + outcome.Events.Count > 0)
            {
                outcomes.Add(outcome);
            }
        }

        cancellationToken.ThrowIfCancellationRequested(); // the lease was lost while writing: the holder's run commits what it finds
        state.CommitClients(outcomes, day, clock());
        verbose($"Recorded {outcomes.Count} client(s)' new state and their events ({Took(phase)}).");

        var itemCosts = plan.Actions.Where(a => a.Event.Kind == SyncEventKind.UpdateItemCost).ToList();
        if (itemCosts.Count > 0)
        {
            Phase("Writing HaloPSA", $"Costs of {itemCosts.Count} item(s)", 90);
            var failure = await applier.ApplyItemCostsAsync(itemCosts, cancellationToken).ConfigureAwait(false);
            foreach (var e in itemCosts.Select(a => a.Event))
            {
                e.Attempts++;
                e.Status = failure is null ? SyncEventStatus.Success : SyncEventStatus.Failed;
                e.Error = failure?.Message;
            }

            state.SaveOutcomes(itemCosts.Select(a => a.Event));
            if (failure is not null)
            {
                foreach (var e in itemCosts.Select(a => a.Event))
                {
                    reportFailure(e, failure);
                }
            }
        }
    }

    /// <summary>
    /// What a client's successful writes leave that the state does not hold yet: changed targets, new ids, a first-sync
    /// date, and its events as Success (a run that changed nothing commits nothing).
    /// </summary>
    private static ClientOutcome Outcome(int client, List<KeptRecord> kept, HaloClientView view, IEnumerable<string> organizations,
        IReadOnlyDictionary<SubscriptionSlot, SyncedSubscription> snapshot, HaloLinks links)
    {
        var outcome = new ClientOutcome { ClientId = client };
        var lineIds = new HashSet<int>(kept.Where(r => r.Line is not null).Select(r => r.Line!.Id));
        var invoice = view.Invoices.FirstOrDefault(i => i.Lines?.Any(l => lineIds.Contains(l.Id)) == true);
        foreach (var record in kept)
        {
            if (record.Subscription is { } row && !(snapshot.TryGetValue(row.Slot, out var synced) && synced == row))
            {
                outcome.Subscriptions.Add(row);
            }

            if (record.Charge is { } charge)
            {
                // HaloPSA's line says until when it bills: the window a write on an invoice day chose, or an adopted line's own.
                outcome.Charges.Add(record.Line?.EndDate is { } end ? charge with { LineEnd = end.Date } : charge);
            }

            if (record.Licence is { } licence && links.Find(client, record.CumulusKey, HaloEntity.SoftwareLicence) != licence.Id)
            {
                outcome.Links.Add((record.CumulusKey, HaloEntity.SoftwareLicence, licence.Id, null));
            }

            if (record.Line is { } line && invoice is not null && links.Find(client, record.CumulusKey, HaloEntity.InvoiceLine) != line.Id)
            {
                outcome.Links.Add((record.CumulusKey, HaloEntity.InvoiceLine, line.Id, invoice.Id));
            }

            foreach (var e in record.Actions.Select(a => a.Event))
            {
                if (e.ProRataToWrite is { } written)
                {
                    (e.ProRata, e.Detail, e.ProRataToWrite) = (written.Entry, written.Detail, null);
                }

                e.Status = SyncEventStatus.Success;
                e.Error = null;
                e.HaloId = record.Charge is not null ? invoice?.Id : record.Licence?.Id;
                e.InvoiceId = record.Line is null ? null : invoice?.Id;
                outcome.Events.Add(e);
            }
        }

        if (invoice is not null && links.Find(client, HaloKeys.InvoiceLinkKey, HaloEntity.RecurringInvoice) != invoice.Id)
        {
            outcome.Links.Add((HaloKeys.InvoiceLinkKey, HaloEntity.RecurringInvoice, invoice.Id, null));
        }

        outcome.Organizations.UnionWith(organizations);

        return outcome;
    }

    /// <summary>Every run reads back all it keeps, unless hand edits are checked every N hours and the last check is younger.</summary>
    private bool IsHandEditCheckDue(SyncConfiguration settings)
        => settings.HandEditCheckHours == 0
           || state.LastHandEditCheck() is not { } last
           || clock() - last >= TimeSpan.FromHours(settings.HandEditCheckHours);

    private static string Took(Stopwatch watch) => watch.Elapsed.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + " s";

    /// <summary>A phase of the run: its progress bar, and a verbose line.</summary>
    private void Phase(string phase, string status, int percent)
    {
        progress.Report(new SyncProgress(phase, status, percent));
        verbose($"{phase}: {status}.");
    }

    /// <summary>One event in words for -Verbose: who, what, the quantities, the date, and why.</summary>
    private static string Describe(SyncEvent e)
    {
        var who = e.OrganizationName is null ? e.ProductName ?? e.Sku : $"{e.OrganizationName}, {e.ProductName ?? e.Sku} ({e.Sku})";
        var quantity = e.QuantityBefore is null && e.QuantityAfter is null ? string.Empty : $" {Quantity(e.QuantityBefore)} -> {Quantity(e.QuantityAfter)}";
        var client = e.HaloClientId is null ? string.Empty : $" on HaloPSA client {e.HaloClientId}";
        var date = e.EffectiveDate is null ? string.Empty : $" from {Date(e.EffectiveDate.Value)}";
        return $"{who}: {e.Kind}{quantity}{date}{client}" + (string.IsNullOrEmpty(e.Detail) ? "." : $": {e.Detail}");
    }

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Quantity(decimal? value) => (value ?? 0m).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);

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
                case SyncEventKind.Adopt: summary.Adopted++; break;
                case SyncEventKind.ChangeQuantity:
                case SyncEventKind.UpdateCost:
                case SyncEventKind.UpdatePrice:
                case SyncEventKind.UpdateTerm:
                case SyncEventKind.ChangeItem: summary.Updated++; break;
                case SyncEventKind.CancelSubscription: summary.Cancelled++; break;
                case SyncEventKind.EndOnOldClient: summary.EndedOnOldClient++; break;
                case SyncEventKind.RevertDrift: summary.DriftReverted++; break;
                case SyncEventKind.AddCharge: summary.Charges++; break;
                case SyncEventKind.UpdateItemCost: summary.ItemCostUpdates++; break;
            }
        }

        summary.ProRataEntries = plan.Actions.Count(a => a.Event.ProRata is not null && a.Event.Status != SyncEventStatus.Failed);
    }
}
