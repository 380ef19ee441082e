using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Mapping;

/// <summary>Lists one organization's subscriptions and its payable charges of a period, with their sync switches.</summary>
public static class OrganizationChargeList
{
    public static List<OrganizationCharge> Build(
        CumulusCustomer customer,
        IEnumerable<CumulusSubscription> subscriptions,
        PayableCharges payable,
        IReadOnlyCollection<CumulusCustomer> customers,
        IReadOnlyDictionary<string, bool> syncFlags,
        CostBasis costBasis)
    {
        var organizationId = customer.Id.ToString("D");
        bool Enabled(string key) => !syncFlags.TryGetValue(key, out var enabled) || enabled;

        var rows = subscriptions.Select(s => new OrganizationCharge
        {
            OrganizationId = organizationId,
            OrganizationName = customer.DisplayName,
            Kind = OrganizationChargeKind.Subscription,
            ChargeKey = HaloKeys.Subscription(s.Id),
            Sku = s.Sku,
            ProductName = s.ProductName,
            Quantity = s.Quantity,
            BillingCycle = s.BillingCycle.ToString(),
            UnitCost = s.ProvisionalUnitCost,
            SyncEnabled = Enabled(HaloKeys.Subscription(s.Id)),
        }).ToList();

        foreach (var charge in payable.Charges)
        {
            if (ChargeAttribution.Attribute(charge, customers).Customer?.Id != customer.Id)
            {
                continue;
            }

            var key = ChargeIdentity.Of(charge, organizationId).Key;
            rows.Add(new OrganizationCharge
            {
                OrganizationId = organizationId,
                OrganizationName = customer.DisplayName,
                Kind = OrganizationChargeKind.Charge,
                ChargeKey = key,
                Sku = charge.Sku ?? string.Empty,
                ProductName = charge.ProductName ?? string.Empty,
                ChargeName = charge.ChargeName,
                Quantity = charge.Quantity,
                BillingCycle = charge.BillingCycleType.ToString(),
                ChargeType = charge.ChargeType.ToString(),
                PeriodFrom = charge.PeriodFrom,
                PeriodTo = charge.PeriodTo,
                UnitCost = ChargeCost.UnitCost(charge, costBasis),
                SyncEnabled = Enabled(key),
            });
        }

        return rows;
    }
}
