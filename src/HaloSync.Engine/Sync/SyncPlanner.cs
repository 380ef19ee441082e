using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

public sealed class SyncPlan
{
    public List<SyncAction> Actions { get; } = new();

    /// <summary>Subscriptions and charges left alone because their product is unmapped or off, or their switch is off.</summary>
    public int SkippedUnmapped { get; set; }

    /// <summary>Azure reserved instances: recognised and left alone until they are supported.</summary>
    public List<string> SkippedReservedInstances { get; } = new();
}

/// <summary>
/// The pure half of a sync: (Cumulus now, last synced state, settings, date) to the events the spec's billing
/// rules call for. It reads nothing and writes nothing, so -WhatIf shows exactly what a real run applies.
/// </summary>
public static class SyncPlanner
{
    public static SyncPlan Plan(PlanInput input)
    {
        var plan = new SyncPlan();
        var costs = new Dictionary<int, (decimal Cost, string Sku)>();
        foreach (var organization in input.Organizations)
        {
            PlanSubscriptions(input, organization, plan, costs);
            PlanCharges(input, organization, plan);
        }

        foreach (var pair in costs.OrderBy(c => c.Key))
        {
            var (itemId, (cost, sku)) = (pair.Key, pair.Value);
            if (input.Items.TryGetValue(itemId, out var item) && item.CostPrice != cost)
            {
                plan.Actions.Add(new SyncAction(NewEvent(input, null, sku, item.Name, SyncEventKind.UpdateItemCost, "Item", "item-" + itemId, e =>
                {
                    e.HaloId = itemId;
                    e.UnitCost = cost;
                    e.Detail = $"Item cost {Money(item.CostPrice)} -> {Money(cost)} from Sherweb.";
                })) { HaloItemId = itemId });
            }
        }

        return plan;
    }

    private static void PlanSubscriptions(PlanInput input, OrganizationInput organization, SyncPlan plan, Dictionary<int, (decimal, string)> costs)
    {
        var org = organization.Mapping;
        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subscription in organization.Subscriptions.OrderBy(s => s.PurchaseDate).ThenBy(s => s.Id))
        {
            var key = OrganizationCharge.SubscriptionKey(subscription.Id);
            listed.Add(key);
            if (IsReservedInstance(subscription.ProductName))
            {
                plan.SkippedReservedInstances.Add($"{org.Name}: {subscription.ProductName} ({subscription.Sku})");
                continue;
            }

            var product = MappedProduct(input, subscription.Sku);
            if (product is null || !Enabled(organization, key))
            {
                plan.SkippedUnmapped++;
                continue;
            }

            var item = input.Items.TryGetValue(product.HaloItemId!.Value, out var found) ? found : null;
            var price = item?.BasePrice ?? 0m;
            var (cost, provisional) = UnitCost(input, organization, subscription);
            var monthly = subscription.BillingCycle == SubscriptionBillingCycle.Monthly;
            if (monthly && !provisional && cost is { } known)
            {
                costs[product.HaloItemId.Value] = (known, subscription.Sku);
            }

            input.Synced.TryGetValue(SyncedSubscription.KeyOf(org.OrganizationId, subscription.Id.ToString("D")), out var synced);
            var before = synced is null || synced.Cancelled ? 0 : synced.Quantity;
            var after = subscription.Quantity;
            if (synced is null || synced.Cancelled)
            {
                if (after <= 0)
                {
                    continue;
                }

                // A purchase made after the organization's first sync is billed from its purchase date, with pro-rata;
                // anything older is a first sync of that item (the organization or product just got mapped).
                var isNewPurchase = org.FirstSyncedOn is { } first && subscription.PurchaseDate.Date >= first;
                var start = isNewPurchase ? subscription.PurchaseDate.Date : input.AsOf;
                var proRata = isNewPurchase && monthly ? ProRataCalculator.ForChange(0, after, start, price, cost ?? 0m, input.Settings) : null;
                plan.Actions.Add(Subscription(input, org, subscription, product, SyncEventKind.CreateSubscription, 0, after, price, cost, provisional, start, proRata, monthly));
            }
            else if (after == before)
            {
                if (!provisional && cost is { } current && current != synced.UnitCost && after > 0)
                {
                    plan.Actions.Add(Subscription(input, org, subscription, product, SyncEventKind.UpdateCost, before, after, price, current, false, input.AsOf, null, monthly));
                }
            }
            else
            {
                // A cost already billed from a payable charge beats a provisional one.
                var billedCost = provisional && synced.UnitCost is not null ? synced.UnitCost : cost ?? synced.UnitCost;
                var kind = after == 0 ? SyncEventKind.CancelSubscription : SyncEventKind.ChangeQuantity;
                var proRata = monthly ? ProRataCalculator.ForChange(before, after, input.AsOf, price, billedCost ?? 0m, input.Settings) : null;
                plan.Actions.Add(Subscription(input, org, subscription, product, kind, before, after, price, billedCost,
                    provisional && synced.UnitCost is null, input.AsOf, proRata, monthly));
            }
        }

        foreach (var gone in input.Synced.Values.Where(s => s.OrganizationId == org.OrganizationId && !s.Cancelled && !listed.Contains("sub-" + s.SubscriptionId)))
        {
            var product = MappedProduct(input, gone.Sku);
            if (product is null)
            {
                plan.SkippedUnmapped++;
                continue;
            }

            var price = input.Items.TryGetValue(product.HaloItemId!.Value, out var item) ? item.BasePrice ?? 0m : 0m;
            var monthly = string.Equals(gone.BillingCycle, nameof(SubscriptionBillingCycle.Monthly), StringComparison.OrdinalIgnoreCase);
            var proRata = monthly ? ProRataCalculator.ForChange(gone.Quantity, 0, input.AsOf, price, gone.UnitCost ?? 0m, input.Settings) : null;
            plan.Actions.Add(new SyncAction(NewEvent(input, org, gone.Sku, gone.ProductName, SyncEventKind.CancelSubscription, "SoftwareLicence", "sub-" + gone.SubscriptionId, e =>
            {
                e.QuantityBefore = gone.Quantity;
                e.QuantityAfter = 0;
                e.UnitPrice = price;
                e.UnitCost = gone.UnitCost;
                e.EffectiveDate = input.AsOf;
                e.Detail = (proRata?.Description ?? $"Cancelled {gone.Quantity} -> 0 on {Date(input.AsOf)}") + " (no longer listed by Cumulus)";
            }))
            {
                Organization = org,
                HaloItemId = product.HaloItemId.Value,
                HasLine = monthly,
                LineEnd = input.AsOf,
                ProRata = proRata,
            });
        }
    }

    private static void PlanCharges(PlanInput input, OrganizationInput organization, SyncPlan plan)
    {
        var org = organization.Mapping;
        foreach (var charge in organization.Charges)
        {
            var isOneOff = charge.ChargeType is ChargeType.Usage or ChargeType.Setup || charge.BillingCycleType == BillingCycleType.OneTime;
            if (!isOneOff || string.IsNullOrWhiteSpace(charge.Sku))
            {
                continue;
            }

            if (IsReservedInstance(charge.ProductName))
            {
                plan.SkippedReservedInstances.Add($"{org.Name}: {charge.ProductName} ({charge.Sku})");
                continue;
            }

            var key = ChargeIdentity.Of(charge, org.OrganizationId).Key;
            if (input.SyncedChargeKeys.Contains(key))
            {
                continue;
            }

            var product = MappedProduct(input, charge.Sku!);
            if (product is null || !Enabled(organization, key))
            {
                plan.SkippedUnmapped++;
                continue;
            }

            var price = input.Items.TryGetValue(product.HaloItemId!.Value, out var item) ? item.BasePrice ?? 0m : 0m;
            var cost = ChargeCost.UnitCost(charge, input.Settings.CostBasis);
            var period = BillingPeriod.Containing(input.AsOf, input.Settings.InvoiceDay);
            plan.Actions.Add(new SyncAction(NewEvent(input, org, charge.Sku!.Trim(), charge.ProductName, SyncEventKind.AddCharge, "RecurringInvoice", key, e =>
            {
                e.QuantityBefore = 0;
                e.QuantityAfter = charge.Quantity;
                e.UnitPrice = price;
                e.UnitCost = cost;
                e.EffectiveDate = input.AsOf;
                e.Detail = ChargeDescription(charge);
            }))
            {
                Organization = org,
                Charge = charge,
                HaloItemId = product.HaloItemId.Value,
                HasLine = true,
                LineStart = input.AsOf,
                LineEnd = period.End.AddDays(-1),
            });
        }
    }

    internal static string ChargeDescription(PayableCharge charge)
        => $"{charge.ProductName} - {charge.ChargeName} ({charge.ChargeType}) {Date(charge.PeriodFrom)} to {Date(charge.PeriodTo)}";

    private static SyncAction Subscription(PlanInput input, OrganizationMapping org, CumulusSubscription subscription, ProductMapping product,
        SyncEventKind kind, int before, int after, decimal price, decimal? cost, bool provisional, DateTime effective, ProRataEntry? proRata, bool monthly)
    {
        var what = kind switch
        {
            SyncEventKind.CreateSubscription => $"{(monthly ? "Monthly" : "Yearly")} subscription of {after}, billed from {Date(effective)}{(monthly ? string.Empty : "; yearly: no recurring-invoice line")}",
            SyncEventKind.UpdateCost => $"Unit cost now {Money(cost)} from Sherweb, from {Date(effective)}",
            _ => $"Quantity {before} -> {after} on {Date(effective)}",
        };
        return new SyncAction(NewEvent(input, org, subscription.Sku, subscription.ProductName, kind, "SoftwareLicence", OrganizationCharge.SubscriptionKey(subscription.Id), e =>
        {
            e.QuantityBefore = before;
            e.QuantityAfter = after;
            e.UnitPrice = price;
            e.UnitCost = cost;
            e.EffectiveDate = effective;
            e.Detail = (proRata?.Description ?? what) + (provisional ? "; unit cost is provisional (Sherweb has no payable charge yet)" : string.Empty);
        }))
        {
            Organization = org,
            Subscription = subscription,
            HaloItemId = product.HaloItemId!.Value,
            HasLine = monthly,
            LineStart = effective,
            LineEnd = kind == SyncEventKind.CancelSubscription ? effective : null,
            ProRata = proRata,
        };
    }

    private static SyncEvent NewEvent(PlanInput input, OrganizationMapping? org, string sku, string? productName, SyncEventKind kind, string entity, string key,
        Action<SyncEvent> fill)
    {
        var e = new SyncEvent
        {
            RunId = input.RunId,
            CreatedAt = input.Now,
            OrganizationId = org?.OrganizationId,
            OrganizationName = org?.Name,
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

    private static ProductMapping? MappedProduct(PlanInput input, string sku)
        => input.Products.TryGetValue(sku.Trim(), out var product) && product.Status is ProductMappingStatus.Mapped or ProductMappingStatus.AutoMapped
            ? product
            : null;

    /// <summary>Sherweb names Azure reservations "... Reserved VM Instance ..." or "... Reservation ..."; they are not synced yet.</summary>
    internal static bool IsReservedInstance(string? productName)
        => productName is not null
           && (productName.IndexOf("Reserved", StringComparison.OrdinalIgnoreCase) >= 0 || productName.IndexOf("Reservation", StringComparison.OrdinalIgnoreCase) >= 0)
           && productName.IndexOf("Azure", StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool Enabled(OrganizationInput organization, string key) => !organization.ChargeFlags.TryGetValue(key, out var on) || on;

    /// <summary>Sherweb's payable recurring charge for the SKU; before one exists, the pricing information's fee, provisionally.</summary>
    private static (decimal? Cost, bool Provisional) UnitCost(PlanInput input, OrganizationInput organization, CumulusSubscription subscription)
    {
        var recurring = organization.Charges
            .Where(c => c.ChargeType == ChargeType.Recurring && string.Equals(c.Sku?.Trim(), subscription.Sku.Trim(), StringComparison.OrdinalIgnoreCase))
            .Where(c => (c.BillingCycleType == BillingCycleType.Yearly) == (subscription.BillingCycle == SubscriptionBillingCycle.Yearly))
            .OrderByDescending(c => c.Quantity)
            .FirstOrDefault();
        return recurring is null
            ? (subscription.ProvisionalUnitCost, subscription.ProvisionalUnitCost is not null)
            : (ChargeCost.UnitCost(recurring, input.Settings.CostBasis), false);
    }

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Money(decimal? value) => value?.ToString("0.00##", CultureInfo.InvariantCulture) ?? "none";
}
