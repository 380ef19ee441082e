using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.HaloPsa;

namespace HaloSync.Engine.Sync;

/// <summary>
/// One record HaloSync keeps in a client's HaloPSA: a subscription (its licence, and for a monthly one a line) or a
/// one-off charge (a line). Holds what the run wants it to be, this run's events on it, and what HaloPSA holds now.
/// </summary>
internal sealed class KeptRecord
{
    public KeptRecord(SyncedSubscription subscription, IEnumerable<SyncAction> actions)
    {
        Subscription = subscription;
        Actions = actions.ToList();
    }

    public KeptRecord(SyncedCharge charge, IEnumerable<SyncAction> actions)
    {
        Charge = charge;
        Actions = actions.ToList();
    }

    /// <summary>The target of a subscription (null for a charge). Adoption may move its line start.</summary>
    public SyncedSubscription? Subscription { get; set; }

    public SyncedCharge? Charge { get; }

    public List<SyncAction> Actions { get; }

    public int ClientId => Subscription?.HaloClientId ?? Charge!.HaloClientId;

    public string CumulusKey => Subscription?.CumulusKey ?? Charge!.CumulusKey;

    public string OrganizationId => Subscription?.OrganizationId ?? Charge!.OrganizationId;

    public bool HasLicence => Subscription is not null;

    public bool HasLine => Charge is not null || Subscription!.IsMonthly;

    /// <summary>The subscription has ended (cancelled, or moved to another client).</summary>
    public bool Ended => Subscription?.Cancelled == true;

    /// <summary>A charge this run would only reprice whose line HaloPSA no longer holds to be invoiced: its line is not written.</summary>
    public bool LineLeftAlone { get; set; }

    /// <summary>This run has no event for it: it is only checked for hand edits.</summary>
    public bool Untouched => Actions.Count == 0;

    /// <summary>The licence as HaloPSA holds it (found by its id, else by its key), or as this run saved it.</summary>
    public HaloLicence? Licence { get; set; }

    /// <summary>The line as HaloPSA holds it (found by its id, else by its marker).</summary>
    public HaloInvoiceLine? Line { get; set; }

    /// <summary>
    /// The events whose pro-rata entries were on the line when it went missing (deleted by hand) and that HaloPSA had not
    /// invoiced yet: the recreated line carries them again, with their own markers.
    /// </summary>
    public IReadOnlyList<SyncEvent> UnbilledEntries { get; set; } = Array.Empty<SyncEvent>();

    public override string ToString() => $"{CumulusKey} on client {ClientId}";
}

/// <summary>What HaloPSA holds for one client: its subscriptions and recurring invoices (with lines), as last read or saved.</summary>
internal sealed class HaloClientView
{
    public HaloClientView(int clientId, IEnumerable<HaloLicence> licences, IEnumerable<HaloRecurringInvoice> invoices)
    {
        ClientId = clientId;
        Licences = licences.ToList();
        Invoices = invoices.ToList();
    }

    public int ClientId { get; }

    public List<HaloLicence> Licences { get; }

    public List<HaloRecurringInvoice> Invoices { get; }

    /// <summary>
    /// What on this client bills other than HaloSync keeps it, in words: its recurring invoice disabled in HaloPSA (its
    /// lines bill nothing), or what HaloPSA holds twice of HaloSync's: a second enabled HaloSync recurring invoice, or
    /// a key on two active subscriptions or on two billing lines. HaloSync keeps one (by id, else the oldest) and the
    /// other bills next to it until someone ends it, so each run warns. Empty when there is nothing.
    /// </summary>
    public List<string> BillingConcerns(string clientName, int? linkedInvoiceId)
    {
        var found = new List<string>();
        if (HaloSyncInvoice(linkedInvoiceId) is { Disabled: true } disabled)
        {
            found.Add($"{clientName}: HaloSync's recurring invoice {disabled.Id} is disabled in HaloPSA, so the lines HaloSync keeps on it bill nothing. " +
                      "Enable it again in HaloPSA, or remove the organization's mapping to stop syncing it.");
        }

        var invoices = Invoices.Where(i => i.Disabled != true && string.Equals(i.Reference, HaloKeys.InvoiceReference, StringComparison.Ordinal)).ToList();
        if (invoices.Count > 1)
        {
            found.Add($"{clientName}: HaloPSA has {invoices.Count} enabled HaloSync recurring invoices ({Ids(invoices.Select(i => i.Id))}); " +
                      "each bills its lines. Keep one: disable the others in HaloPSA, after checking what they billed.");
        }

        foreach (var twice in Licences.Where(l => l.IsActive != false && HaloKeys.IsLicenceKey(l.ExternalKey)).GroupBy(l => l.ExternalKey).Where(g => g.Count() > 1))
        {
            found.Add($"{clientName}: {twice.Count()} active HaloPSA subscriptions carry HaloSync's key {twice.Key} ({Ids(twice.Select(l => l.Id))}); " +
                      "end the ones HaloSync does not keep (the newer).");
        }

        var lines = Invoices.Where(i => i.Disabled != true)
            .SelectMany(i => (i.Lines ?? new List<HaloInvoiceLine>()).Where(l => l.IsInactive != true && l.EndDate is null)
                .Select(l => (Invoice: i, Line: l, Key: HaloKeys.KeyInLineMarker(l.LongDescription))))
            .Where(x => x.Key is not null);
        foreach (var twice in lines.GroupBy(x => x.Key).Where(g => g.Count() > 1))
        {
            found.Add($"{clientName}: {twice.Count()} billing lines carry HaloSync's key {twice.Key} " +
                      $"({string.Join(", ", twice.Select(x => $"line {x.Line.Id} of recurring invoice {x.Invoice.Id}"))}); end the ones HaloSync does not keep.");
        }

        return found;
    }

    private static string Ids(IEnumerable<int> ids) => "ids " + string.Join(", ", ids.OrderBy(Math.Abs));

    /// <summary>The client's HaloSync recurring invoice: by its kept id, else by its reference, else the one holding HaloSync's lines.</summary>
    public HaloRecurringInvoice? HaloSyncInvoice(int? linkedId)
        => Invoices.FirstOrDefault(i => linkedId is not null && i.Id == linkedId)
           ?? Invoices.Where(i => string.Equals(i.Reference, HaloKeys.InvoiceReference, StringComparison.Ordinal)).OrderBy(i => Math.Abs(i.Id)).FirstOrDefault()
           ?? Invoices.FirstOrDefault(i => i.Lines?.Any(l => HaloKeys.HasAnyMarker(l.LongDescription)) == true);
}
