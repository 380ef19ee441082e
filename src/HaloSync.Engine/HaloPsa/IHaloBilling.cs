using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// What a sync needs of HaloPSA: paged list reads and array saves (one request per call; the caller batches).
/// <see cref="HaloPsaClient"/> is the real one; tests pass their own.
/// </summary>
public interface IHaloBilling
{
    /// <summary>Requests sent so far, retries included.</summary>
    int RequestsSent { get; }

    Task<IReadOnlyList<HaloItem>> GetItemsAsync(bool includeDetails, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloLicence>> GetLicencesAsync(int? clientId, bool includeInactive, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloRecurringInvoice>> GetRecurringInvoicesAsync(int? clientId, bool includeLines, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloLicence>> SaveLicencesAsync(IEnumerable<HaloLicence> licences, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloRecurringInvoice>> SaveRecurringInvoicesAsync(IEnumerable<HaloRecurringInvoice> invoices, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloItem>> SaveItemsAsync(IEnumerable<HaloItem> items, CancellationToken cancellationToken);
}
