using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Http;

namespace HaloSync.Engine.Sync;

/// <summary>
/// Brings HaloPSA to the kept records' targets: licences first (lines link to them), then each client's recurring
/// invoice with its whole set of lines, in arrays of up to <see cref="BatchSize"/> per request. A batch HaloPSA
/// refuses is split in halves, so one bad record fails alone: a licence on its own, an invoice with its client's
/// lines. A batch whose answer is lost (5xx, timeout, dropped connection) is never resent blind: its clients are
/// read back, records found by id or key, and only what is still missing is sent again.
/// </summary>
internal sealed class SyncApplier
{
    public const int BatchSize = 100;
    private const int MaxRounds = 3;

    private readonly IHaloBilling halo;
    private readonly HaloReconciler reconciler;
    private readonly HaloReader reader;
    private readonly Action<string> verbose;
    private readonly Dictionary<KeptRecord, HaloSyncException> licenceFailures = new();
    private readonly Dictionary<int, HaloSyncException> invoiceFailures = new();
    private HaloSyncException? stopped;

    public SyncApplier(IHaloBilling halo, HaloReconciler reconciler, HaloReader reader, Action<string> verbose)
    {
        this.halo = halo;
        this.reconciler = reconciler;
        this.reader = reader;
        this.verbose = verbose;
    }

    /// <summary>Why a record's writes failed, or null when HaloPSA holds its target.</summary>
    public HaloSyncException? FailureOf(KeptRecord record)
        => licenceFailures.TryGetValue(record, out var licence) ? licence
            : record.HasLine && invoiceFailures.TryGetValue(record.ClientId, out var invoice) ? invoice
            : null;

    public bool InvoiceFailed(int client) => invoiceFailures.ContainsKey(client);

    public async Task ApplyAsync(IReadOnlyDictionary<int, List<KeptRecord>> clients, Dictionary<int, HaloClientView> views, CancellationToken cancellationToken)
    {
        await ConvergeAsync("subscriptions", clients.Values.SelectMany(r => r).Where(r => r.HasLicence).ToList(), r => r.ClientId, licenceFailures,
            reconciler.LicenceWrite,
            (batch, token) => halo.SaveLicencesAsync(batch.Select(b => b.Payload), token),
            (batch, saved) => AcceptLicences(batch, saved, views),
            async (unknown, token) =>
            {
                var licences = await reader.LicencesAsync(unknown, token).ConfigureAwait(false);
                foreach (var client in unknown)
                {
                    views[client] = new HaloClientView(client, licences[client], views[client].Invoices);
                    reconciler.Match(clients[client], views[client]);
                }
            },
            cancellationToken).ConfigureAwait(false);

        // A record whose licence failed keeps its line as HaloPSA holds it; the others go ahead.
        List<KeptRecord> Writable(int client) => clients[client].Where(r => !licenceFailures.ContainsKey(r)).ToList();
        await ConvergeAsync("recurring invoices", clients.Keys.ToList(), client => client, invoiceFailures,
            client => reconciler.InvoiceWrite(views[client], Writable(client)),
            (batch, token) => halo.SaveRecurringInvoicesAsync(batch.Select(b => b.Payload), token),
            (batch, saved) => AcceptInvoices(batch, saved, Writable, views),
            async (unknown, token) =>
            {
                var invoices = await reader.InvoicesAsync(unknown, token).ConfigureAwait(false);
                foreach (var client in unknown)
                {
                    views[client] = new HaloClientView(client, views[client].Licences, invoices[client]);
                    reconciler.Match(clients[client], views[client]);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets item cost prices; after a lost answer the items are read back and only those still different are sent again.</summary>
    public async Task<HaloSyncException?> ApplyItemCostsAsync(IReadOnlyList<SyncAction> actions, CancellationToken cancellationToken)
    {
        var wanted = actions.ToDictionary(a => a.Event.HaloItemId!.Value, a => a.Event.UnitCost!.Value);
        for (var round = 1; ; round++)
        {
            if (stopped is not null)
            {
                return stopped;
            }

            try
            {
                foreach (var batch in wanted.Select((pair, index) => (pair, index)).GroupBy(x => x.index / BatchSize, x => x.pair))
                {
                    await halo.SaveItemsAsync(batch.Select(p => new HaloItem { Id = p.Key, CostPrice = p.Value }), cancellationToken).ConfigureAwait(false);
                }

                return null;
            }
            catch (HttpOutcomeUnknownException ex) when (round < MaxRounds)
            {
                verbose($"HaloPSA: the answer to an item-cost save was lost ({ex.Message}); reading the items back before sending anything again.");
                IReadOnlyList<HaloItem> items;
                try
                {
                    items = await halo.GetItemsAsync(false, cancellationToken).ConfigureAwait(false);
                }
                catch (HaloSyncException readBack)
                {
                    return new HaloSyncException("HaloPsaOutcomeUnknown", readBack.Kind,
                        $"HaloPSA's answer to an item-cost save was lost and reading the items back failed ({readBack.Message}). " +
                        "Nothing was sent blind; the next run compares the items' costs again and sends only what differs.", readBack);
                }

                foreach (var item in items.Where(i => wanted.TryGetValue(i.Id, out var cost) && i.CostPrice == cost))
                {
                    wanted.Remove(item.Id);
                }

                if (wanted.Count == 0)
                {
                    return null;
                }
            }
            catch (HaloSyncException ex)
            {
                return ex;
            }
        }
    }

    /// <summary>
    /// Sends what the units (records or clients) still need, in batches, until HaloPSA holds it: after lost answers
    /// the units' clients are read back and their writes recomputed from what they hold, at most <see cref="MaxRounds"/> times.
    /// </summary>
    private async Task ConvergeAsync<TUnit, TPayload, TSaved>(string what, IReadOnlyList<TUnit> units, Func<TUnit, int> clientOf,
        Dictionary<TUnit, HaloSyncException> failures, Func<TUnit, TPayload?> writeOf,
        Func<List<(TUnit Unit, TPayload Payload)>, CancellationToken, Task<IReadOnlyList<TSaved>>> save,
        Func<List<(TUnit Unit, TPayload Payload)>, IReadOnlyList<TSaved>, HashSet<TUnit>> accept,
        Func<List<int>, CancellationToken, Task> readBack, CancellationToken cancellationToken)
        where TUnit : notnull
        where TPayload : class
    {
        var pending = units.Where(u => !failures.ContainsKey(u)).ToList();
        for (var round = 1; pending.Count > 0; round++)
        {
            var writes = pending.Select(u => (Unit: u, Payload: writeOf(u))).Where(w => w.Payload is not null).Select(w => (w.Unit, w.Payload!)).ToList();
            if (writes.Count == 0)
            {
                return;
            }

            var unknown = new HashSet<TUnit>();
            foreach (var batch in writes.Select((w, i) => (w, i)).GroupBy(x => x.i / BatchSize, x => x.w))
            {
                await SendAsync(batch.ToList(), save, accept, failures, unknown, cancellationToken).ConfigureAwait(false);
            }

            var unknownClients = unknown.Where(u => !failures.ContainsKey(u)).Select(clientOf).Distinct().ToList();
            pending = units.Where(u => !failures.ContainsKey(u) && unknownClients.Contains(clientOf(u))).ToList();
            if (pending.Count == 0)
            {
                return;
            }

            if (round == MaxRounds)
            {
                Fail(failures, unknown.Where(u => !failures.ContainsKey(u)).ToList(), new HaloSyncException("HaloPsaOutcomeUnknown", HaloSyncErrorKind.ResourceUnavailable,
                    $"HaloPSA's answers to the {what} of client(s) {string.Join(", ", unknownClients)} were lost {MaxRounds} times. Nothing was sent blind; " +
                    "the next run reads the clients back and sends only what is missing."));
                return;
            }

            verbose($"HaloPSA: reading back the {what} of {unknownClients.Count} client(s) whose answer was lost, to send only what is still missing.");
            try
            {
                await readBack(unknownClients, cancellationToken).ConfigureAwait(false);
            }
            catch (HaloSyncException ex)
            {
                // Without reading back nothing may be resent: the next run looks the records up by their keys.
                Fail(failures, pending, new HaloSyncException("HaloPsaOutcomeUnknown", ex.Kind,
                    $"HaloPSA's answer to the {what} of {unknownClients.Count} client(s) was lost and reading them back failed ({ex.Message}). " +
                    "Nothing was sent blind; the next run looks the records up by their keys and sends only what is missing.", ex));
                return;
            }
        }
    }

    private async Task SendAsync<TUnit, TPayload, TSaved>(List<(TUnit Unit, TPayload Payload)> batch,
        Func<List<(TUnit Unit, TPayload Payload)>, CancellationToken, Task<IReadOnlyList<TSaved>>> save,
        Func<List<(TUnit Unit, TPayload Payload)>, IReadOnlyList<TSaved>, HashSet<TUnit>> accept,
        Dictionary<TUnit, HaloSyncException> failures, HashSet<TUnit> unknown, CancellationToken cancellationToken)
        where TUnit : notnull
    {
        if (stopped is not null)
        {
            Fail(failures, batch.Select(b => b.Unit), stopped);
            return;
        }

        try
        {
            var saved = await save(batch, cancellationToken).ConfigureAwait(false);
            unknown.UnionWith(accept(batch, saved));
        }
        catch (HttpOutcomeUnknownException ex)
        {
            verbose($"HaloPSA: {ex.Message}");
            unknown.UnionWith(batch.Select(b => b.Unit));
        }
        catch (HaloSyncException ex) when (ex.Kind == HaloSyncErrorKind.RateLimited)
        {
            // HaloPSA asked for a longer wait than a run may sit out: nothing more is sent in this run.
            stopped = ex;
            Fail(failures, batch.Select(b => b.Unit), ex);
        }
        catch (HaloSyncException ex) when (batch.Count > 1 && ex.Kind is HaloSyncErrorKind.InvalidData or HaloSyncErrorKind.InvalidArgument or HaloSyncErrorKind.NotFound)
        {
            // HaloPSA refused the batch without acting on it: halve it until the record it refuses is alone.
            verbose($"HaloPSA refused a batch of {batch.Count} ({ex.Message}); sending it in halves to find the record it refuses.");
            var half = batch.Count / 2;
            await SendAsync(batch.Take(half).ToList(), save, accept, failures, unknown, cancellationToken).ConfigureAwait(false);
            await SendAsync(batch.Skip(half).ToList(), save, accept, failures, unknown, cancellationToken).ConfigureAwait(false);
        }
        catch (HaloSyncException ex)
        {
            Fail(failures, batch.Select(b => b.Unit), ex);
        }
    }

    private static void Fail<TUnit>(Dictionary<TUnit, HaloSyncException> failures, IEnumerable<TUnit> units, HaloSyncException error)
        where TUnit : notnull
    {
        foreach (var unit in units)
        {
            if (!failures.ContainsKey(unit))
            {
                failures[unit] = error;
            }
        }
    }

    /// <summary>Takes saved licences as HaloPSA returned them; records whose licence did not come back are read back.</summary>
    private static HashSet<KeptRecord> AcceptLicences(List<(KeptRecord Unit, HaloLicence Payload)> batch, IReadOnlyList<HaloLicence> saved,
        Dictionary<int, HaloClientView> views)
    {
        var missing = new HashSet<KeptRecord>();
        foreach (var (record, payload) in batch)
        {
            var key = HaloKeys.Licence(record.CumulusKey);
            var licence = payload.Id != 0
                ? saved.FirstOrDefault(l => l.Id == payload.Id)
                : saved.FirstOrDefault(l => l.ExternalKey == key && (l.ClientId ?? record.ClientId) == record.ClientId);
            if (licence is null)
            {
                missing.Add(record);
                continue;
            }

            record.Licence = licence;
            var licences = views[record.ClientId].Licences;
            licences.RemoveAll(l => l.Id == licence.Id);
            licences.Add(licence);
        }

        return missing;
    }

    /// <summary>Takes saved invoices; a client whose invoice or lines did not come back is read back.</summary>
    private HashSet<int> AcceptInvoices(List<(int Unit, HaloRecurringInvoice Payload)> batch, IReadOnlyList<HaloRecurringInvoice> saved,
        Func<int, List<KeptRecord>> records, Dictionary<int, HaloClientView> views)
    {
        var missing = new HashSet<int>();
        foreach (var (client, payload) in batch)
        {
            var invoice = payload.Id != 0 ? saved.FirstOrDefault(i => i.Id == payload.Id) : saved.FirstOrDefault(i => i.ClientId == client && i.Id != 0);
            if (invoice is null)
            {
                missing.Add(client);
                continue;
            }

            var invoices = views[client].Invoices;
            invoices.RemoveAll(i => i.Id == invoice.Id);
            invoices.Add(invoice);
            var written = records(client);
            reconciler.Match(written, views[client]);
            if (written.Any(r => r.HasLine && !r.Ended && r.Line is null))
            {
                missing.Add(client);
            }
        }

        return missing;
    }
}
