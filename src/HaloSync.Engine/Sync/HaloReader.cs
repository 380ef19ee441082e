using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;

namespace HaloSync.Engine.Sync;

/// <summary>
/// Reads the subscriptions and recurring invoices of the clients a run (or a report) covers, choosing by count between
/// one filtered read per client and the tenant's whole list (one request per 100 records): few clients are read one by
/// one, many are read as a list. Totals seen on a whole-list read guide the next choice.
/// </summary>
internal sealed class HaloReader
{
    private const int PageSize = 100;
    private readonly IHaloBillingReader halo;
    private int? licenceTotal;
    private int? invoiceTotal;

    public HaloReader(IHaloBillingReader halo) => this.halo = halo;

    public async Task<Dictionary<int, List<HaloLicence>>> LicencesAsync(IReadOnlyCollection<int> clients, CancellationToken cancellationToken)
    {
        if (ReadEach(clients.Count, licenceTotal))
        {
            var each = new Dictionary<int, List<HaloLicence>>();
            foreach (var client in clients)
            {
                each[client] = (await halo.GetLicencesAsync(client, true, cancellationToken).ConfigureAwait(false)).ToList();
            }

            return each;
        }

        return Group(clients, await AllLicencesAsync(cancellationToken).ConfigureAwait(false), l => l.ClientId);
    }

    /// <summary>Every subscription of the tenant, inactive ones included.</summary>
    public async Task<IReadOnlyList<HaloLicence>> AllLicencesAsync(CancellationToken cancellationToken)
    {
        var all = await halo.GetLicencesAsync(null, true, cancellationToken).ConfigureAwait(false);
        licenceTotal = all.Count;
        return all;
    }

    public async Task<Dictionary<int, List<HaloRecurringInvoice>>> InvoicesAsync(IReadOnlyCollection<int> clients, CancellationToken cancellationToken)
    {
        if (ReadEach(clients.Count, invoiceTotal))
        {
            var each = new Dictionary<int, List<HaloRecurringInvoice>>();
            foreach (var client in clients)
            {
                each[client] = (await halo.GetRecurringInvoicesAsync(client, true, cancellationToken).ConfigureAwait(false)).ToList();
            }

            return each;
        }

        return Group(clients, await AllInvoicesAsync(cancellationToken).ConfigureAwait(false), i => i.ClientId);
    }

    /// <summary>Every recurring invoice of the tenant, with its lines.</summary>
    public async Task<IReadOnlyList<HaloRecurringInvoice>> AllInvoicesAsync(CancellationToken cancellationToken)
    {
        var all = await halo.GetRecurringInvoicesAsync(null, true, cancellationToken).ConfigureAwait(false);
        invoiceTotal = all.Count;
        return all;
    }

    /// <summary>One read per client costs a request each; the whole list costs one per 100 records (at least one).</summary>
    private static bool ReadEach(int clients, int? total)
        => total is { } known ? clients < Math.Max(1, (known + PageSize - 1) / PageSize) : clients <= 2;

    /// <summary>The rows of these clients, each client listed even without any.</summary>
    public static Dictionary<int, List<T>> Group<T>(IReadOnlyCollection<int> clients, IEnumerable<T> rows, Func<T, int?> clientOf)
    {
        var wanted = clients.ToDictionary(c => c, _ => new List<T>());
        foreach (var row in rows)
        {
            if (clientOf(row) is { } client && wanted.TryGetValue(client, out var list))
            {
                list.Add(row);
            }
        }

        return wanted;
    }
}
