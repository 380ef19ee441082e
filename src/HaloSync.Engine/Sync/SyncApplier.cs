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
/// invoice with its whole set of lines, in arrays of up to <see cref="BatchSize"/> records per request. A batch
/// HaloPSA refuses is split in halves, so one bad record cannot fail the others. A batch whose answer is lost
/// (5xx, timeout, dropped connection) is never resent blind: its clients are read back, found by their keys, and
/// only what is still missing is sent again. The unit of success is the client: its events and state commit together.
/// </summary>
internal sealed class SyncApplier
{
    public const int BatchSize = 100;
    private const int MaxRounds = 3;

    private readonly IHaloBilling halo;
    private readonly HaloReconciler reconciler;
    private readonly HaloReader reader;
    private readonly Action<string> verbose;
    private readonly Dictionary<int, HaloSyncException> failures = new();
    private HaloSyncException? stopped;

    public SyncApplier(IHaloBilling halo, HaloReconciler reconciler, HaloReader reader, Action<string> verbose)
    {
        this.halo = halo;
        this.reconciler = reconciler;
        this.reader = reader;
        this.verbose = verbose;
    }

    /// <summary>Clients whose writes failed, with the reason; their events are Failed and their state is not moved.</summary>
    public IReadOnlyDictionary<int, HaloSyncException> Failures => failures;

    public async Task ApplyAsync(IReadOnlyDictionary<int, List<KeptRecord>> clients, Dictionary<int, HaloClientView> views, CancellationToken cancellationToken)
    {
        await ConvergeAsync("subscriptions", clients, views,
            client => reconciler.LicenceWrites(clients[client]).Select(w => (client, w.Record, w.Payload)).ToList(),
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

        await ConvergeAsync("recurring invoices", clients, views,
            client => reconciler.InvoiceWrite(views[client], clients[client]) is { } invoice
                ? new List<(int, KeptRecord?, HaloRecurringInvoice)> { (client, null, invoice) }
                : new List<(int, KeptRecord?, HaloRecurringInvoice)>(),
            (batch, token) => halo.SaveRecurringInvoicesAsync(batch.Select(b => b.Payload), token),
            (batch, saved) => AcceptInvoices(batch, saved, clients, views),
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
                var items = await halo.GetItemsAsync(false, cancellationToken).ConfigureAwait(false);
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
    /// Sends what the clients still need, in batches, until HaloPSA holds it: after lost answers the affected clients
    /// are read back and the writes recomputed from what they hold, at most <see cref="MaxRounds"/> times.
    /// </summary>
    private async Task ConvergeAsync<TPayload, TSaved>(string what, IReadOnlyDictionary<int, List<KeptRecord>> clients, Dictionary<int, HaloClientView> views,
        Func<int, List<(int Client, KeptRecord? Record, TPayload Payload)>> writesOf,
        Func<List<(int Client, KeptRecord? Record, TPayload Payload)>, CancellationToken, Task<IReadOnlyList<TSaved>>> save,
        Func<List<(int Client, KeptRecord? Record, TPayload Payload)>, IReadOnlyList<TSaved>, HashSet<int>> accept,
        Func<List<int>, CancellationToken, Task> readBack,
        CancellationToken cancellationToken)
    {
        var pending = clients.Keys.Where(c => !failures.ContainsKey(c)).ToList();
        for (var round = 1; pending.Count > 0; round++)
        {
            var writes = pending.SelectMany(writesOf).ToList();
            if (writes.Count == 0)
            {
                return;
            }

            var unknown = new HashSet<int>();
            foreach (var batch in writes.Select((w, i) => (w, i)).GroupBy(x => x.i / BatchSize, x => x.w))
            {
                await SendAsync(batch.ToList(), save, accept, unknown, cancellationToken).ConfigureAwait(false);
            }

            pending = unknown.Where(c => !failures.ContainsKey(c)).ToList();
            if (pending.Count == 0)
            {
                return;
            }

            if (round == MaxRounds)
            {
                foreach (var client in pending)
                {
                    failures[client] = new HaloSyncException("HaloPsaOutcomeUnknown", HaloSyncErrorKind.ResourceUnavailable,
                        $"HaloPSA's answers to the {what} of client {client} were lost {MaxRounds} times. Nothing was sent blind; " +
                        "the next run reads the client back and sends only what is missing.");
                }

                return;
            }

            verbose($"HaloPSA: reading back the {what} of {pending.Count} client(s) whose answer was lost, to send only what is still missing.");
            try
            {
                await readBack(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (HaloSyncException ex)
            {
                // Without reading back nothing may be resent: the next run looks the records up by their keys.
                Fail(pending, new HaloSyncException("HaloPsaOutcomeUnknown", ex.Kind,
                    $"HaloPSA's answer to the {what} of {pending.Count} client(s) was lost and reading them back failed ({ex.Message}). " +
                    "Nothing was sent blind; the next run looks the records up by their keys and sends only what is missing.", ex));
                return;
            }
        }
    }

    private async Task SendAsync<TPayload, TSaved>(List<(int Client, KeptRecord? Record, TPayload Payload)> batch,
        Func<List<(int Client, KeptRecord? Record, TPayload Payload)>, CancellationToken, Task<IReadOnlyList<TSaved>>> save,
        Func<List<(int Client, KeptRecord? Record, TPayload Payload)>, IReadOnlyList<TSaved>, HashSet<int>> accept,
        HashSet<int> unknown, CancellationToken cancellationToken)
    {
        batch = batch.Where(b => !failures.ContainsKey(b.Client)).ToList();
        if (batch.Count == 0)
        {
            return;
        }

        if (stopped is not null)
        {
            Fail(batch.Select(b => b.Client), stopped);
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
            unknown.UnionWith(batch.Select(b => b.Client));
        }
        catch (HaloSyncException ex) when (ex.Kind == HaloSyncErrorKind.RateLimited)
        {
            // HaloPSA asked for a longer wait than a run may sit out: nothing more is sent in this run.
            stopped = ex;
            Fail(batch.Select(b => b.Client), ex);
        }
        catch (HaloSyncException ex) when (batch.Count > 1 && ex.Kind is HaloSyncErrorKind.InvalidData or HaloSyncErrorKind.InvalidArgument or HaloSyncErrorKind.NotFound)
        {
            // HaloPSA refused the batch without acting on it: halve it until the record it refuses is alone.
            verbose($"HaloPSA refused a batch of {batch.Count} ({ex.Message}); sending it in halves to find the record it refuses.");
            var half = batch.Count / 2;
            await SendAsync(batch.Take(half).ToList(), save, accept, unknown, cancellationToken).ConfigureAwait(false);
            await SendAsync(batch.Skip(half).ToList(), save, accept, unknown, cancellationToken).ConfigureAwait(false);
        }
        catch (HaloSyncException ex)
        {
            Fail(batch.Select(b => b.Client), ex);
        }
    }

    private void Fail(IEnumerable<int> clients, HaloSyncException error)
    {
        foreach (var client in clients)
        {
            if (!failures.ContainsKey(client))
            {
                failures[client] = error;
            }
        }
    }

    /// <summary>Takes saved licences as HaloPSA returned them; clients whose licence did not come back are read back.</summary>
    private static HashSet<int> AcceptLicences(List<(int Client, KeptRecord? Record, HaloLicence Payload)> batch, IReadOnlyList<HaloLicence> saved,
        Dictionary<int, HaloClientView> views)
    {
        var missing = new HashSet<int>();
        foreach (var (client, record, payload) in batch)
        {
            var key = HaloKeys.Licence(record!.CumulusKey);
            var licence = payload.Id != 0
                ? saved.FirstOrDefault(l => l.Id == payload.Id)
                : saved.FirstOrDefault(l => l.ExternalKey == key && (l.ClientId ?? client) == client);
            if (licence is null)
            {
                missing.Add(client);
                continue;
            }

            record.Licence = licence;
            var licences = views[client].Licences;
            licences.RemoveAll(l => l.Id == licence.Id);
            licences.Add(licence);
        }

        return missing;
    }

    /// <summary>Takes saved invoices; a client whose invoice or lines did not come back is read back.</summary>
    private HashSet<int> AcceptInvoices(List<(int Client, KeptRecord? Record, HaloRecurringInvoice Payload)> batch, IReadOnlyList<HaloRecurringInvoice> saved,
        IReadOnlyDictionary<int, List<KeptRecord>> clients, Dictionary<int, HaloClientView> views)
    {
        var missing = new HashSet<int>();
        foreach (var (client, _, payload) in batch)
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
            reconciler.Match(clients[client], views[client]);
            if (clients[client].Any(r => r.HasLine && !r.Ended && r.Line is null))
            {
                missing.Add(client);
            }
        }

        return missing;
    }
}
