using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.HaloPsa;

namespace HaloSync.Engine.Sync;

/// <summary>
/// The second pure step of a sync: what HaloPSA should hold (the kept records) against what it holds (read back),
/// to the writes that close the gap. Records are found by HaloPSA's id first and by HaloSync's key second, so a
/// record is created only when neither finds it, and writing the same target twice sends nothing the second time.
/// </summary>
internal sealed class HaloReconciler
{
    private readonly SyncConfiguration settings;
    private readonly DateTime asOf;
    private readonly HaloLinks links;

    public HaloReconciler(SyncConfiguration settings, DateTime asOf, HaloLinks links)
    {
        this.settings = settings;
        this.asOf = asOf;
        this.links = links;
    }

    /// <summary>
    /// Finds each record's licence and line in what HaloPSA holds for its client. On the first read, for a subscription's
    /// line HaloPSA no longer holds, the entries earlier runs wrote on it (<paramref name="writtenProRata"/>) that HaloPSA's
    /// invoices still to come bill are kept, to be written again with the line.
    /// </summary>
    public void Match(IEnumerable<KeptRecord> records, HaloClientView view, Func<KeptRecord, IReadOnlyList<SyncEvent>>? writtenProRata = null)
    {
        var invoice = view.HaloSyncInvoice(links.Find(view.ClientId, HaloKeys.InvoiceLinkKey, HaloEntity.RecurringInvoice));
        foreach (var record in records)
        {
            if (record.HasLicence)
            {
                var licenceId = links.Find(record.ClientId, record.CumulusKey, HaloEntity.SoftwareLicence);
                var key = HaloKeys.Licence(record.CumulusKey);
                record.Licence = view.Licences.FirstOrDefault(l => licenceId is not null && l.Id == licenceId)
                                 ?? view.Licences.Where(l => l.ExternalKey == key).OrderBy(l => l.Id).FirstOrDefault();
            }

            if (record.HasLine)
            {
                var lineId = links.Find(record.ClientId, record.CumulusKey, HaloEntity.InvoiceLine);
                var marker = HaloKeys.LineMarker(record.CumulusKey);
                var lines = invoice?.Lines ?? new List<HaloInvoiceLine>();
                record.Line = lines.FirstOrDefault(l => lineId is not null && l.Id == lineId)
                              ?? lines.Where(l => l.LongDescription?.Contains(marker) == true).OrderBy(l => l.Id).FirstOrDefault();
                // With HaloSync's recurring invoice gone too, nothing says which of its invoices HaloPSA generated: none is written again.
                if (writtenProRata is not null && record.Line is null && record.Subscription is not null && !record.Ended && invoice?.NextCreationDate is { } next)
                {
                    record.UnbilledEntries = writtenProRata(record).Where(e => e.ProRataBilledBy >= next.Date && record.Actions.All(a => a.Event.EventId != e.EventId)).ToList();
                }
            }
        }
    }

    /// <summary>
    /// Run once, on the first read: a record this run creates that HaloPSA already holds is adopted (kept with its own
    /// start date), and a record this run does not change that differs from its target was edited by hand: an event
    /// sets it back. Returns the new events.
    /// </summary>
    public List<SyncAction> Review(IEnumerable<KeptRecord> records, Func<KeptRecord, SyncEvent> newEvent)
    {
        var reverts = new List<SyncAction>();
        foreach (var record in records)
        {
            var create = record.Actions.FirstOrDefault(a => !a.Finishes && a.Event.Kind is SyncEventKind.CreateSubscription or SyncEventKind.AddCharge);
            if (create is not null && (record.Licence is not null || record.Line is not null))
            {
                Adopt(record, create.Event);
            }
            else if (record.Charge is not null && record.Actions.All(a => a.Event.Kind is SyncEventKind.UpdatePrice or SyncEventKind.ChangeItem) && !ToInvoice(record.Line))
            {
                LeaveChargeLine(record);
            }
            else if (record.Untouched && Differences(record) is { Count: > 0 } differences)
            {
                var e = newEvent(record);
                e.Kind = SyncEventKind.RevertDrift;
                e.QuantityBefore = record.Line?.Quantity ?? record.Licence?.Count;
                e.QuantityAfter = record.Subscription?.Quantity ?? record.Charge!.Quantity;
                e.HaloId = record.Licence?.Id;
                e.Detail = "Changed in HaloPSA by hand: " + string.Join("; ", differences) + ". Set back to what Cumulus says.";
                var action = new SyncAction(e);
                record.Actions.Add(action);
                reverts.Add(action);
            }
        }

        return reverts;
    }

    /// <summary>Whether a charge's line is still to be invoiced: HaloPSA holds it active, and it has not ended before today.</summary>
    private bool ToInvoice(HaloInvoiceLine? line) => line is not null && line.IsInactive != true && !(line.EndDate?.Date < asOf);

    /// <summary>
    /// A new price or item for a charge whose line was removed or made inactive in HaloPSA, or ended there before today
    /// (an invoice billed it), changes nothing: a new line would bill the charge again, and a billed one keeps its price.
    /// </summary>
    private static void LeaveChargeLine(KeptRecord record)
    {
        record.LineLeftAlone = true;
        var why = record.Line switch
        {
            null => "is no longer on HaloSync's recurring invoice (removed in HaloPSA): not added again",
            { IsInactive: true } line => $"{line.Id} is inactive in HaloPSA: left as it is",
            { } line => $"{line.Id} ended in HaloPSA on {Date(line.EndDate)}: left at {Money.Text(line.UnitPrice)}",
        };
        foreach (var e in record.Actions.Select(a => a.Event))
        {
            var now = e.Kind == SyncEventKind.ChangeItem ? $"The product now bills as HaloPSA item {e.HaloItemId} at" : "The item's price is now";
            e.Detail = $"{now} {Money.Text(e.UnitPrice)}, but the charge's line {why}";
        }
    }

    private static void Adopt(KeptRecord record, SyncEvent e)
    {
        e.Kind = SyncEventKind.Adopt;
        var found = new List<string>();
        if (record.Licence is { } licence)
        {
            found.Add($"subscription {licence.Id} ({licence.Count} seats)");
            e.HaloId = licence.Id;
        }

        if (record.Line is { } line)
        {
            found.Add($"line {line.Id} from {Date(line.StartDate)}");
            if (line.StartDate is { } start && record.Subscription is { } subscription)
            {
                record.Subscription = subscription with { LineStart = start.Date };
                e.LineStart = start.Date;
                e.EffectiveDate = start.Date;
            }

            // What an earlier run billed for this line stays; no pro-rata is added for a change whose date is unknown.
            e.ProRata = null;
        }

        e.Detail = $"Found in HaloPSA by its key ({string.Join(", ", found)}), made by HaloSync before this state file knew it: " +
                   $"kept, and brought to Cumulus's quantity {e.QuantityAfter?.ToString(CultureInfo.InvariantCulture)}.";
    }

    /// <summary>How HaloPSA's copy of a record differs from its target, in words; empty when it does not.</summary>
    private static List<string> Differences(KeptRecord record)
    {
        var differences = new List<string>();
        if (record.Subscription is { } target)
        {
            if (record.Licence is not { } licence)
            {
                differences.Add("the subscription is missing (recreated)");
            }
            else
            {
                Compare(differences, "subscription count", licence.Count, target.Quantity);
                Compare(differences, "subscription item", licence.ItemId, target.HaloItemId, target.HaloItemId is not null && licence.CarriesItemId);
                Compare(differences, "subscription active", licence.IsActive ?? true, !target.Cancelled);
                Compare(differences, "subscription term end", licence.EndDate?.Date, target.TermEndDate, !target.Cancelled);
                Compare(differences, "subscription price", licence.Price, target.UnitPrice, target.UnitPrice is not null);
                Compare(differences, "subscription cost", licence.PurchasePrice, target.UnitCost, target.UnitCost is not null);
                Compare(differences, "subscription key", licence.ExternalKey, HaloKeys.Licence(target.CumulusKey));
            }
        }

        if (record.HasLine && !record.Ended)
        {
            if (record.Line is not { } line)
            {
                differences.Add(record.UnbilledEntries.Count == 0
                    ? "the recurring-invoice line is missing (recreated)"
                    : "the recurring-invoice line is missing (recreated, with the pro-rata HaloPSA had not invoiced: " +
                      string.Join(", ", record.UnbilledEntries.Select(e => FormattableString.Invariant($"{e.ProRata!.Quantity:+0;-0} x {Money.Text(e.ProRata.UnitPrice)} on {Date(e.ProRata.Date)}"))) + ")");
            }
            else
            {
                var (quantity, price, cost) = LineTarget(record);
                Compare(differences, "line quantity", line.Quantity, quantity);
                Compare(differences, "line item", line.ItemId, record.Subscription?.HaloItemId, record.Subscription?.HaloItemId is not null);
                Compare(differences, "line inactive", line.IsInactive ?? false, false);
                if (record.Subscription is not null && line.EndDate is { } ended)
                {
                    differences.Add(FormattableString.Invariant($"line end date {ended:yyyy-MM-dd} (should be none)"));
                }

                Compare(differences, "line price", line.UnitPrice, price);
                Compare(differences, "line cost", line.UnitCost, cost, cost is not null);
                if (line.LongDescription?.Contains(HaloKeys.LineMarker(record.CumulusKey)) != true)
                {
                    differences.Add("line description lost its HaloSync key (restored)");
                }
            }
        }

        return differences;
    }

    private static void Compare<T>(List<string> differences, string what, T actual, T wanted, bool applies = true)
    {
        if (applies && !EqualityComparer<T>.Default.Equals(actual, wanted))
        {
            differences.Add($"{what} {Describe(actual)} (should be {Describe(wanted)})");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "none",
        bool b => b ? "yes" : "no",
        decimal d => d.ToString("0.####", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "none",
    };

    /// <summary>The licence save that brings a record's licence to its target (a creation with id 0, or a partial update); null when none is needed.</summary>
    public HaloLicence? LicenceWrite(KeptRecord record)
        => !record.HasLicence ? null
            : record.Licence is { } found ? LicenceUpdate(record.Subscription!, found)
            : LicenceCreate(record.Subscription!);

    private static HaloLicence? LicenceCreate(SyncedSubscription target)
    {
        if (target.Cancelled)
        {
            return null; // nothing to end: HaloPSA never had it
        }

        return new HaloLicence
        {
            Type = 1,
            ClientId = target.HaloClientId,
            Name = target.ProductName,
            ItemId = target.HaloItemId,
            ProductSku = target.Sku,
            BillingCycle = target.BillingCycle.ToString(),
            TermDuration = target.Term?.ToString(),
            StartDate = target.PurchaseDate,
            EndDate = target.TermEndDate,
            AutoRenew = true,
            Count = target.Quantity,
            Price = target.UnitPrice,
            PurchasePrice = target.UnitCost,
            ExternalKey = HaloKeys.Licence(target.CumulusKey),
            IsActive = true,
            Status = "Active",
        };
    }

    private static HaloLicence? LicenceUpdate(SyncedSubscription target, HaloLicence found)
    {
        var update = new HaloLicence { Id = found.Id };
        var changed = false;
        void Set<T>(T actual, T wanted, Action apply)
        {
            if (!EqualityComparer<T>.Default.Equals(actual, wanted))
            {
                apply();
                changed = true;
            }
        }

        Set(found.Count, target.Quantity, () => update.Count = target.Quantity);
        if (target.HaloItemId is { } item && found.CarriesItemId)
        {
            Set(found.ItemId, item, () => update.ItemId = item);
        }

        Set(found.ExternalKey, HaloKeys.Licence(target.CumulusKey), () => update.ExternalKey = HaloKeys.Licence(target.CumulusKey));
        if (target.UnitPrice is { } price)
        {
            Set(found.Price, price, () => update.Price = price);
        }

        if (target.UnitCost is { } cost)
        {
            Set(found.PurchasePrice, cost, () => update.PurchasePrice = cost);
        }

        var active = !target.Cancelled;
        Set(found.IsActive ?? true, active, () =>
        {
            update.IsActive = active;
            update.Status = active ? "Active" : "Inactive";
            update.EndDate = active ? target.TermEndDate ?? HaloDateConverter.NoDate : target.CancelledOn;
        });
        if (active)
        {
            Set(found.EndDate?.Date, target.TermEndDate, () => update.EndDate = target.TermEndDate ?? HaloDateConverter.NoDate);
        }
        else
        {
            Set(found.EndDate?.Date, target.CancelledOn, () =>
            {
                update.EndDate = target.CancelledOn;
                update.Status = "Inactive";
            });
        }

        return changed ? update : null;
    }

    /// <summary>
    /// The recurring-invoice save that brings the client's records' lines to their targets (the invoice created when the
    /// client has none), with its whole set of lines; null when HaloPSA already holds them.
    /// </summary>
    public HaloRecurringInvoice? InvoiceWrite(HaloClientView view, IReadOnlyList<KeptRecord> records)
    {
        var withLines = records.Where(r => r.HasLine && !r.LineLeftAlone && (!r.Ended || r.Line is not null)).ToList();
        if (withLines.Count == 0)
        {
            return null;
        }

        var found = view.HaloSyncInvoice(links.Find(view.ClientId, HaloKeys.InvoiceLinkKey, HaloEntity.RecurringInvoice));
        // Sent back with every line (lines left out would be deleted); only changed lines are copies with new values.
        var invoice = found is null
            ? NewInvoice(view.ClientId)
            : new HaloRecurringInvoice { Id = found.Id, ClientId = found.ClientId, Lines = found.Lines?.ToList() ?? new List<HaloInvoiceLine>() };
        invoice.Lines ??= new List<HaloInvoiceLine>();
        var changed = found is null;
        var nextInvoice = found is null ? invoice.NextCreationDate : found.NextCreationDate;
        foreach (var record in withLines)
        {
            var index = record.Line is null ? -1 : invoice.Lines.FindIndex(l => l.Id == record.Line.Id);
            if (index < 0)
            {
                invoice.Lines.Add(NewLine(record, nextInvoice?.Date));
                changed = true;
                continue;
            }

            var line = invoice.Lines[index].Copy();
            if (UpdateLine(line, record, nextInvoice?.Date))
            {
                invoice.Lines[index] = line;
                changed = true;
            }
        }

        return changed ? invoice : null;
    }

    private HaloRecurringInvoice NewInvoice(int clientId)
    {
        var period = BillingPeriod.Containing(asOf, settings.InvoiceDay);
        var next = period.Start == asOf.Date ? period.Start : period.End;
        return new HaloRecurringInvoice
        {
            ClientId = clientId,
            Reference = HaloKeys.InvoiceReference,
            Notes = "Created and kept in step by HaloSync from Sherweb Cumulus.",
            IsRecurringInvoice = true,
            Period = HaloRecurringInvoice.MonthlyPeriod,
            StartDate = next,
            NextCreationDate = next,
        };
    }

    /// <param name="nextInvoice">When HaloPSA generates the client's next invoice from its HaloSync recurring invoice, as it says.</param>
    private HaloInvoiceLine NewLine(KeptRecord record, DateTime? nextInvoice)
    {
        var (quantity, price, cost) = LineTarget(record);
        var text = record.Charge?.Description ?? record.Subscription!.ProductName;
        var (start, end) = record.Charge is { } charge ? ChargeWindow(record, charge, nextInvoice) : (record.Subscription!.LineStart ?? asOf, record.Subscription.CancelledOn);
        var line = new HaloInvoiceLine
        {
            ItemId = record.Charge?.HaloItemId ?? record.Subscription!.HaloItemId,
            ShortDescription = text,
            LongDescription = text + " " + HaloKeys.LineMarker(record.CumulusKey),
            Quantity = quantity,
            UnitPrice = price,
            UnitCost = cost,
            StartDate = start,
            EndDate = end,
            IsInactive = record.Ended ? true : null,
        };
        if (record.Licence is { } licence)
        {
            line.LicenceLinks = new List<HaloLicenceLink> { new() { LicenceId = licence.Id } };
        }

        line.ProRata = ProRataToAdd(record, null, nextInvoice);
        line.ProRata.AddRange(record.UnbilledEntries.Select(e => Entry(e.ProRata!, Marker(record, e, e.ProRata!))));
        if (line.ProRata.Count == 0)
        {
            line.ProRata = null;
        }

        return line;
    }

    /// <summary>
    /// A one-off line is active until the day before the invoice that is to bill it, so that invoice bills it and the
    /// next one does not. That invoice is the one HaloPSA says it generates next: on an invoice day before HaloPSA has
    /// generated, today's; after, next month's; for a charge whose write is finished after an invoice day, the next one.
    /// Without HaloPSA's date, the planned window (to the day before the next anchor) stands. Its events record the window.
    /// </summary>
    private (DateTime Start, DateTime End) ChargeWindow(KeptRecord record, SyncedCharge charge, DateTime? nextInvoice)
    {
        var (start, end) = (charge.LineStart, charge.LineEnd);
        if (nextInvoice is { } next)
        {
            end = next.AddDays(-1);
            start = asOf.Date < end ? asOf.Date : end;
        }

        foreach (var e in record.Actions.Select(a => a.Event).Where(e => e.Kind == SyncEventKind.AddCharge))
        {
            (e.LineStart, e.LineEnd) = (start, end);
        }

        return (start, end);
    }

    /// <summary>Brings a line (a copy of HaloPSA's) to its target; returns whether anything changed.</summary>
    private bool UpdateLine(HaloInvoiceLine line, KeptRecord record, DateTime? nextInvoice)
    {
        var (quantity, price, cost) = LineTarget(record);
        var changed = false;
        if ((record.Subscription?.HaloItemId ?? record.Charge?.HaloItemId) is { } item && line.ItemId != item)
        {
            line.ItemId = item;
            changed = true;
        }

        if (line.Quantity != quantity)
        {
            line.Quantity = quantity;
            changed = true;
        }

        if (line.UnitPrice != price)
        {
            line.UnitPrice = price;
            changed = true;
        }

        if (cost is not null && line.UnitCost != cost)
        {
            line.UnitCost = cost;
            changed = true;
        }

        if ((line.IsInactive ?? false) != record.Ended)
        {
            line.IsInactive = record.Ended;
            changed = true;
        }

        if (record.Subscription is { } subscription && line.EndDate?.Date != subscription.CancelledOn)
        {
            // Ended on its cancellation date; a line HaloSync keeps active has no end date (one set by hand is cleared).
            line.EndDate = subscription.CancelledOn ?? HaloDateConverter.NoDate;
            changed = true;
        }

        var marker = HaloKeys.LineMarker(record.CumulusKey);
        if (line.LongDescription?.Contains(marker) != true)
        {
            line.LongDescription = ((line.LongDescription ?? string.Empty) + " " + marker).Trim();
            changed = true;
        }

        if (record.Licence is { } licence && line.LicenceLinks?.Any(l => l.LicenceId == licence.Id) != true)
        {
            line.LicenceLinks ??= new List<HaloLicenceLink>();
            line.LicenceLinks.Add(new HaloLicenceLink { LicenceId = licence.Id });
            changed = true;
        }

        var added = ProRataToAdd(record, line.ProRata, nextInvoice);
        if (added.Count > 0)
        {
            line.ProRata ??= new List<HaloProRata>();
            line.ProRata.AddRange(added);
            changed = true;
        }

        return changed;
    }

    private static (decimal Quantity, decimal Price, decimal? Cost) LineTarget(KeptRecord record)
        => record.Charge is { } charge
            ? (charge.Quantity, charge.UnitPrice, charge.UnitCost)
            : (record.Subscription!.Quantity, record.Subscription.UnitPrice ?? 0m, record.Subscription.UnitCost);

    /// <summary>
    /// This run's pro-rata entries for the record that the line does not carry yet (found by their marker), each for the
    /// invoice HaloPSA says it generates next (<see cref="ProRataCalculator.AtNextInvoice"/>).
    /// </summary>
    private List<HaloProRata> ProRataToAdd(KeptRecord record, IReadOnlyCollection<HaloProRata>? present, DateTime? nextInvoice)
    {
        var added = new List<HaloProRata>();
        foreach (var action in record.Actions)
        {
            var e = action.Event;
            var entry = e.ProRata ?? OnAnchor(e);
            if (entry is null)
            {
                (e.ProRataToWrite, e.ProRataBilledBy) = (null, null);
                continue;
            }

            if (e.EventId == 0)
            {
                throw new InvalidOperationException($"The event '{e}' is written before it is recorded; its pro-rata entry would carry no event in its marker.");
            }

            var marker = Marker(record, e, entry);
            var already = present?.Any(p => p.LongDescription?.Contains(marker) == true || action.Finishes && WrittenByEarlierVersion(p, record, e, entry)) == true
                          || action.Finishes && WroteWithoutEntry(record, e);
            if (already)
            {
                // What an earlier round of this run wrote (its answer lost, the line read back) stays the event's record of it.
                continue;
            }

            (e.ProRataToWrite, e.ProRataBilledBy) = (null, null);
            if (nextInvoice is { } next)
            {
                entry = ForNextInvoice(e, entry, next, newLine: record.Line is null && e.Kind == SyncEventKind.CreateSubscription);
            }

            if (entry is { Days: > 0 })
            {
                added.Add(Entry(entry, marker));
                e.ProRataBilledBy = nextInvoice is { } invoice ? BillingPeriod.FirstInvoiceOnOrAfter(invoice, entry.Date, settings.InvoiceDay) : null;
            }
        }

        return added;
    }

    /// <summary>The marker of an event's entry on the record's line: it names the event, so the entry is written once.</summary>
    private static string Marker(KeptRecord record, SyncEvent e, ProRataEntry entry)
        => HaloKeys.ProRataMarker(record.CumulusKey, entry.Date, e.QuantityBefore ?? 0m, e.QuantityAfter ?? 0m, e.EventId);

    private static HaloProRata Entry(ProRataEntry entry, string marker) => new()
    {
        Date = entry.Date,
        Quantity = entry.Quantity,
        UnitPrice = entry.UnitPrice,
        UnitCost = entry.UnitCost,
        ShortDescription = entry.Description,
        LongDescription = marker,
    };

    /// <summary>
    /// Entries the spec's rule does not give on an invoice day, which <see cref="ForNextInvoice"/> keeps or drops by whether
    /// HaloPSA has generated that day's invoice:
    /// post-bill, a quantity change, and a line that starts or ends on the day, have no entry by the rule (f = 0: that
    /// day's invoice billed the period before at the old quantity, or without the line); before HaloPSA generates, its
    /// invoice would bill the period before at the new quantity, or not at all from a line a re-map ended, so this empty
    /// entry lets the period be settled;
    /// pre-bill, a re-map ends the old client's line for a period that client's invoice of the day bills in advance once
    /// HaloPSA generates it, while the new client's invoice, starting that day, bills it too: the old client is credited it.
    /// Null for any other event.
    /// </summary>
    private ProRataEntry? OnAnchor(SyncEvent e)
    {
        if (e.Kind is not (SyncEventKind.ChangeQuantity or SyncEventKind.CancelSubscription or SyncEventKind.CreateSubscription or SyncEventKind.EndOnOldClient)
            || e.EffectiveDate is not { } day || e.QuantityBefore is not { } before || BilledAfter(e) is not { } after || before == after)
        {
            return null;
        }

        var period = BillingPeriod.Containing(day.Date, settings.InvoiceDay);
        if (!settings.Proration || period.Start != day.Date)
        {
            return null;
        }

        var (from, to) = ((int)before, (int)after);
        var rule = ProRataCalculator.ForChange(from, to, day, e.UnitPrice ?? 0m, e.UnitCost ?? 0m, settings);
        if (settings.BillingMethod == BillingMethod.PostBill)
        {
            return rule is null ? new ProRataEntry(day.Date, from - to, 0m, 0m, 0, period, string.Empty) : null;
        }

        return e.Kind == SyncEventKind.EndOnOldClient ? rule : null;
    }

    /// <summary>
    /// The event's entry for HaloPSA's next invoice date; the event then records the entry written (or none). Only an
    /// entry the event's own quantities, price and cost reproduce is recomputed; any other is written as planned.
    /// </summary>
    /// <param name="newLine">The write creates the purchase's line, so no invoice billed it yet.</param>
    private ProRataEntry? ForNextInvoice(SyncEvent e, ProRataEntry planned, DateTime nextInvoice, bool newLine)
    {
        var preBill = settings.BillingMethod == BillingMethod.PreBill;
        var to = (int)(BilledAfter(e) ?? 0m);
        var from = to - (preBill ? planned.Quantity : -planned.Quantity);
        var (price, cost) = (e.UnitPrice ?? 0m, e.UnitCost ?? 0m);
        if (planned.Days > 0 && ProRataCalculator.ForChange(from, to, planned.Date, price, cost, settings) != planned)
        {
            return planned;
        }

        var entry = ProRataCalculator.AtNextInvoice(planned, from, to, price, cost, settings, nextInvoice, newLine ? asOf : null);
        e.ProRataToWrite = entry == planned || (entry is null && planned.Days == 0)
            ? null
            : (entry, entry?.Description ?? ProRataCalculator.WithoutEntry(from, to, planned.Date, nextInvoice));
        return entry;
    }

    /// <summary>The seats the line bills after the event: none once a re-map ended it on the old client (the event keeps the quantity it ended at).</summary>
    private static decimal? BilledAfter(SyncEvent e) => e.Kind == SyncEventKind.EndOnOldClient ? 0m : e.QuantityAfter;

    /// <summary>
    /// An earlier run's write of this event reached HaloPSA without an entry (HaloPSA had not generated the invoice the
    /// change belongs to), and the run ended before it recorded that: the line already bills the event's quantity, or
    /// that of a later unfinished event of the record (a run writes all of a record's events at once), with no entry of
    /// the event, so none is added now, when HaloPSA's date would ask for one. A line still at the quantity it had before
    /// the record's first unfinished change was never written, unless an entry of those changes is on it (they went
    /// back to where they started: 10 -> 13 -> 10).
    /// </summary>
    private static bool WroteWithoutEntry(KeptRecord record, SyncEvent e)
    {
        if (record.Line is not { } line || e.QuantityBefore == e.QuantityAfter)
        {
            return false;
        }

        var unfinished = record.Actions.Where(a => a.Finishes).Select(a => a.Event).OrderBy(u => u.EventId).ToList();
        return unfinished.Any(u => u.EventId >= e.EventId && u.QuantityAfter == line.Quantity)
               && (line.Quantity != unfinished[0].QuantityBefore
                   || line.ProRata?.Any(p => unfinished.Any(u => HaloKeys.IsProRataMarkerOf(p.LongDescription, record.CumulusKey, u.EventId))) == true);
    }

    /// <summary>
    /// An earlier run's event may have been written by a version whose marker did not name the event: its entry carries the
    /// marker without it, or (marker lost) no marker and the event's date, quantity and description.
    /// </summary>
    private static bool WrittenByEarlierVersion(HaloProRata present, KeptRecord record, SyncEvent e, ProRataEntry entry)
    {
        return present.LongDescription?.Contains(HaloKeys.LegacyProRataMarker(record.CumulusKey, entry.Date, e.QuantityBefore ?? 0m, e.QuantityAfter ?? 0m)) == true
            || !HaloKeys.HasAnyMarker(present.LongDescription) && present.Date?.Date == entry.Date && present.Quantity == entry.Quantity
                                                              && present.ShortDescription == entry.Description;
    }

    private static string Date(DateTime? value) => value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "no date";
}
