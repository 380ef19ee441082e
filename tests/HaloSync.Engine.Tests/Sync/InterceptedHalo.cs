using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// The real HaloPSA client with a hook around every call (by name: "GetLicences", "SaveRecurringInvoices"...), to
/// end a run at a chosen point the way a killed process would, or to fail a call after another one happened.
/// </summary>
public sealed class InterceptedHalo : IHaloBilling
{
    private readonly IHaloBilling inner;

    public InterceptedHalo(IHaloBilling inner) => this.inner = inner;

    /// <summary>Runs before each call; throw to fail it.</summary>
    public Action<string> Before { get; set; } = _ => { };

    /// <summary>Runs after each call that succeeded; throw to lose what came back.</summary>
    public Action<string> After { get; set; } = _ => { };

    public List<string> Calls { get; } = new();

    public int RequestsSent => inner.RequestsSent;

    public Task<IReadOnlyList<HaloItem>> GetItemsAsync(bool includeDetails, CancellationToken cancellationToken)
        => Call("GetItems", () => inner.GetItemsAsync(includeDetails, cancellationToken));

    public Task<IReadOnlyList<HaloLicence>> GetLicencesAsync(int? clientId, bool includeInactive, CancellationToken cancellationToken)
        => Call("GetLicences", () => inner.GetLicencesAsync(clientId, includeInactive, cancellationToken));

    public Task<IReadOnlyList<HaloRecurringInvoice>> GetRecurringInvoicesAsync(int? clientId, bool includeLines, CancellationToken cancellationToken)
        => Call("GetRecurringInvoices", () => inner.GetRecurringInvoicesAsync(clientId, includeLines, cancellationToken));

    public Task<IReadOnlyList<HaloInvoice>> GetInvoicesAsync(IReadOnlyCollection<int> clientIds, DateTime from, DateTime to, CancellationToken cancellationToken)
        => Call("GetInvoices", () => inner.GetInvoicesAsync(clientIds, from, to, cancellationToken));

    public Task<IReadOnlyList<HaloLicence>> SaveLicencesAsync(IEnumerable<HaloLicence> licences, CancellationToken cancellationToken)
        => Call("SaveLicences", () => inner.SaveLicencesAsync(licences, cancellationToken));

    public Task<IReadOnlyList<HaloRecurringInvoice>> SaveRecurringInvoicesAsync(IEnumerable<HaloRecurringInvoice> invoices, CancellationToken cancellationToken)
        => Call("SaveRecurringInvoices", () => inner.SaveRecurringInvoicesAsync(invoices, cancellationToken));

    public Task<IReadOnlyList<HaloItem>> SaveItemsAsync(IEnumerable<HaloItem> items, CancellationToken cancellationToken)
        => Call("SaveItems", () => inner.SaveItemsAsync(items, cancellationToken));

    private async Task<T> Call<T>(string name, Func<Task<T>> call)
    {
        Calls.Add(name);
        Before(name);
        var result = await call();
        After(name);
        return result;
    }
}
