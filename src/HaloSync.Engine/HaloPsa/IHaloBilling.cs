using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// What a sync needs of HaloPSA: the reads, and array saves (one request per call; the caller batches).
/// </summary>
public interface IHaloBilling : IHaloBillingReader
{
    Task<IReadOnlyList<HaloLicence>> SaveLicencesAsync(IEnumerable<HaloLicence> licences, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloRecurringInvoice>> SaveRecurringInvoicesAsync(IEnumerable<HaloRecurringInvoice> invoices, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloItem>> SaveItemsAsync(IEnumerable<HaloItem> items, CancellationToken cancellationToken);
}
