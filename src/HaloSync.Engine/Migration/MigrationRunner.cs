using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Http;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Migration;

/// <summary>
/// Start-HaloMigration for one organization: reads its client's subscriptions and recurring invoices (two list reads),
/// compares legacy records with HaloSync's, and on a cutover ends what the comparison allows. Every cutover write is an
/// event (Pending before it is sent); its values are absolute (inactive, an end date, disabled), so a second cutover
/// finds nothing left to write. A write whose answer is lost is looked up before anything is sent again.
/// </summary>
public sealed class MigrationRunner
{
    private const int MaxRounds = 3;
    private readonly StateStore store;
    private readonly MigrationState state;
    private readonly IHaloCutoverClient halo;
    private readonly Action<SyncEvent, HaloSyncException> reportFailure;
    private readonly Action<string> verbose;
    private readonly Func<DateTimeOffset> clock;
    private readonly int requestsBefore;

    public MigrationRunner(StateStore store, IHaloCutoverClient halo, Action<SyncEvent, HaloSyncException> reportFailure, Action<string>? verbose = null,
        Func<DateTimeOffset>? clock = null)
    {
        this.store = store;
        state = new MigrationState(store);
        this.halo = halo;
        this.reportFailure = reportFailure;
        this.verbose = verbose ?? (_ => { });
        this.clock = clock ?? (() => DateTimeOffset.UtcNow);
        requestsBefore = halo.RequestsSent;
    }

    /// <param name="asOf">The date treated as today (default: today in the configured time zone).</param>
    /// <param name="removeInvoices">A cutover deletes the legacy recurring invoices instead of ending them.</param>
    public async Task<MigrationReview> ReviewAsync(OrganizationMapping organization, DateTime? asOf, bool removeInvoices, CancellationToken cancellationToken)
    {
        if (organization.HaloClientId is not { } client)
        {
            throw NotMapped(organization);
        }

        var settings = store.GetConfiguration();
        var day = settings.Day(asOf, clock());
        var licences = await halo.GetLicencesAsync(client, true, cancellationToken).ConfigureAwait(false);
        var invoices = await halo.GetRecurringInvoicesAsync(client, true, cancellationToken).ConfigureAwait(false);
        var records = LegacyRecords.Classify(client, licences, invoices, new SyncState(store).LoadLinks(), day);
        var review = MigrationReview.Compare(organization, records, day, removeInvoices, settings.BillingMethod);
        review.Migrated = state.Find(organization.OrganizationId, client);
        verbose($"HaloPSA client {client} on {Date(day)}: HaloSync's {records.HaloSyncLicences.Count} subscription(s) and {records.HaloSyncLines.Count} line(s); " +
                $"legacy {records.LegacyLicences.Count} subscription(s) and {records.LegacyLines.Count} line(s) on {records.LegacyInvoices.Count} other recurring invoice(s); " +
                $"{records.OtherLinesOnHaloSyncInvoice.Count} line(s) added by hand to HaloSync's invoice left out.");
        return review;
    }

    public static HaloSyncException NotMapped(OrganizationMapping organization)
        => new("OrganizationNotMapped", HaloSyncErrorKind.InvalidOperation,
            $"'{organization.Name}' is not mapped to a HaloPSA client, so there is no client to compare. Map it with Set-HaloOrgMapping -Organization " +
            $"'{organization.Name}' -HaloClientName <client>, run Invoke-HaloSync, then Start-HaloMigration.");

    /// <summary>The review's summary with the HaloPSA requests this runner sent.</summary>
    public MigrationSummary Summary(MigrationReview review, MigrationOutcome outcome)
    {
        var summary = review.Summary(outcome);
        summary.HaloPsaRequests = halo.RequestsSent - requestsBefore;
        return summary;
    }

    /// <summary>
    /// Deactivates the matched legacy subscriptions and ends (or removes) the legacy recurring invoices the review found,
    /// and records the cutover once every write succeeded. A refused review is an error and writes nothing.
    /// </summary>
    public async Task<MigrationSummary> CutOverAsync(MigrationReview review, CancellationToken cancellationToken)
    {
        if (review.Refusal() is { } refusal)
        {
            throw refusal;
        }

        var client = review.ClientId;
        var runId = clock().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6);
        var earlier = state.Log.UnfinishedCutover(client);
        foreach (var e in earlier)
        {
            e.Status = SyncEventStatus.Superseded;
            e.Error = (e.Error is null ? string.Empty : e.Error + " ") + $"(Closed by cutover {runId}, which read HaloPSA again.)";
        }

        state.Finish(earlier, null);
        var licences = review.LicencesToDeactivate.Select(l => (Event: LicenceEvent(review, runId, l), Licence: l)).ToList();
        var invoices = review.InvoicesToEnd.Select(i => (Event: InvoiceEvent(review, runId, i), Invoice: i)).ToList();
        var events = licences.Select(l => l.Event).Concat(invoices.Select(i => i.Event)).ToList();
        state.Log.Record(events);

        var day = review.AsOf;
        var licenceOutcome = await ConvergeAsync("subscriptions", licences.Select(l => l.Licence).ToList(),
            (batch, token) => halo.SaveLicencesAsync(batch.Select(l => new HaloLicence { Id = l.Id, IsActive = false, Status = "Inactive", EndDate = day }), token),
            async token =>
            {
                var now = await halo.GetLicencesAsync(client, true, token).ConfigureAwait(false);
                return l => now.Any(found => found.Id == l.Id && LegacyRecords.IsActive(found));
            },
            cancellationToken).ConfigureAwait(false);
        var invoiceOutcome = await ConvergeAsync("recurring invoices", invoices.Select(i => i.Invoice).ToList(),
            (batch, token) => review.RemoveInvoices ? DeleteAsync(batch, token)
                : (Task)halo.SaveRecurringInvoicesAsync(batch.Select(i => new HaloRecurringInvoice { Id = i.Id, ClientId = client, Disabled = true, EndDate = day }), token),
            async token =>
            {
                var now = await halo.GetRecurringInvoicesAsync(client, false, token).ConfigureAwait(false);
                return i => now.Any(found => found.Id == i.Id && (review.RemoveInvoices || LegacyRecords.IsActive(found, day)));
            },
            cancellationToken).ConfigureAwait(false);

        Settle(licences.Select(l => l.Event), licenceOutcome);
        Settle(invoices.Select(i => i.Event), invoiceOutcome);
        var failed = events.Where(e => e.Status == SyncEventStatus.Failed).ToList();
        var finished = failed.Count > 0 || review.Migrated is not null ? null : new MigrationRecord
        {
            OrganizationId = review.Organization.OrganizationId,
            OrganizationName = review.Organization.Name,
            HaloClientId = client,
            CutoverOn = day,
            CompletedAt = clock(),
            RunId = runId,
            LegacyMonthlyTotal = review.LegacyMonthlyTotal,
            HaloSyncMonthlyTotal = review.HaloSyncMonthlyTotal,
            DeactivatedSubscriptions = licences.Count,
            EndedInvoices = review.RemoveInvoices ? 0 : invoices.Count,
            RemovedInvoices = review.RemoveInvoices ? invoices.Count : 0,
        };
        state.Finish(events, finished);
        foreach (var e in failed)
        {
            reportFailure(e, (e.Entity == HaloEntity.SoftwareLicence ? licenceOutcome : invoiceOutcome).Error!);
        }

        var summary = Summary(review, failed.Count > 0 ? MigrationOutcome.Failed : MigrationOutcome.CutOver);
        summary.RunId = runId;
        summary.Failed = failed.Count;
        summary.MigratedOn = (finished ?? review.Migrated)?.CutoverOn;
        return summary;
    }

    private async Task DeleteAsync(IReadOnlyList<HaloRecurringInvoice> invoices, CancellationToken cancellationToken)
    {
        foreach (var invoice in invoices)
        {
            try
            {
                await halo.DeleteRecurringInvoiceAsync(invoice.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (HaloSyncException ex) when (ex.Kind == HaloSyncErrorKind.NotFound)
            {
                verbose($"HaloPSA: recurring invoice {invoice.Id} was already gone.");
            }
        }
    }

    /// <summary>
    /// Sends the targets until HaloPSA holds them: after a lost answer the client is read back and only the targets still
    /// not done are sent again, at most <see cref="MaxRounds"/> times. Returns the error that stopped it, and the sends made.
    /// </summary>
    private async Task<(HaloSyncException? Error, int Sends)> ConvergeAsync<T>(string what, List<T> targets,
        Func<IReadOnlyList<T>, CancellationToken, Task> send, Func<CancellationToken, Task<Func<T, bool>>> readBack, CancellationToken cancellationToken)
    {
        var pending = targets;
        var sends = 0;
        for (var round = 1; pending.Count > 0; round++)
        {
            try
            {
                sends++;
                await send(pending, cancellationToken).ConfigureAwait(false);
                return (null, sends);
            }
            catch (HttpOutcomeUnknownException ex)
            {
                if (round == MaxRounds)
                {
                    return (new HaloSyncException("HaloPsaOutcomeUnknown", ex.Kind,
                        $"HaloPSA's answers to the cutover's {what} were lost {MaxRounds} times. Nothing was sent blind; run the cutover again: it reads " +
                        "HaloPSA and ends only what is still active.", ex), sends);
                }

                verbose($"HaloPSA: the answer to the cutover's {what} was lost ({ex.Message}); reading them back before sending anything again.");
                try
                {
                    var stillNeeded = await readBack(cancellationToken).ConfigureAwait(false);
                    pending = pending.Where(stillNeeded).ToList();
                }
                catch (HaloSyncException readFailed)
                {
                    return (new HaloSyncException("HaloPsaOutcomeUnknown", readFailed.Kind,
                        $"HaloPSA's answer to the cutover's {what} was lost and reading them back failed ({readFailed.Message}). Nothing was sent blind; " +
                        "run the cutover again: it reads HaloPSA and ends only what is still active.", readFailed), sends);
                }
            }
            catch (HaloSyncException ex)
            {
                return (ex, sends);
            }
        }

        return (null, sends);
    }

    private static void Settle(IEnumerable<SyncEvent> events, (HaloSyncException? Error, int Sends) outcome)
    {
        foreach (var e in events)
        {
            e.Attempts = outcome.Sends;
            e.Status = outcome.Error is null ? SyncEventStatus.Success : SyncEventStatus.Failed;
            e.Error = outcome.Error?.Message;
        }
    }

    private SyncEvent LicenceEvent(MigrationReview review, string runId, HaloLicence licence)
    {
        var replacement = review.Items.First(i => i.Record == MigrationRecordKind.Subscription && i.LegacyId == licence.Id).HaloSyncId;
        var e = NewEvent(review, runId, SyncEventKind.DeactivateLegacySubscription, HaloEntity.SoftwareLicence, licence.Id);
        e.Sku = licence.ProductSku;
        e.ProductName = licence.Name;
        e.HaloItemId = licence.ItemId;
        e.QuantityBefore = licence.Count;
        e.UnitPrice = licence.Price;
        e.UnitCost = licence.PurchasePrice;
        e.Detail = $"Legacy subscription '{licence.Name}' ({licence.Id}, {licence.Count} seats) set inactive with end date {Date(review.AsOf)}: " +
                   $"HaloSync's subscription {replacement} bills it.";
        return e;
    }

    private SyncEvent InvoiceEvent(MigrationReview review, string runId, HaloRecurringInvoice invoice)
    {
        var lines = review.Records.LegacyLines.Where(l => l.Invoice.Id == invoice.Id).ToList();
        var amount = review.Items.Where(i => i.LegacyInvoiceId == invoice.Id).Sum(i => i.LegacyMonthly ?? 0m);
        var e = NewEvent(review, runId, review.RemoveInvoices ? SyncEventKind.RemoveLegacyInvoice : SyncEventKind.EndLegacyInvoice, HaloEntity.RecurringInvoice, invoice.Id);
        e.InvoiceId = invoice.Id;
        e.ProductName = invoice.Reference;
        e.Detail = string.Format(CultureInfo.InvariantCulture, "Legacy recurring invoice {0} '{1}' ({2} active line(s), {3:0.00} per period) {4}: every line is billed by HaloSync's.",
            invoice.Id, invoice.Reference, lines.Count, amount, review.RemoveInvoices ? "deleted" : $"disabled with end date {Date(review.AsOf)}");
        return e;
    }

    private SyncEvent NewEvent(MigrationReview review, string runId, SyncEventKind kind, HaloEntity entity, int haloId) => new()
    {
        RunId = runId,
        CreatedAt = clock(),
        OrganizationId = review.Organization.OrganizationId,
        OrganizationName = review.Organization.Name,
        HaloClientId = review.ClientId,
        Kind = kind,
        Entity = entity,
        HaloId = haloId,
        EffectiveDate = review.AsOf,
        Status = SyncEventStatus.Pending,
    };

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
