using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// What HaloSync reads of HaloPSA billing: paged list reads only (one request per page). A report that takes this
/// cannot write. <see cref="HaloPsaClient"/> is the real one; tests pass their own.
/// </summary>
public interface IHaloBillingReader
{
    /// <summary>Requests sent so far, retries included.</summary>
    int RequestsSent { get; }

    Task<IReadOnlyList<HaloItem>> GetItemsAsync(bool includeDetails, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloLicence>> GetLicencesAsync(int? clientId, bool includeInactive, CancellationToken cancellationToken);

    Task<IReadOnlyList<HaloRecurringInvoice>> GetRecurringInvoicesAsync(int? clientId, bool includeLines, CancellationToken cancellationToken);

    /// <summary>The real invoices of these clients dated from <paramref name="from"/> to <paramref name="to"/> (both included), with their lines.</summary>
    Task<IReadOnlyList<HaloInvoice>> GetInvoicesAsync(IReadOnlyCollection<int> clientIds, DateTime from, DateTime to, CancellationToken cancellationToken);
}
