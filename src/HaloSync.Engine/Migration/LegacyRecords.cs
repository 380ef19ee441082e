using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Reconciliation;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Migration;

/// <summary>A recurring-invoice line with the invoice that holds it.</summary>
public sealed record InvoicedLine(HaloRecurringInvoice Invoice, HaloInvoiceLine Line);

/// <summary>
/// One client's billing in HaloPSA told apart: what HaloSync made and what it did not (legacy), by the one rule of
/// <see cref="HaloSyncOwnership"/> (the state's links, then HaloSync's key). Everything else the client has active
/// is legacy, except lines someone added by hand to HaloSync's own recurring invoice (or to any invoice holding one
/// of its lines): that invoice stays after a cutover, so its other lines are neither side's and are left out. Only
/// what is active on the date counts.
/// </summary>
public sealed class LegacyRecords
{
    private LegacyRecords(int clientId)
    {
        ClientId = clientId;
    }

    public int ClientId { get; }

    /// <summary>The client's HaloSync recurring invoice (kept id, else reference "HaloSync", else the one holding its lines).</summary>
    public HaloRecurringInvoice? HaloSyncInvoice { get; private set; }

    public List<HaloLicence> HaloSyncLicences { get; } = new();

    public List<InvoicedLine> HaloSyncLines { get; } = new();

    public List<HaloLicence> LegacyLicences { get; } = new();

    /// <summary>The client's active recurring invoices other than HaloSync's.</summary>
    public List<HaloRecurringInvoice> LegacyInvoices { get; } = new();

    /// <summary>The active lines of <see cref="LegacyInvoices"/>.</summary>
    public List<InvoicedLine> LegacyLines { get; } = new();

    /// <summary>Active lines HaloSync did not make on an invoice holding HaloSync's (added by hand); in neither list, never ended.</summary>
    public List<InvoicedLine> OtherLinesOnHaloSyncInvoice { get; } = new();

    public bool HasHaloSyncRecords => HaloSyncLicences.Count > 0 || HaloSyncLines.Count > 0;

    public static LegacyRecords Classify(int clientId, IEnumerable<HaloLicence> licences, IEnumerable<HaloRecurringInvoice> invoices, HaloLinks links, DateTime asOf)
    {
        var records = new LegacyRecords(clientId);
        var invoiceList = invoices.Where(i => (i.ClientId ?? clientId) == clientId).ToList();
        var haloSyncInvoice = new HaloClientView(clientId, Array.Empty<HaloLicence>(), invoiceList)
            .HaloSyncInvoice(links.Find(clientId, HaloKeys.InvoiceLinkKey, HaloEntity.RecurringInvoice));
        records.HaloSyncInvoice = haloSyncInvoice;
        var ownership = new HaloSyncOwnership(links);
        foreach (var licence in licences.Where(l => (l.ClientId ?? clientId) == clientId && IsActive(l)).OrderBy(l => l.Id))
        {
            (ownership.IsHaloSyncs(clientId, licence) ? records.HaloSyncLicences : records.LegacyLicences).Add(licence);
        }

        bool IsHaloSyncs(HaloInvoiceLine line) => ownership.IsHaloSyncs(clientId, line);
        foreach (var invoice in invoiceList.Where(i => IsActive(i, asOf)).OrderBy(i => Math.Abs(i.Id)))
        {
            var lines = (invoice.Lines ?? new List<HaloInvoiceLine>()).Where(l => IsActive(l, asOf)).OrderBy(l => l.Id).ToList();
            // An invoice that holds a line of HaloSync's is never a cutover's to end, wherever that line came to be.
            var isHaloSyncInvoice = ReferenceEquals(invoice, haloSyncInvoice) || lines.Any(IsHaloSyncs);
            foreach (var line in lines)
            {
                if (IsHaloSyncs(line))
                {
                    records.HaloSyncLines.Add(new InvoicedLine(invoice, line));
                }
                else if (isHaloSyncInvoice)
                {
                    records.OtherLinesOnHaloSyncInvoice.Add(new InvoicedLine(invoice, line));
                }
                else
                {
                    records.LegacyLines.Add(new InvoicedLine(invoice, line));
                }
            }

            if (!isHaloSyncInvoice)
            {
                records.LegacyInvoices.Add(invoice);
            }
        }

        return records;
    }

    /// <summary>A subscription bills until it is set inactive (an end date alone is the commitment's term end).</summary>
    public static bool IsActive(HaloLicence licence) => licence.IsActive != false;

    /// <summary>A recurring invoice runs until it is disabled or its end date is reached.</summary>
    public static bool IsActive(HaloRecurringInvoice invoice, DateTime asOf) => invoice.Disabled != true && (invoice.EndDate is null || invoice.EndDate.Value.Date > asOf.Date);

    /// <summary>A line bills until it is inactive or its end date is reached.</summary>
    public static bool IsActive(HaloInvoiceLine line, DateTime asOf) => line.IsInactive != true && (line.EndDate is null || line.EndDate.Value.Date > asOf.Date);
}
