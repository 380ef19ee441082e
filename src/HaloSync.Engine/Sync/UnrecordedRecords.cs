using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;

namespace HaloSync.Engine.Sync;

/// <summary>
/// HaloSync's records that HaloPSA holds and the state file does not know, on clients an organization at its first sync
/// is not mapped to: what a lost state file leaves when the organization is set up again on another client than before.
/// A run looks for its keys on the mapped clients only, so without this the old client's records would go on billing
/// beside the new ones. Active subscriptions (or lines still billing) found there are ended as a re-map ends them;
/// one-off charges found on lines there were billed there, and are adopted where they are rather than added again.
/// </summary>
internal static class UnrecordedRecords
{
    /// <summary>Whether an organization of the run syncs for the first time with nothing in the state file: only then can HaloPSA hold records of it the state does not know.</summary>
    public static bool Sought(PlanInput input) => FirstSyncs(input).Any();

    public static (List<SyncedSubscription> Subscriptions, Dictionary<string, int> Charges) Find(PlanInput input, IReadOnlyList<HaloLicence> licences,
        IReadOnlyList<HaloRecurringInvoice> invoices)
    {
        var known = new HashSet<string>(input.Synced.Select(s => s.CumulusKey), StringComparer.Ordinal);
        var licencesByKey = licences.Where(l => HaloKeys.IsLicenceKey(l.ExternalKey) && l.IsActive != false && l.ClientId is not null)
            .ToLookup(l => l.ExternalKey!, StringComparer.Ordinal);
        var linesByKey = invoices.Where(i => i.ClientId is not null)
            .SelectMany(i => (i.Lines ?? new List<HaloInvoiceLine>()).Select(l => (Client: i.ClientId!.Value, Line: l, Key: HaloKeys.KeyInLineMarker(l.LongDescription))))
            .Where(l => l.Key is not null)
            .ToLookup(l => l.Key!, StringComparer.Ordinal);
        var subscriptions = new List<SyncedSubscription>();
        var charges = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var organization in FirstSyncs(input))
        {
            var org = organization.Mapping;
            var client = org.HaloClientId!.Value;
            foreach (var subscription in organization.Subscriptions)
            {
                var key = HaloKeys.Subscription(subscription.Id);
                if (known.Contains(key))
                {
                    continue;
                }

                var licencesThere = licencesByKey[HaloKeys.Licence(key)].Where(l => l.ClientId != client).ToLookup(l => l.ClientId!.Value);
                var linesThere = linesByKey[key].Where(l => l.Client != client && l.Line.IsInactive != true).ToLookup(l => l.Client, l => l.Line);
                // A line still billing without an end date counts too (its subscription ended or deleted by hand there).
                var billingThere = licencesThere.Select(g => g.Key).Union(linesThere.Where(g => g.Any(l => l.EndDate is null)).Select(g => g.Key));
                foreach (var elsewhere in billingThere.OrderBy(c => c))
                {
                    var licence = licencesThere[elsewhere].OrderBy(l => l.Id).FirstOrDefault();
                    var line = linesThere[elsewhere].OrderBy(l => l.Id).FirstOrDefault();
                    subscriptions.Add(SyncedSubscription.Of(org.OrganizationId, elsewhere, subscription, input.Settings.LocalDate(subscription.PurchaseDate)) with
                    {
                        HaloItemId = licence?.ItemId ?? line?.ItemId,
                        Quantity = (int)(line?.Quantity ?? licence?.Count ?? 0),
                        UnitPrice = line?.UnitPrice ?? licence?.Price,
                        UnitCost = line?.UnitCost ?? licence?.PurchasePrice,
                        LineStart = line?.StartDate?.Date,
                    });
                }
            }

            foreach (var charge in organization.Charges.Where(c => c.IsOneOff && !string.IsNullOrWhiteSpace(c.Sku)))
            {
                var key = ChargeIdentity.Of(charge, org.OrganizationId).Key;
                if (!input.SyncedChargeKeys.Contains(key) && linesByKey[key].Where(l => l.Client != client).OrderBy(l => l.Line.Id).FirstOrDefault() is { Line: not null } found)
                {
                    charges[key] = found.Client;
                }
            }
        }

        return (subscriptions, charges);
    }

    private static IEnumerable<OrganizationInput> FirstSyncs(PlanInput input)
    {
        var synced = new HashSet<string>(input.Synced.Select(s => s.OrganizationId), StringComparer.Ordinal);
        return input.Organizations.Where(o => o.Mapping.FirstSyncedOn is null && !synced.Contains(o.Mapping.OrganizationId));
    }
}
