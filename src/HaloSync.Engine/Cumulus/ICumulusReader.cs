using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Cumulus;

/// <summary>What a sync reads from Sherweb. <see cref="CumulusClient"/> is the real one; tests pass their own.</summary>
public interface ICumulusReader
{
    Task<IReadOnlyList<CumulusCustomer>> GetCustomersAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<CumulusSubscription>> GetSubscriptionsAsync(Guid customerId, CancellationToken cancellationToken);

    Task<PayableCharges> GetPayableChargesAsync(DateTime date, CancellationToken cancellationToken);
}
