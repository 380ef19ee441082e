using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>Reads organizations' subscriptions from Sherweb, several organizations at a time (the client paces and waits out 429s).</summary>
internal static class CumulusSubscriptionReader
{
    /// <summary>How many organizations a sync or a comparison reads at once unless told otherwise.</summary>
    public const int DefaultConcurrency = 16;

    /// <returns>Each organization's subscriptions, in the order of <paramref name="organizations"/>.</returns>
    public static async Task<IReadOnlyList<CumulusSubscription>[]> ReadAsync(ICumulusReader cumulus, IReadOnlyList<OrganizationMapping> organizations,
        int maxConcurrent, IProgress<SyncProgress> progress, CancellationToken cancellationToken, Action<string>? verbose = null)
    {
        var results = new IReadOnlyList<CumulusSubscription>[organizations.Count];
        using var gate = new SemaphoreSlim(Math.Max(1, maxConcurrent));
        var done = 0;
        var reads = organizations.Select(async (organization, index) =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                results[index] = await cumulus.GetSubscriptionsAsync(Guid.Parse(organization.OrganizationId), cancellationToken).ConfigureAwait(false);
                verbose?.Invoke($"Sherweb: {organization.Name}: {results[index].Count} subscription(s); bills to HaloPSA client {organization.HaloClientId}.");
                var finished = Interlocked.Increment(ref done);
                if (finished * 100 / organizations.Count != (finished - 1) * 100 / organizations.Count)
                {
                    // At most one progress record per percent: a host draws each one.
                    progress.Report(new SyncProgress("Reading Cumulus", $"{organization.Name} ({finished} of {organizations.Count})", finished * 100 / organizations.Count));
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(reads).ConfigureAwait(false);
        return results;
    }
}
