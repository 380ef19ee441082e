using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>
/// The pure half of a sync: (Cumulus now, last synced state, unfinished events, settings, date) to the events the
/// spec's billing rules call for, and the state HaloPSA should hold afterwards. It reads nothing and writes nothing.
/// Unfinished events of earlier runs come first and the snapshot is advanced by them, so a change a dead run began
/// is billed once, on its own date, and what changed since is planned on top of it.
/// </summary>
public static class SyncPlanner
{
    public static SyncPlan Plan(PlanInput input)
    {
        var plan = new SyncPlan();
        var costs = new Dictionary<int, (decimal Cost, string Sku)>();
        var snapshot = input.Synced.Concat(input.UnrecordedSubscriptions).ToLookup(s => s.OrganizationId, StringComparer.Ordinal);
        var unfinished = input.Unfinished.Where(e => e.OrganizationId is not null).ToLookup(e => e.OrganizationId!, StringComparer.Ordinal);
        var toInvoice = input.ChargesToInvoice.ToLookup(c => c.OrganizationId, StringComparer.Ordinal);
        foreach (var organization in input.Organizations)
        {
            var id = organization.Mapping.OrganizationId;
            new OrganizationPlanner(input, organization, snapshot[id], unfinished[id], toInvoice[id], plan, costs).Plan();
        }

        plan.Superseded.AddRange(input.Unfinished.Where(e => e.Kind is SyncEventKind.UpdateItemCost or SyncEventKind.RevertDrift));
        foreach (var pair in costs.OrderBy(c => c.Key))
        {
            var (itemId, (cost, sku)) = (pair.Key, pair.Value);
            if (input.Items.TryGetValue(itemId, out var item) && item.CostPrice != cost)
            {
                plan.Actions.Add(new SyncAction(NewEvent(input, null, null, sku, item.Name, SyncEventKind.UpdateItemCost, HaloEntity.Item, HaloKeys.Item(itemId), e =>
                {
                    e.HaloId = itemId;
                    e.HaloItemId = itemId;
                    e.UnitCost = cost;
                    e.Detail = $"Item cost {Money(item.CostPrice)} -> {Money(cost)} from Sherweb.";
                })));
            }
        }

        return plan;
    }

    internal static string ChargeDescription(PayableCharge charge)
        => $"{charge.ProductName} - {charge.ChargeName} ({charge.ChargeType}) {Date(charge.PeriodFrom)} to {Date(charge.PeriodTo)}";

    /// <summary>Sherweb names Azure reservations "... Reserved VM Instance ..." or "... Reservation ..."; they are not synced yet.</summary>
    internal static bool IsReservedInstance(string? productName)
        => productName is not null
           && (productName.IndexOf("Reserved", StringComparison.OrdinalIgnoreCase) >= 0 || productName.IndexOf("Reservation", StringComparison.OrdinalIgnoreCase) >= 0)
           && productName.IndexOf("Azure", StringComparison.OrdinalIgnoreCase) >= 0;

    private static SyncEvent NewEvent(PlanInput input, OrganizationMapping? org, int? clientId, string sku, string? productName, SyncEventKind kind,
        HaloEntity entity, string key, Action<SyncEvent> fill)
    {
        var e = new SyncEvent
        {
            RunId = input.RunId,
            CreatedAt = input.Now,
            OrganizationId = org?.OrganizationId,
            OrganizationName = org?.Name,
            HaloClientId = clientId,
            Sku = sku,
            ProductName = productName,
            Kind = kind,
            Entity = entity,
            CumulusKey = key,
            Status = SyncEventStatus.Planned,
        };
        fill(e);
        return e;
    }

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Money(decimal? value) => Billing.Money.Text(value);

    /// <summary>The plan of one organization, over its snapshot rows (all clients it was ever synced to).</summary>
    private sealed class OrganizationPlanner
    {
        private readonly PlanInput input;
        private readonly OrganizationInput organization;
        private readonly OrganizationMapping org;
        private readonly int client;
        private readonly SyncPlan plan;
        private readonly Dictionary<int, (decimal Cost, string Sku)> costs;
        private readonly Dictionary<SubscriptionSlot, SyncedSubscription> rows;
        private readonly IEnumerable<SyncEvent> unfinished;
        private readonly Dictionary<string, SyncedCharge> toInvoice;
        private readonly HashSet<SubscriptionSlot> changed = new();
        private readonly Dictionary<string, SyncedCharge> charges = new(StringComparer.Ordinal);
        private Dictionary<Guid, PayableCharge> ownCharges = new();

        public OrganizationPlanner(PlanInput input, OrganizationInput organization, IEnumerable<SyncedSubscription> snapshot, IEnumerable<SyncEvent> unfinished,
            IEnumerable<SyncedCharge> toInvoice, SyncPlan plan, Dictionary<int, (decimal, string)> costs)
        {
            this.input = input;
            this.organization = organization;
            this.unfinished = unfinished;
            this.toInvoice = toInvoice.ToDictionary(c => c.CumulusKey, StringComparer.Ordinal);
            this.plan = plan;
            this.costs = costs;
            org = organization.Mapping;
            client = org.HaloClientId!.Value;
            rows = snapshot.ToDictionary(s => s.Slot);
        }

        public void Plan()
        {
            FinishUnfinished();
            EndOnOldClients();
            PlanSubscriptions();
            PlanCharges();
            RepriceCharges();
            plan.Subscriptions.AddRange(rows.Values.Where(r => changed.Contains(r.Slot) || (r.HaloClientId == client && !r.Cancelled && Touchable(r.Sku, r.CumulusKey))));
            plan.Charges.AddRange(charges.Values);
        }

        private bool Touchable(string? sku, string key) => sku is not null && MappedProduct(sku) is not null && Enabled(key);

        private ProductMapping? MappedProduct(string sku)
            => input.Products.TryGetValue(sku.Trim(), out var product) && product.Status is ProductMappingStatus.Mapped or ProductMappingStatus.AutoMapped
                ? product
                : null;

        private void Skip(string sku, string? productName, string key)
        {
            var why = !Enabled(key) ? "switched off with Set-CumulusChargeSync"
                : !input.Products.TryGetValue(sku.Trim(), out var product) ? "product not known yet"
                : product.Status switch
                {
                    ProductMappingStatus.Disabled => "product mapped with sync off",
                    ProductMappingStatus.Error => "product in Error (automatic mapping found several items)",
                    _ => "product not mapped",
                };
            plan.Skipped.Add($"{org.Name}: {productName ?? sku} ({sku}): {why}");
        }

        /// <summary>Switched off with Set-CumulusChargeSync: never touched, not even to cancel it.</summary>
        private bool Enabled(string key) => !organization.ChargeFlags.TryGetValue(key, out var on) || on;

        /// <returns>The item's price; null when HaloPSA does not list the item (deleted, or inactive), which must never price anything at 0.00.</returns>
        private decimal? PriceOf(int? itemId) => itemId is { } id && input.Items.TryGetValue(id, out var item) ? item.BasePrice ?? 0m : null;

        private void WarnItemMissing(string sku, string? productName, int? itemId, string what)
            => plan.Warnings.Add($"{org.Name}: {productName ?? sku} ({sku}): mapped to HaloPSA item {itemId}, which HaloPSA does not list (deleted, or inactive?); " +
                                 $"{what}. Map the product to an active item with Set-HaloProductMapping.");

        /// <summary>Earlier runs' Pending and Failed events of this organization, in order: each becomes an action again and advances the snapshot.</summary>
        private void FinishUnfinished()
        {
            var listed = organization.Subscriptions.ToDictionary(s => HaloKeys.Subscription(s.Id), StringComparer.Ordinal);
            var payable = organization.Charges.Where(c => !string.IsNullOrWhiteSpace(c.Sku))
                .GroupBy(c => ChargeIdentity.Of(c, org.OrganizationId).Key).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var e in unfinished.Where(e => e.HaloClientId is not null && e.CumulusKey is not null))
            {
                if (e.Kind is SyncEventKind.UpdateItemCost or SyncEventKind.RevertDrift || !Touchable(e.Sku, e.CumulusKey!))
                {
                    continue;
                }

                listed.TryGetValue(e.CumulusKey!, out var subscription);
                payable.TryGetValue(e.CumulusKey!, out var charge);
                if (e.Entity == HaloEntity.RecurringInvoice && e.Kind is SyncEventKind.UpdatePrice or SyncEventKind.ChangeItem)
                {
                    if (!toInvoice.TryGetValue(e.CumulusKey!, out var added) || added.HaloClientId != e.HaloClientId)
                    {
                        plan.Superseded.Add(e); // HaloPSA has generated the invoice that bills it: it keeps the item and price it was billed at
                        continue;
                    }

                    charges[e.CumulusKey!] = added with { HaloItemId = e.HaloItemId ?? added.HaloItemId, UnitPrice = e.UnitPrice ?? added.UnitPrice, UnitCost = null };
                }
                else if (e.Entity == HaloEntity.RecurringInvoice)
                {
                    charges[e.CumulusKey!] = Charge(e, charge);
                }
                else if (!Advance(e, subscription))
                {
                    plan.Superseded.Add(e);
                    continue;
                }

                plan.Actions.Add(new SyncAction(e) { Organization = org, Subscription = subscription, Charge = charge, Finishes = true });
            }
        }

        /// <summary>Moves the snapshot on by one finished event; false when there is nothing to move (the row is unknown).</summary>
        private bool Advance(SyncEvent e, CumulusSubscription? subscription)
        {
            if (!Guid.TryParse(e.CumulusKey!.Substring("sub-".Length), out var subscriptionId))
            {
                return false;
            }

            var slot = new SubscriptionSlot(org.OrganizationId, e.HaloClientId!.Value, subscriptionId);
            rows.TryGetValue(slot, out var row);
            var after = (int)(e.QuantityAfter ?? 0);
            switch (e.Kind)
            {
                case SyncEventKind.CreateSubscription:
                case SyncEventKind.Adopt:
                    row = FromEvent();
                    break;
                case SyncEventKind.ChangeQuantity when row is not null:
                    row = row with { Quantity = after, UnitPrice = e.UnitPrice ?? row.UnitPrice, UnitCost = e.UnitCost ?? row.UnitCost, CostProvisional = e.CostProvisional };
                    break;
                case SyncEventKind.CancelSubscription when row is not null:
                    row = row with { Quantity = 0, UnitPrice = e.UnitPrice ?? row.UnitPrice, UnitCost = e.UnitCost ?? row.UnitCost, CancelledOn = e.EffectiveDate };
                    break;
                case SyncEventKind.UpdateCost when row is not null:
                    row = row with { UnitCost = e.UnitCost, CostProvisional = false };
                    break;
                case SyncEventKind.UpdatePrice when row is not null:
                    row = row with { UnitPrice = e.UnitPrice };
                    break;
                case SyncEventKind.EndOnOldClient:
                    // Without a row, the records were found in HaloPSA by their key (a lost state file): the event holds them.
                    row = (row ?? FromEvent()) with { CancelledOn = e.EffectiveDate };
                    break;
                default:
                    return false;
            }

            rows[slot] = row;
            changed.Add(slot);
            return true;

            SyncedSubscription FromEvent() => new()
            {
                OrganizationId = org.OrganizationId,
                HaloClientId = slot.HaloClientId,
                SubscriptionId = subscriptionId,
                Sku = e.Sku ?? string.Empty,
                ProductName = e.ProductName ?? e.Sku ?? string.Empty,
                HaloItemId = e.HaloItemId,
                Quantity = after,
                BillingCycle = e.BillingCycle ?? SubscriptionBillingCycle.Unknown,
                Term = subscription?.CommitmentTerm?.Type,
                PurchaseDate = subscription is null ? null : input.Settings.LocalDate(subscription.PurchaseDate),
                TermEndDate = subscription?.CommitmentTerm?.TermEndDate.Date,
                UnitPrice = e.UnitPrice,
                UnitCost = e.UnitCost,
                CostProvisional = e.CostProvisional,
                LineStart = e.LineStart,
            };
        }

        private SyncedCharge Charge(SyncEvent e, PayableCharge? charge) => new()
        {
            CumulusKey = e.CumulusKey!,
            OrganizationId = org.OrganizationId,
            HaloClientId = e.HaloClientId!.Value,
            Sku = e.Sku ?? string.Empty,
            HaloItemId = e.HaloItemId ?? 0,
            Description = e.Detail ?? e.ProductName ?? e.Sku ?? string.Empty,
            Quantity = e.QuantityAfter ?? 0m,
            UnitPrice = e.UnitPrice ?? 0m,
            UnitCost = e.UnitCost,
            LineStart = e.LineStart ?? input.AsOf,
            LineEnd = e.LineEnd ?? input.AsOf,
            PeriodFrom = charge?.PeriodFrom,
            PeriodTo = charge?.PeriodTo,
        };

        /// <summary>A re-map: the records HaloSync keeps on the clients the organization no longer bills to end today.</summary>
        private void EndOnOldClients()
        {
            foreach (var row in rows.Values.Where(r => r.HaloClientId != client && !r.Cancelled && Touchable(r.Sku, r.CumulusKey)).ToList())
            {
                var e = NewEvent(input, org, row.HaloClientId, row.Sku, row.ProductName, SyncEventKind.EndOnOldClient, HaloEntity.SoftwareLicence, row.CumulusKey, e =>
                {
                    e.HaloItemId = row.HaloItemId;
                    e.BillingCycle = row.BillingCycle;
                    e.QuantityBefore = row.Quantity;
                    e.QuantityAfter = row.Quantity;
                    e.UnitPrice = row.UnitPrice;
                    e.UnitCost = row.UnitCost;
                    e.EffectiveDate = input.AsOf;
                    e.LineEnd = input.AsOf;
                    e.Detail = input.UnrecordedSubscriptions.Contains(row)
                        ? $"{org.Name} bills to HaloPSA client {client}; HaloSync's records of it on client {row.HaloClientId}, which this state file did not know " +
                          $"(found active by their key), ended there on {Date(input.AsOf)} as a re-map ends them (subscription inactive, line end-dated)"
                        : $"{org.Name} now bills to HaloPSA client {client}: ended on client {row.HaloClientId} on {Date(input.AsOf)} (subscription inactive, line end-dated)";
                });
                rows[row.Slot] = row with { CancelledOn = input.AsOf };
                changed.Add(row.Slot);
                plan.Actions.Add(new SyncAction(e) { Organization = org });
            }
        }

        private void PlanSubscriptions()
        {
            ownCharges = OwnCharges();
            var listed = new HashSet<Guid>();
            foreach (var subscription in organization.Subscriptions.OrderBy(s => s.PurchaseDate).ThenBy(s => s.Id))
            {
                var key = HaloKeys.Subscription(subscription.Id);
                listed.Add(subscription.Id);
                if (IsReservedInstance(subscription.ProductName))
                {
                    plan.SkippedReservedInstances.Add($"{org.Name}: {subscription.ProductName} ({subscription.Sku})");
                    continue;
                }

                var product = MappedProduct(subscription.Sku);
                if (product is null || !Enabled(key))
                {
                    Skip(subscription.Sku, subscription.ProductName, key);
                    continue;
                }

                PlanSubscription(subscription, product);
            }

            var vanished = rows.Values.Where(r => r.HaloClientId == client && !r.Cancelled && !listed.Contains(r.SubscriptionId)).ToList();
            if (CancelledOn(vanished) is not { } cancelledOn)
            {
                return;
            }

            foreach (var gone in vanished)
            {
                if (!Touchable(gone.Sku, gone.CumulusKey))
                {
                    Skip(gone.Sku, gone.ProductName, gone.CumulusKey);
                    continue;
                }

                var price = PriceOf(gone.HaloItemId) ?? gone.UnitPrice ?? 0m;
                var proRata = gone.IsMonthly ? ProRataCalculator.ForChange(gone.Quantity, 0, cancelledOn, price, gone.UnitCost ?? 0m, input.Settings) : null;
                Add(gone, SyncEventKind.CancelSubscription, 0, price, gone.UnitCost, gone.CostProvisional, cancelledOn, proRata,
                    (proRata?.Description ?? $"Cancelled {gone.Quantity} -> 0 on {Date(cancelledOn)}") + " (no longer listed by Cumulus)");
            }
        }

        /// <summary>
        /// A subscription bought after the organization's first sync that Sherweb lists cancelled (0 seats) before any run
        /// saw it held its seats for days nobody bills, and how many it held is no longer told: named while its purchase
        /// falls in this billing period or the one before, whose invoices are still being settled.
        /// </summary>
        private void WarnIfBoughtAndCancelledUnseen(CumulusSubscription subscription)
        {
            var purchased = input.Settings.LocalDate(subscription.PurchaseDate);
            var current = BillingPeriod.Containing(input.AsOf, input.Settings.InvoiceDay);
            if (org.FirstSyncedOn is not { } first || purchased < first || purchased < BillingPeriod.Containing(current.Start.AddDays(-1), input.Settings.InvoiceDay).Start)
            {
                return;
            }

            plan.Warnings.Add($"{org.Name}: {subscription.ProductName} ({subscription.Sku}) was bought on {Date(purchased)} and Sherweb lists it cancelled " +
                "before any run saw it: the days it was held are not billed, and Sherweb no longer says how many seats it had. " +
                "Bill them by hand from Sherweb's payable charges.");
        }

        /// <summary>Days an empty list found earlier stays evidence that the next empty one is real.</summary>
        private const int MaxEmptyListWait = 31;

        /// <summary>
        /// The date subscriptions no longer listed are cancelled on: the run's, unless Sherweb lists none at all for the
        /// organization while HaloSync keeps several active. All of several vanishing at once looks more like an answer cut
        /// short than like cancellations, so the first run that sees it cancels nothing and warns; the next run that sees
        /// it too cancels them from the first one's date. (A customer's one subscription vanishing is its cancellation.)
        /// Null when nothing is cancelled this run.
        /// </summary>
        private DateTime? CancelledOn(List<SyncedSubscription> vanished)
        {
            var id = org.OrganizationId;
            // A date left from long ago (the organization unmapped or switched off since) is no evidence about today's answer.
            var since = input.ListedEmptySince.TryGetValue(id, out var first) && (input.AsOf - first).TotalDays <= MaxEmptyListWait ? first : (DateTime?)null;
            var active = vanished.Count(r => Touchable(r.Sku, r.CumulusKey));
            if (organization.Subscriptions.Count > 0 || active < 2)
            {
                if (input.ListedEmptySince.ContainsKey(id))
                {
                    plan.ListedEmptySince[id] = null;
                }

                return input.AsOf;
            }

            if (since is { } confirmed)
            {
                plan.ListedEmptySince[id] = null;
                return confirmed;
            }

            plan.ListedEmptySince[id] = input.AsOf;
            plan.Warnings.Add($"{org.Name}: Sherweb lists no subscription for this customer, while HaloSync keeps {active} active: nothing was cancelled, in case " +
                              $"the answer was cut short. If the next run finds none listed either, they are cancelled from {Date(input.AsOf)}.");
            return null;
        }

        private void PlanSubscription(CumulusSubscription subscription, ProductMapping product)
        {
            var itemPrice = PriceOf(product.HaloItemId);
            var (cost, provisional) = UnitCost(subscription);
            var monthly = subscription.BillingCycle == SubscriptionBillingCycle.Monthly;
            if (monthly && !provisional && cost is { } known && itemPrice is not null)
            {
                costs[product.HaloItemId!.Value] = (known, subscription.Sku);
            }

            var slot = new SubscriptionSlot(org.OrganizationId, client, subscription.Id);
            rows.TryGetValue(slot, out var row);
            var kept = row is { Cancelled: false };
            if (itemPrice is null)
            {
                WarnItemMissing(subscription.Sku, subscription.ProductName, product.HaloItemId, kept ? "its subscription keeps the price it was billed at" : "it was not synced");
            }

            // Without the item's price only a kept subscription goes on, at the price it was billed at.
            if ((itemPrice ?? (kept ? row!.UnitPrice : null)) is not { } price)
            {
                return;
            }

            var after = subscription.Quantity;
            // A subscription listed again after its cancellation is a change from 0 on the same records (below); one whose
            // records ended on an old client starts over for this client as a first sync.
            if (row is null || row.Cancelled && !row.EndedAtZero)
            {
                if (after <= 0)
                {
                    WarnIfBoughtAndCancelledUnseen(subscription);
                    return;
                }

                if (!monthly && subscription.BillingCycle != SubscriptionBillingCycle.Yearly)
                {
                    // Billed as neither: guessing could leave it unbilled for good (a yearly subscription has no line).
                    plan.Warnings.Add($"{org.Name}: {subscription.ProductName} ({subscription.Sku}): " + (subscription.Pricing is null
                        ? "Sherweb gives no pricing information for it, so its billing cycle is unknown (is pricing visibility off for this customer at Sherweb?)"
                        : $"Sherweb gives its billing cycle as {subscription.BillingCycle}") +
                        "; not synced until Sherweb gives Monthly or Yearly.");
                    return;
                }

                // A purchase made after the organization's first sync (with this client) is billed from its purchase date,
                // with pro-rata; anything older is a first sync of that item (the organization or product just got mapped).
                var purchased = input.Settings.LocalDate(subscription.PurchaseDate);
                var isNewPurchase = org.FirstSyncedOn is { } first && purchased >= first;
                var start = isNewPurchase ? purchased : input.AsOf;
                var created = SyncedSubscription.Of(org.OrganizationId, client, subscription, purchased) with { HaloItemId = product.HaloItemId, Quantity = 0, LineStart = start };
                var proRata = isNewPurchase && monthly ? ProRataCalculator.ForChange(0, after, start, price, cost ?? 0m, input.Settings) : null;
                var what = $"{(monthly ? "Monthly" : "Yearly")} subscription of {after}, billed from {Date(start)}{(monthly ? string.Empty : "; yearly: no recurring-invoice line")}";
                Add(created, SyncEventKind.CreateSubscription, after, price, cost, provisional, start, proRata, proRata?.Description ?? what);
                return;
            }

            if (!row.Cancelled && subscription.BillingCycle is SubscriptionBillingCycle.Monthly or SubscriptionBillingCycle.Yearly
                && subscription.BillingCycle != row.BillingCycle)
            {
                plan.Warnings.Add($"{org.Name}: {subscription.ProductName} ({subscription.Sku}): Sherweb now bills it {subscription.BillingCycle}, " +
                    $"HaloSync keeps it as {row.BillingCycle} (following a change of billing cycle is not supported yet): check its HaloPSA subscription and line.");
            }

            if (!row.Cancelled && itemPrice is not null && row.HaloItemId != product.HaloItemId)
            {
                Add(row with { HaloItemId = product.HaloItemId }, SyncEventKind.ChangeItem, row.Quantity, price, row.UnitCost, row.CostProvisional, input.AsOf, null,
                    $"Now billed as HaloPSA item {product.HaloItemId} (was {row.HaloItemId}), the product's mapping, at {Money(price)}, from {Date(input.AsOf)} (no pro-rata)");
                row = rows[slot];
            }

            if (after != row.Quantity)
            {
                // A cost already billed from a payable charge beats a provisional one; the one it keeps stays as provisional as it was.
                var billedCost = provisional && row.UnitCost is not null ? row.UnitCost : cost ?? row.UnitCost;
                var billedProvisional = provisional ? row.UnitCost is null || row.CostProvisional : cost is null && row.CostProvisional;
                var kind = after == 0 ? SyncEventKind.CancelSubscription : SyncEventKind.ChangeQuantity;
                var proRata = row.IsMonthly ? ProRataCalculator.ForChange(row.Quantity, after, input.AsOf, price, billedCost ?? 0m, input.Settings) : null;
                var what = proRata?.Description ?? $"Quantity {row.Quantity} -> {after} on {Date(input.AsOf)}";
                Add(row, kind, after, price, billedCost, billedProvisional, input.AsOf, proRata,
                    row.Cancelled ? what + " (listed again after its cancellation)" : what);
                row = rows[slot]; // its cost and price are this run's now; its term is followed below
            }

            if (after > 0 && !provisional && cost is { } current && (current != row.UnitCost || row.CostProvisional))
            {
                var was = row.CostProvisional ? $" (it was {Money(row.UnitCost)}, provisional, from Sherweb's pricing information)" : string.Empty;
                Add(row, SyncEventKind.UpdateCost, after, row.UnitPrice ?? price, current, false, input.AsOf, null,
                    $"Unit cost now {Money(current)} from Sherweb's payable charge{was}, from {Date(input.AsOf)}");
                row = rows[slot];
            }

            if (after > 0 && row.UnitPrice is { } oldPrice && oldPrice != price)
            {
                Add(row, SyncEventKind.UpdatePrice, after, price, row.UnitCost, row.CostProvisional, input.AsOf, null,
                    $"Unit price {Money(oldPrice)} -> {Money(price)} from the HaloPSA item, from {Date(input.AsOf)} (no pro-rata)");
                row = rows[slot];
            }

            // A monthly term renews every month: following it would write every subscription every month for no money.
            if (after > 0 && subscription.CommitmentTerm is { Type: not CommitmentTermType.Monthly } term && term.TermEndDate.Date != row.TermEndDate)
            {
                var termEnd = term.TermEndDate.Date;
                Add(row, SyncEventKind.UpdateTerm, after, row.UnitPrice ?? price, row.UnitCost, row.CostProvisional, input.AsOf, null,
                    $"Term ends {Date(termEnd)} (was {(row.TermEndDate is { } was ? Date(was) : "not known")}) at Sherweb, seen {Date(input.AsOf)}");
                rows[slot] = rows[slot] with { TermEndDate = termEnd };
            }
        }

        /// <summary>Records one subscription event and moves its row to what the event leaves in HaloPSA.</summary>
        private void Add(SyncedSubscription row, SyncEventKind kind, int after, decimal price, decimal? cost, bool provisional, DateTime effective,
            ProRataEntry? proRata, string what)
        {
            var e = NewEvent(input, org, client, row.Sku, row.ProductName, kind, HaloEntity.SoftwareLicence, row.CumulusKey, e =>
            {
                e.HaloItemId = row.HaloItemId;
                e.BillingCycle = row.BillingCycle;
                e.QuantityBefore = row.Quantity;
                e.QuantityAfter = after;
                e.UnitPrice = price;
                e.UnitCost = cost;
                e.CostProvisional = provisional;
                e.EffectiveDate = effective;
                e.LineStart = row.LineStart;
                e.LineEnd = kind == SyncEventKind.CancelSubscription ? effective : null;
                e.ProRata = proRata;
                e.Detail = what + (provisional ? "; unit cost is provisional (Sherweb has no payable charge yet)" : string.Empty);
            });
            var subscription = organization.Subscriptions.FirstOrDefault(s => s.Id == row.SubscriptionId);
            plan.Actions.Add(new SyncAction(e) { Organization = org, Subscription = subscription });
            rows[row.Slot] = row with
            {
                Quantity = after,
                UnitPrice = price,
                UnitCost = cost ?? row.UnitCost,
                CostProvisional = provisional,
                CancelledOn = kind == SyncEventKind.CancelSubscription ? effective : null,
            };
            changed.Add(row.Slot);
        }

        private void PlanCharges()
        {
            WarnOfChargesToldApartByNothing();
            foreach (var charge in organization.Charges)
            {
                if (!charge.IsOneOff || string.IsNullOrWhiteSpace(charge.Sku))
                {
                    continue;
                }

                if (IsReservedInstance(charge.ProductName))
                {
                    plan.SkippedReservedInstances.Add($"{org.Name}: {charge.ProductName} ({charge.Sku})");
                    continue;
                }

                var key = ChargeIdentity.Of(charge, org.OrganizationId).Key;
                if (input.SyncedChargeKeys.Contains(key) || charges.ContainsKey(key))
                {
                    continue;
                }

                var product = MappedProduct(charge.Sku!);
                if (product is null || !Enabled(key))
                {
                    Skip(charge.Sku!, charge.ProductName, key);
                    continue;
                }

                if (PriceOf(product.HaloItemId) is not { } price)
                {
                    WarnItemMissing(charge.Sku!, charge.ProductName, product.HaloItemId, "the charge was not added");
                    continue;
                }

                // A credit Sherweb prices below zero credits the customer as one it counts below zero does: the sign goes on
                // the quantity, which the line bills at the item's price, whatever the cost basis.
                var (quantity, cost) = (charge.BilledQuantity, ChargeCost.BilledUnitCost(charge, input.Settings.CostBasis));

                var lineEnd = BillingPeriod.Containing(input.AsOf, input.Settings.InvoiceDay).End.AddDays(-1);
                // A charge already on another client's line (a lost state file) is adopted there, not billed again here.
                var chargeClient = input.UnrecordedCharges.TryGetValue(key, out var billedTo) ? billedTo : client;
                var e = NewEvent(input, org, chargeClient, charge.Sku!.Trim(), charge.ProductName, SyncEventKind.AddCharge, HaloEntity.RecurringInvoice, key, e =>
                {
                    e.HaloItemId = product.HaloItemId;
                    e.QuantityBefore = 0;
                    e.QuantityAfter = quantity;
                    e.UnitPrice = price;
                    e.UnitCost = cost;
                    e.EffectiveDate = input.AsOf;
                    e.LineStart = input.AsOf;
                    e.LineEnd = lineEnd;
                    e.Detail = ChargeDescription(charge);
                });
                charges[key] = Charge(e, charge);
                plan.Actions.Add(new SyncAction(e) { Organization = org, Charge = charge });
            }
        }

        /// <summary>
        /// Charges without a charge id are known by customer, SKU, name, type, cycle and period (the spec's identity): two
        /// listed alike are one to HaloSync, which adds the first. Said each run, so the other is billed by hand.
        /// </summary>
        private void WarnOfChargesToldApartByNothing()
        {
            var alike = organization.Charges.Where(c => c.IsOneOff && !string.IsNullOrWhiteSpace(c.Sku) && (c.ChargeId ?? Guid.Empty) == Guid.Empty)
                .GroupBy(c => ChargeIdentity.Of(c, org.OrganizationId).Key, StringComparer.Ordinal).Where(g => g.Count() > 1);
            foreach (var group in alike)
            {
                var first = group.First();
                plan.Warnings.Add($"{org.Name}: {first.ProductName ?? first.Sku} ({first.Sku!.Trim()}): Sherweb lists {group.Count()} charges '{first.ChargeName}' for " +
                                  $"{Date(first.PeriodFrom)} to {Date(first.PeriodTo)} without a charge id, which nothing tells apart (quantities " +
                                  $"{string.Join(", ", group.Select(c => c.Quantity.ToString("0.####", CultureInfo.InvariantCulture)))}); HaloSync bills the first " +
                                  "only. Bill the others in HaloPSA by hand.");
            }
        }

        /// <summary>
        /// A new item price reaches the line of every charge HaloSync added that an invoice HaloPSA has not generated yet
        /// is to bill, as it reaches the subscriptions' lines (no pro-rata); an invoiced charge keeps the price it was billed at.
        /// So does it a charge an earlier run's unfinished event is finished for at an older price.
        /// </summary>
        private void RepriceCharges()
        {
            var kept = charges.Values.Concat(toInvoice.Values.Where(c => !charges.ContainsKey(c.CumulusKey)));
            foreach (var added in kept.OrderBy(c => c.CumulusKey, StringComparer.Ordinal).ToList())
            {
                var finishing = charges.ContainsKey(added.CumulusKey);
                if (finishing && added.LineEnd < input.AsOf)
                {
                    continue; // an unfinished write of a charge its invoice has billed since: it keeps the price it was billed at
                }

                // The product now mapped to another item moves the line to it, at its price, as a subscription's line moves.
                var product = Touchable(added.Sku, added.CumulusKey) ? MappedProduct(added.Sku)! : null;
                var item = product?.HaloItemId ?? added.HaloItemId;
                if (product is not null && item != added.HaloItemId && PriceOf(item) is null)
                {
                    WarnItemMissing(added.Sku, product.ProductName, item, "the charge's line keeps the item and price it was added at");
                }

                if (product is null || PriceOf(item) is not { } price || (item == added.HaloItemId && price == added.UnitPrice))
                {
                    continue;
                }

                var moves = item != added.HaloItemId;
                var e = NewEvent(input, org, added.HaloClientId, added.Sku, product.ProductName, moves ? SyncEventKind.ChangeItem : SyncEventKind.UpdatePrice,
                    HaloEntity.RecurringInvoice, added.CumulusKey, e =>
                    {
                        e.HaloItemId = item;
                        e.QuantityBefore = added.Quantity;
                        e.QuantityAfter = added.Quantity;
                        e.UnitPrice = price;
                        e.UnitCost = added.UnitCost;
                        e.EffectiveDate = input.AsOf;
                        e.LineEnd = added.LineEnd;
                        e.Detail = (moves
                                       ? $"Now billed as HaloPSA item {item} (was {added.HaloItemId}), the product's mapping, at {Money(price)}"
                                       : $"Unit price {Money(added.UnitPrice)} -> {Money(price)} from the HaloPSA item") +
                                   $", on the line of a charge the invoice of {Date(added.LineEnd.AddDays(1))} is to bill (no pro-rata)";
                    });
                // Only the item and price: the line's cost stays as it was written (or as the unfinished event writes it).
                charges[added.CumulusKey] = added with { HaloItemId = item, UnitPrice = price, UnitCost = finishing ? added.UnitCost : null };
                plan.Actions.Add(new SyncAction(e) { Organization = org });
            }
        }

        /// <summary>Sherweb's payable recurring charge for the subscription; before one exists, the pricing information's fee, provisionally.</summary>
        private (decimal? Cost, bool Provisional) UnitCost(CumulusSubscription subscription)
            => ownCharges.TryGetValue(subscription.Id, out var charge)
                ? (ChargeCost.UnitCost(charge, input.Settings.CostBasis), false)
                : (subscription.ProvisionalUnitCost, subscription.ProvisionalUnitCost is not null);

        /// <summary>
        /// Payable charges name no subscription, so of one SKU's recurring charges each subscription this run bills takes one
        /// for itself, once: first the charge for the seats and cost it was last synced at (its seats may now equal
        /// another's), then one for its seats now, then the largest left, full-period charges before a change's prorated
        /// line; with none left, a subscription Sherweb prices keeps its provisional fee, any other the largest. One this run
        /// cancels takes what is left for the seats it had, never another's. A seat decrease's credit (a negative quantity,
        /// or priced below zero) says nothing of what a seat costs.
        /// </summary>
        private Dictionary<Guid, PayableCharge> OwnCharges()
        {
            var basis = input.Settings.CostBasis;
            var own = new Dictionary<Guid, PayableCharge>();
            var sharing = organization.Subscriptions.Select(s => (Subscription: s, Cycle: SharedCycle(s))).Where(x => x.Cycle is not null);
            foreach (var group in sharing.GroupBy(x => (Sku: x.Subscription.Sku.Trim().ToUpperInvariant(), Yearly: x.Cycle == SubscriptionBillingCycle.Yearly)))
            {
                var recurring = organization.Charges
                    .Where(c => c.ChargeType == ChargeType.Recurring && string.Equals(c.Sku?.Trim(), group.Key.Sku, StringComparison.OrdinalIgnoreCase))
                    .Where(c => (c.BillingCycleType == BillingCycleType.Yearly) == group.Key.Yearly && c.Quantity > 0m && !c.IsPricedBelowZero)
                    .ToList();
                if (recurring.Count == 0)
                {
                    continue;
                }

                var periodStart = recurring.Min(c => c.PeriodFrom);
                // The same charges in any order share out the same way.
                var free = recurring.OrderByDescending(c => c.PeriodFrom == periodStart).ThenByDescending(c => c.Quantity)
                    .ThenByDescending(c => ChargeCost.UnitCost(c, basis)).ThenBy(c => c.ChargeId).ToList();
                var largest = free[0];
                var members = group.Select(x => x.Subscription).OrderBy(s => s.Id).ToList();
                var (billed, ending) = (members.Where(s => s.Quantity > 0).ToList(), members.Where(s => s.Quantity <= 0).ToList());
                void Claim(IEnumerable<CumulusSubscription> subscriptions, Func<CumulusSubscription, PayableCharge, bool> fits)
                {
                    foreach (var subscription in subscriptions.Where(s => !own.ContainsKey(s.Id)))
                    {
                        if (free.FirstOrDefault(c => fits(subscription, c)) is { } charge)
                        {
                            own[subscription.Id] = charge;
                            free.Remove(charge);
                        }
                    }
                }

                bool AtLastSynced(CumulusSubscription s, PayableCharge c)
                    => LastSynced(s) is { UnitCost: { } cost } synced && c.Quantity == synced.Quantity && ChargeCost.UnitCost(c, basis) == cost;
                Claim(billed, AtLastSynced);
                Claim(billed, (s, c) => c.Quantity == s.Quantity);
                Claim(billed, (_, _) => true);
                Claim(ending, AtLastSynced);
                Claim(ending, (s, c) => c.Quantity == LastSynced(s)!.Quantity);
                Claim(ending, (_, _) => true);
                foreach (var subscription in billed.Where(s => !own.ContainsKey(s.Id) && s.ProvisionalUnitCost is null))
                {
                    own[subscription.Id] = largest;
                }
            }

            return own;
        }

        /// <summary>
        /// The cycle a subscription shares its SKU's charges in: one this run bills or cancels, by Sherweb's cycle or, Sherweb
        /// giving none, the one it was synced in; null for one the run leaves alone (not mapped, switched off, reserved,
        /// never synced at 0 seats, or of no known cycle).
        /// </summary>
        private SubscriptionBillingCycle? SharedCycle(CumulusSubscription subscription)
        {
            if (IsReservedInstance(subscription.ProductName) || !Touchable(subscription.Sku, HaloKeys.Subscription(subscription.Id)))
            {
                return null;
            }

            var kept = LastSynced(subscription) is { Cancelled: false } row ? row : null;
            var cycle = subscription.BillingCycle is SubscriptionBillingCycle.Monthly or SubscriptionBillingCycle.Yearly ? subscription.BillingCycle : kept?.BillingCycle;
            return cycle is SubscriptionBillingCycle.Monthly or SubscriptionBillingCycle.Yearly && (subscription.Quantity > 0 || kept is not null) ? cycle : null;
        }

        /// <summary>The subscription as last synced: on this organization's client, else (a re-map) on the one before.</summary>
        private SyncedSubscription? LastSynced(CumulusSubscription subscription)
            => rows.TryGetValue(new SubscriptionSlot(org.OrganizationId, client, subscription.Id), out var here)
                ? here
                : rows.Values.FirstOrDefault(r => r.SubscriptionId == subscription.Id);
    }
}
