using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Migration;

/// <summary>
/// The pure comparison of one client's legacy records with HaloSync's, and what a cutover would write. A legacy
/// subscription paired with one of HaloSync's is deactivated. A legacy recurring invoice is the cutover's to end when
/// one of its lines is paired with HaloSync's or bills a subscription it deactivates; it is ended only when every
/// active line on it is paired (covered). Legacy records that share nothing with HaloSync's (another service's invoice,
/// a subscription HaloSync has none for) are shown and left alone, so a cutover never stops billing something
/// HaloSync does not bill.
/// </summary>
public sealed class MigrationReview
{
    private MigrationReview(OrganizationMapping organization, LegacyRecords records, DateTime asOf, bool removeInvoices, BillingMethod billingMethod)
    {
        Organization = organization;
        Records = records;
        AsOf = asOf;
        RemoveInvoices = removeInvoices;
        BillingMethod = billingMethod;
    }

    public OrganizationMapping Organization { get; }

    public int ClientId => Records.ClientId;

    public LegacyRecords Records { get; }

    public DateTime AsOf { get; }

    /// <summary>Legacy invoices are deleted rather than ended (-RemoveLegacyInvoice).</summary>
    public bool RemoveInvoices { get; }

    /// <summary>How HaloSync bills (its first invoice after a first sync on an invoice day bills differently in arrears).</summary>
    public BillingMethod BillingMethod { get; }

    public List<MigrationItem> Items { get; } = new();

    public decimal LegacyMonthlyTotal => Items.Sum(i => i.LegacyMonthly ?? 0m);

    public decimal HaloSyncMonthlyTotal => Items.Sum(i => i.HaloSyncMonthly ?? 0m);

    /// <summary>What the legacy lines a cutover ends bill: the covered lines of the invoices it ends.</summary>
    public decimal LegacyMonthlyToEnd => Items.Where(i => i.Cutover is MigrationAction.EndInvoice or MigrationAction.RemoveInvoice).Sum(i => i.LegacyMonthly ?? 0m);

    public List<HaloLicence> LicencesToDeactivate { get; } = new();

    /// <summary>Legacy recurring invoices the cutover ends or removes.</summary>
    public List<HaloRecurringInvoice> InvoicesToEnd { get; } = new();

    public List<MigrationItem> NotCovered => Items.Where(i => i.Cutover == MigrationAction.NotCovered).ToList();

    /// <summary>
    /// Invoices to end that HaloPSA generates other than monthly (<c>period</c> 2 is monthly): what they bill is not a
    /// monthly amount, and ending one billed in advance could bill months twice, so a cutover refuses them.
    /// </summary>
    public List<HaloRecurringInvoice> NotMonthly => InvoicesToEnd.Where(i => !IsMonthly(i)).ToList();

    /// <summary>The organization's earlier cutover, if there was one.</summary>
    public MigrationRecord? Migrated { get; set; }

    public bool NothingToWrite => LicencesToDeactivate.Count == 0 && InvoicesToEnd.Count == 0;

    public bool ReadyForCutover => Records.HasHaloSyncRecords && NotCovered.Count == 0 && NotMonthly.Count == 0;

    private static bool IsMonthly(HaloRecurringInvoice invoice) => invoice.Period is null or HaloRecurringInvoice.MonthlyPeriod;

    public static MigrationReview Compare(OrganizationMapping organization, LegacyRecords records, DateTime asOf, bool removeInvoices, BillingMethod billingMethod)
    {
        var review = new MigrationReview(organization, records, asOf, removeInvoices, billingMethod);
        review.CompareSubscriptions();
        review.CompareLines();
        var sorted = review.Items.OrderBy(i => i.Record).ThenBy(i => i.Name, StringComparer.OrdinalIgnoreCase).ThenBy(i => i.LegacyId ?? i.HaloSyncId).ToList();
        review.Items.Clear();
        review.Items.AddRange(sorted);
        return review;
    }

    /// <summary>Why a cutover may not go ahead, or null when it may.</summary>
    public HaloSyncException? Refusal()
    {
        var who = $"'{Organization.Name}' (HaloPSA client {ClientId})";
        if (!Records.HasHaloSyncRecords)
        {
            return new HaloSyncException("MigrationNothingSynced", HaloSyncErrorKind.InvalidOperation,
                $"Cutover refused for {who}: HaloSync has no active subscription or recurring-invoice line there yet, so nothing of its would replace " +
                $"the legacy records. Nothing was written. Run Invoke-HaloSync -Organization '{Organization.Name}', check what it made with " +
                "Start-HaloMigration (no -Cutover), then cut over.");
        }

        if (NotMonthly is { Count: > 0 } notMonthly)
        {
            return new HaloSyncException("MigrationNotMonthly", HaloSyncErrorKind.InvalidOperation,
                $"Cutover refused for {who}: " + string.Join("; ", notMonthly.Select(i => string.Format(CultureInfo.InvariantCulture,
                    "recurring invoice {0} '{1}' is generated every period {2}, not monthly (2)", i.Id, i.Reference, i.Period))) +
                ". HaloSync bills monthly, and ending an invoice that billed in advance for longer could bill those months twice. Nothing was written. " +
                "End it in HaloPSA when what it billed is used up (or make it monthly), then cut over again.");
        }

        var notCovered = NotCovered;
        if (notCovered.Count == 0)
        {
            return null;
        }

        var byInvoice = notCovered.GroupBy(i => i.LegacyInvoiceId).Select(g =>
        {
            var invoice = InvoicesToEnd.First(v => v.Id == g.Key);
            var lines = string.Join(", ", g.Select(i => string.Format(CultureInfo.InvariantCulture, "'{0}' ({1:0.##} x {2:0.00##})", i.LegacyName, i.LegacyQuantity, i.LegacyUnitPrice)));
            return $"recurring invoice {invoice.Id} '{invoice.Reference}' has {g.Count()} line(s) HaloSync does not bill: {lines}";
        });
        return new HaloSyncException("MigrationNotCovered", HaloSyncErrorKind.InvalidOperation,
            $"Cutover refused for {who}: {string.Join("; ", byInvoice)}. Nothing was written. Move these lines to another recurring invoice, or map " +
            "their product so HaloSync bills them and run Invoke-HaloSync, then cut over again. Start-HaloMigration (no -Cutover) lists them as NotCovered.");
    }

    /// <summary>
    /// A warning when the cutover changes what the customer pays per period, else null: before, the legacy lines; after,
    /// HaloSync's lines and the legacy lines the cutover leaves alone.
    /// </summary>
    public string? ChangeWarning()
    {
        var change = HaloSyncMonthlyTotal - LegacyMonthlyToEnd;
        return change == 0m ? null
            : string.Format(CultureInfo.InvariantCulture,
                "{0}: after the cutover the customer is billed {1:0.00} per period instead of {2:0.00} ({3:+0.00;-0.00}): HaloSync's lines bill {4:0.00} where " +
                "the legacy lines it ends bill {5:0.00}. The rows QuantityDifferent, PriceDifferent, BothDifferent, OnlyInLegacy and OnlyInHaloSync say why; " +
                "HaloSync's quantities are Sherweb's and its prices the HaloPSA items'.",
                Organization.Name, LegacyMonthlyTotal + change, LegacyMonthlyTotal, change, HaloSyncMonthlyTotal, LegacyMonthlyToEnd);
    }

    /// <summary>
    /// What ending the legacy invoices would bill wrongly around the cutover, which the rows do not show: pro-rata entries
    /// of their lines not invoiced yet (dropped with the invoice), a schedule on another day than HaloSync's (days billed
    /// twice or by neither), and a period both invoices generated on the same day (billed twice already). Empty when none.
    /// </summary>
    public List<string> BillingWarnings()
    {
        var warnings = new List<string>();
        var haloSync = Records.HaloSyncInvoice;
        // A change HaloSync saw too carries its own entry on HaloSync's line (same item, date and seats): billed there.
        var billedByHaloSync = new HashSet<(int?, DateTime?, decimal?)>(Records.HaloSyncLines
            .SelectMany(l => (l.Line.ProRata ?? new List<HaloProRata>()).Select(p => (l.Line.ItemId, p.Date?.Date, p.Quantity))));
        foreach (var invoice in InvoicesToEnd)
        {
            var what = string.Format(CultureInfo.InvariantCulture, "{0}: legacy recurring invoice {1} '{2}'", Organization.Name, invoice.Id, invoice.Reference);
            // Every line's, an inactive or ended one's too: HaloPSA still invoices their entries, and ending the invoice drops them.
            var pending = (invoice.Lines ?? new List<HaloInvoiceLine>())
                .SelectMany(l => (l.ProRata ?? new List<HaloProRata>()).Where(p => p.IsInvoiced != true).Select(p => (Line: l, Entry: p)))
                .Where(p => !billedByHaloSync.Contains((p.Line.ItemId, p.Entry.Date?.Date, p.Entry.Quantity)))
                .ToList();
            if (pending.Count > 0)
            {
                warnings.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0} has {1} pro-rata entr(ies) not invoiced yet ({2}), worth {3:+0.00;-0.00}; ending it drops them. Bill or credit them by hand.",
                    what, pending.Count,
                    string.Join(", ", pending.Select(p => string.Format(CultureInfo.InvariantCulture, "'{0}' {1:+0.##;-0.##} x {2:0.00##}",
                        p.Line.ShortDescription, p.Entry.Quantity ?? 0m, p.Entry.UnitPrice ?? 0m))),
                    pending.Sum(p => Money.LineAmount(p.Entry.Quantity ?? 0m, p.Entry.UnitPrice ?? 0m))));
            }

            if (haloSync is null)
            {
                continue;
            }

            if (invoice.NextCreationDate is { } legacyNext && haloSync.NextCreationDate is { } haloSyncNext && legacyNext.Date != haloSyncNext.Date)
            {
                warnings.Add(string.Format(CultureInfo.InvariantCulture,
                    "{0} generates next on {1:yyyy-MM-dd} and HaloSync's on {2:yyyy-MM-dd}: around the cutover the days between are billed twice or by neither. " +
                    "Check the first invoices of both and bill or credit the difference by hand.", what, legacyNext, haloSyncNext));
            }

            if (invoice.LastCreated is { } legacyLast && haloSync.LastCreated is { } haloSyncLast && legacyLast.Date == haloSyncLast.Date)
            {
                // Both generate monthly: every invoice day from HaloSync's first to this one billed a period twice. Post-bill, a
                // first sync on the invoice day credits HaloSync's new lines the period before, which its first invoice then
                // does not bill: that day is not one of them.
                var first = haloSync.StartDate?.Date is { } start && start < legacyLast.Date ? start : legacyLast.Date;
                if (BillingMethod == BillingMethod.PostBill && first == haloSync.StartDate?.Date
                    && Records.HaloSyncLines.Select(l => l.Line.StartDate?.Date).Min() == first)
                {
                    first = first.AddMonths(1);
                }

                var periods = 0;
                for (var day = first; day <= legacyLast.Date; day = day.AddMonths(1))
                {
                    periods++;
                }

                if (periods == 0)
                {
                    continue;
                }

                warnings.Add(periods == 1
                    ? string.Format(CultureInfo.InvariantCulture,
                        "{0} and HaloSync's recurring invoice both generated on {1:yyyy-MM-dd}: the period they bill is billed twice. Credit one of them by hand.",
                        what, legacyLast)
                    : string.Format(CultureInfo.InvariantCulture,
                        "{0} and HaloSync's recurring invoice both generated on each invoice day from {1:yyyy-MM-dd} to {2:yyyy-MM-dd}: {3} periods are billed twice. " +
                        "Credit one invoice of each by hand.", what, first, legacyLast, periods));
            }
        }

        return warnings;
    }

    public MigrationSummary Summary(MigrationOutcome outcome)
    {
        int Count(MigrationMatch status) => Items.Count(i => i.Status == status);
        return new MigrationSummary
        {
            OrganizationId = Organization.OrganizationId,
            OrganizationName = Organization.Name,
            HaloClientId = ClientId,
            HaloClientName = Organization.HaloClientName,
            AsOf = AsOf,
            Outcome = outcome,
            Matched = Count(MigrationMatch.Matched),
            QuantityDifferent = Count(MigrationMatch.QuantityDifferent),
            PriceDifferent = Count(MigrationMatch.PriceDifferent),
            BothDifferent = Count(MigrationMatch.BothDifferent),
            OnlyInLegacy = Count(MigrationMatch.OnlyInLegacy),
            OnlyInHaloSync = Count(MigrationMatch.OnlyInHaloSync),
            LegacyMonthlyTotal = LegacyMonthlyTotal,
            LegacyMonthlyToEnd = LegacyMonthlyToEnd,
            HaloSyncMonthlyTotal = HaloSyncMonthlyTotal,
            SubscriptionsToDeactivate = LicencesToDeactivate.Count,
            InvoicesToEnd = InvoicesToEnd.Count,
            NotCovered = NotCovered.Count,
            OtherLinesOnHaloSyncInvoice = Records.OtherLinesOnHaloSyncInvoice.Count,
            InvoicesNotMonthly = NotMonthly.Count,
            ReadyForCutover = ReadyForCutover,
            MigratedOn = Migrated?.CutoverOn,
        };
    }

    private void CompareSubscriptions()
    {
        static BilledRecord Billed(HaloLicence l) => new(l.Id, null, l.ItemId, l.Name ?? string.Empty, l.Count ?? 0, l.Price ?? 0m, l);
        // A line on HaloSync's invoice that takes its seats from a legacy subscription bills on after the cutover (it ends no
        // such invoice): setting that subscription inactive would stop it billing, so it is left alone.
        var stillBilling = new HashSet<int>(Records.OtherLinesOnHaloSyncInvoice.SelectMany(l => l.Line.LicenceLinks ?? new List<HaloLicenceLink>())
            .Where(link => link.LicenceId is not null).Select(link => link.LicenceId!.Value));
        foreach (var (legacy, haloSync) in RecordPairing.Pair(Records.LegacyLicences.Select(Billed), Records.HaloSyncLicences.Select(Billed)))
        {
            var item = NewItem(MigrationRecordKind.Subscription, legacy, haloSync);
            if (legacy is not null)
            {
                item.Cutover = haloSync is null || stillBilling.Contains(legacy.Id) ? MigrationAction.LeaveAlone : MigrationAction.Deactivate;
                if (item.Cutover == MigrationAction.Deactivate)
                {
                    LicencesToDeactivate.Add((HaloLicence)legacy.Source);
                }
            }

            Items.Add(item);
        }
    }

    private void CompareLines()
    {
        var activeSeats = Records.LegacyLicences.Concat(Records.HaloSyncLicences).ToDictionary(l => l.Id, l => (decimal)(l.Count ?? 0));
        BilledRecord Billed(InvoicedLine l)
            => new(l.Line.Id, l.Invoice.Id, l.Line.ItemId, l.Line.ShortDescription ?? l.Line.LongDescription ?? string.Empty, Money.Plain(l.Line.SeatsBilled(activeSeats)),
                l.Line.UnitPrice ?? 0m, l);
        var pairs = RecordPairing.Pair(Records.LegacyLines.Select(Billed), Records.HaloSyncLines.Select(Billed));
        var deactivated = new HashSet<int>(LicencesToDeactivate.Select(l => l.Id));
        var concerned = new HashSet<int>(pairs.Where(p => p.Legacy is not null && p.HaloSync is not null).Select(p => p.Legacy!.InvoiceId!.Value)
            .Concat(Records.LegacyLines.Where(l => l.Line.LicenceLinks?.Any(link => link.LicenceId is { } id && deactivated.Contains(id)) == true).Select(l => l.Invoice.Id)));
        InvoicesToEnd.AddRange(Records.LegacyInvoices.Where(i => concerned.Contains(i.Id)));
        foreach (var (legacy, haloSync) in pairs)
        {
            var item = NewItem(MigrationRecordKind.Line, legacy, haloSync);
            item.LegacyMonthly = legacy is null || !IsMonthly(((InvoicedLine)legacy.Source).Invoice) ? null : Money.LineAmount(legacy.Quantity, legacy.UnitPrice);
            item.HaloSyncMonthly = haloSync is null ? null : Money.LineAmount(haloSync.Quantity, haloSync.UnitPrice);
            if (legacy is not null)
            {
                item.Cutover = !concerned.Contains(legacy.InvoiceId!.Value) ? MigrationAction.LeaveAlone
                    : haloSync is null ? MigrationAction.NotCovered
                    : RemoveInvoices ? MigrationAction.RemoveInvoice
                    : MigrationAction.EndInvoice;
            }

            Items.Add(item);
        }
    }

    private MigrationItem NewItem(MigrationRecordKind kind, BilledRecord? legacy, BilledRecord? haloSync)
        => new()
        {
            OrganizationId = Organization.OrganizationId,
            OrganizationName = Organization.Name,
            HaloClientId = ClientId,
            Record = kind,
            Status = legacy is null ? MigrationMatch.OnlyInHaloSync
                : haloSync is null ? MigrationMatch.OnlyInLegacy
                : (legacy.Quantity == haloSync.Quantity, legacy.UnitPrice == haloSync.UnitPrice) switch
                {
                    (true, true) => MigrationMatch.Matched,
                    (false, true) => MigrationMatch.QuantityDifferent,
                    (true, false) => MigrationMatch.PriceDifferent,
                    _ => MigrationMatch.BothDifferent,
                },
            Name = haloSync?.Name is { Length: > 0 } name ? name : legacy?.Name ?? string.Empty,
            HaloItemId = new[] { haloSync?.ItemId, legacy?.ItemId }.FirstOrDefault(id => id is > 0),
            LegacyId = legacy?.Id,
            LegacyInvoiceId = legacy?.InvoiceId,
            LegacyName = legacy?.Name,
            LegacyQuantity = legacy?.Quantity,
            LegacyUnitPrice = legacy?.UnitPrice,
            HaloSyncId = haloSync?.Id,
            HaloSyncInvoiceId = haloSync?.InvoiceId,
            HaloSyncName = haloSync?.Name,
            HaloSyncQuantity = haloSync?.Quantity,
            HaloSyncUnitPrice = haloSync?.UnitPrice,
            Cutover = MigrationAction.Keep,
        };
}
