using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>
/// Writes one organization's planned actions to HaloPSA, idempotently: every record carries its Cumulus key
/// (licences in snowid, lines in their long description), so a run that died half way is finished by the next
/// one without a duplicate. Requests: licences read once, saved in one array, the recurring invoice read once
/// and saved once with its whole set of lines.
/// </summary>
public sealed class SyncApplier
{
    /// <summary>The HaloSync recurring invoice of a client is the one with this reference.</summary>
    public const string InvoiceReference = "HaloSync";

    private const int MonthlyPeriod = 2;
    private readonly HaloPsaClient halo;
    private readonly SyncConfiguration settings;
    private readonly DateTime asOf;

    public SyncApplier(HaloPsaClient halo, SyncConfiguration settings, DateTime asOf)
    {
        this.halo = halo;
        this.settings = settings;
        this.asOf = asOf;
    }

    /// <summary>
    /// Saves the subscriptions of every organization in arrays of up to 100, reusing any record that already
    /// carries its key, and returns the HaloPSA id of each key. One paged read, one write per 100.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> SaveLicencesAsync(IReadOnlyList<SyncAction> actions, CancellationToken cancellationToken)
    {
        var subscriptionActions = actions.Where(a => a.Event.Entity == "SoftwareLicence").ToList();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        if (subscriptionActions.Count == 0)
        {
            return ids;
        }

        var existing = (await halo.GetLicencesAsync(null, includeInactive: true, cancellationToken).ConfigureAwait(false))
            .Where(l => !string.IsNullOrEmpty(l.ExternalKey))
            .GroupBy(l => l.ExternalKey!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        var licences = subscriptionActions
            .Select(a => Licence(a.Organization!.HaloClientId!.Value, a, existing.TryGetValue(a.HaloKey, out var id) ? id : 0))
            .ToList();
        foreach (var saved in await halo.SaveLicencesAsync(licences, cancellationToken).ConfigureAwait(false))
        {
            if (saved.ExternalKey is not null)
            {
                ids[saved.ExternalKey] = saved.Id;
            }
        }

        var missing = subscriptionActions.FirstOrDefault(a => !ids.ContainsKey(a.HaloKey));
        if (missing is not null)
        {
            throw new HaloSyncException("HaloLicenceNotReturned", HaloSyncErrorKind.InvalidData,
                $"HaloPSA did not return the subscription '{missing.HaloKey}' that was just saved. Run the sync again; it will find and reuse it.");
        }

        foreach (var action in subscriptionActions)
        {
            action.Event.HaloId = ids[action.HaloKey];
        }

        return ids;
    }

    /// <summary>The HaloSync recurring invoice of every client that has one, in one paged read.</summary>
    public async Task<IReadOnlyDictionary<int, HaloRecurringInvoice>> ReadInvoicesAsync(CancellationToken cancellationToken)
        => (await halo.GetRecurringInvoicesAsync(null, includeLines: true, cancellationToken).ConfigureAwait(false))
            .Where(i => i.Reference == InvoiceReference && i.ClientId is not null)
            .GroupBy(i => i.ClientId!.Value)
            .ToDictionary(g => g.Key, g => g.First());

    /// <summary>Writes one organization's lines: its recurring invoice (created if missing) with its whole set of lines, in one request.</summary>
    public async Task SaveLinesAsync(OrganizationMapping organization, IReadOnlyList<SyncAction> actions, IReadOnlyDictionary<string, int> licenceIds,
        IReadOnlyDictionary<int, HaloRecurringInvoice> invoices, CancellationToken cancellationToken)
    {
        var withLines = actions.Where(a => a.HasLine).ToList();
        if (withLines.Count == 0)
        {
            return;
        }

        var clientId = organization.HaloClientId!.Value;
        var invoice = invoices.TryGetValue(clientId, out var found) ? found : NewInvoice(clientId);
        invoice.Lines ??= new List<HaloInvoiceLine>();
        foreach (var action in withLines)
        {
            var marker = Marker(action);
            var line = invoice.Lines.FirstOrDefault(l => l.LongDescription?.Contains(marker) == true);
            if (line is null)
            {
                if (action.Event.Kind is SyncEventKind.ChangeQuantity or SyncEventKind.UpdateCost or SyncEventKind.CancelSubscription)
                {
                    throw new HaloSyncException("HaloLineMissing", HaloSyncErrorKind.NotFound,
                        $"The recurring-invoice line of {action.Event.ProductName} for {action.Event.OrganizationName} is missing from HaloPSA (was it deleted?). " +
                        "Remove the organization's mapping and map it again to recreate it.");
                }

                line = NewLine(action, licenceIds);
                invoice.Lines.Add(line);
            }

            UpdateLine(line, action);
        }

        var saved = await halo.SaveRecurringInvoiceAsync(invoice, cancellationToken).ConfigureAwait(false);
        foreach (var action in withLines)
        {
            action.Event.InvoiceId = saved.Id;
            if (action.Event.Entity == "RecurringInvoice")
            {
                action.Event.HaloId = saved.Id;
            }
        }
    }

    /// <summary>Sets each item's cost price in one array request.</summary>
    public Task SaveItemCostsAsync(IReadOnlyList<SyncAction> actions, CancellationToken cancellationToken)
        => halo.SaveItemsAsync(actions.Select(a => new HaloItem { Id = a.HaloItemId, CostPrice = a.Event.UnitCost }), cancellationToken);

    private HaloLicence Licence(int clientId, SyncAction action, int existingId)
    {
        var e = action.Event;
        var cancelled = e.Kind == SyncEventKind.CancelSubscription;
        var licence = new HaloLicence
        {
            Id = existingId,
            ClientId = clientId,
            Count = (int)(e.QuantityAfter ?? 0),
            Price = e.UnitPrice,
            PurchasePrice = e.UnitCost,
            ExternalKey = action.HaloKey,
            IsActive = !cancelled,
            Status = cancelled ? "Inactive" : "Active",
        };
        if (cancelled)
        {
            licence.EndDate = e.EffectiveDate;
        }

        if (e.Kind == SyncEventKind.CreateSubscription && action.Subscription is { } subscription)
        {
            licence.Type = 1;
            licence.Name = subscription.ProductName;
            licence.ItemId = action.HaloItemId;
            licence.ProductSku = subscription.Sku;
            licence.BillingCycle = subscription.BillingCycle.ToString();
            licence.TermDuration = subscription.CommitmentTerm?.Type.ToString();
            licence.StartDate = subscription.PurchaseDate.Date;
            licence.EndDate = subscription.CommitmentTerm?.TermEndDate.Date;
            licence.AutoRenew = true;
        }

        return licence;
    }

    private HaloRecurringInvoice NewInvoice(int clientId)
    {
        var today = BillingPeriod.Containing(asOf, settings.InvoiceDay);
        var next = today.Start == asOf.Date ? today.Start : today.End;
        return new HaloRecurringInvoice
        {
            ClientId = clientId,
            Reference = InvoiceReference,
            Notes = "Created and kept in step by HaloSync from Sherweb Cumulus.",
            IsRecurringInvoice = true,
            Period = MonthlyPeriod,
            StartDate = next,
            NextCreationDate = next,
        };
    }

    private static HaloInvoiceLine NewLine(SyncAction action, IReadOnlyDictionary<string, int> licenceIds)
    {
        var e = action.Event;
        var line = new HaloInvoiceLine
        {
            ItemId = action.HaloItemId,
            ShortDescription = action.Charge is null ? e.ProductName : e.Detail,
            LongDescription = (action.Charge is null ? e.ProductName : e.Detail) + " " + Marker(action),
            UnitPrice = e.UnitPrice,
            UnitCost = e.UnitCost,
            StartDate = action.LineStart,
            EndDate = action.Charge is null ? null : action.LineEnd,
        };
        if (licenceIds.TryGetValue(action.HaloKey, out var licenceId))
        {
            line.LicenceLinks = new List<HaloLicenceLink> { new() { LicenceId = licenceId } };
        }

        return line;
    }

    private static void UpdateLine(HaloInvoiceLine line, SyncAction action)
    {
        var e = action.Event;
        line.Quantity = e.QuantityAfter;
        if (e.UnitCost is { } cost)
        {
            line.UnitCost = cost;
        }

        if (e.Kind == SyncEventKind.CancelSubscription)
        {
            line.EndDate = e.EffectiveDate;
            line.IsInactive = true;
        }

        if (action.ProRata is { } proRata)
        {
            line.ProRata ??= new List<HaloProRata>();
            var already = line.ProRata.Any(p => p.Date?.Date == proRata.Date && p.Quantity == proRata.Quantity && p.ShortDescription == proRata.Description);
            if (!already)
            {
                line.ProRata.Add(new HaloProRata
                {
                    Date = proRata.Date,
                    Quantity = proRata.Quantity,
                    UnitPrice = proRata.UnitPrice,
                    UnitCost = proRata.UnitCost,
                    ShortDescription = proRata.Description,
                });
            }
        }
    }

    private static string Marker(SyncAction action) => "[" + action.HaloKey + "]";
}
