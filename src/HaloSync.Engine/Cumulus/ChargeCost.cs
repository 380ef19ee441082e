using System.Linq;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Configuration;

namespace HaloSync.Engine.Cumulus;

public static class ChargeCost
{
    /// <summary>
    /// The cost of one unit for the whole billing cycle (never prorated; pro-rata is HaloPSA's job).
    /// Sherweb defines netPrice = listPrice - deductions - fees per unit, so adding back the
    /// performance-tier deductions' unit values undoes exactly the performance tier.
    /// </summary>
    public static decimal UnitCost(PayableCharge charge, CostBasis basis) => basis switch
    {
        CostBasis.List => charge.ListPrice,
        CostBasis.Net => charge.NetPrice,
        _ => charge.NetPrice + charge.Deductions
            .Where(d => d.DeductionType == DeductionType.PerformancePercentage)
            .Sum(d => d.UnitValue),
    };

    /// <summary>The unit cost that goes with <see cref="PayableCharge.BilledQuantity"/>: a credit priced below zero carries its sign on the quantity.</summary>
    public static decimal BilledUnitCost(PayableCharge charge, CostBasis basis)
        => charge.IsPricedBelowZero ? System.Math.Abs(UnitCost(charge, basis)) : UnitCost(charge, basis);

    /// <summary>
    /// What the charge costs for the part of its cycle it covers, by the cost basis and to the cent: quantity x unit cost,
    /// prorated the way Sherweb prorates it (netPriceProrated / netPrice). With the Net basis this is Sherweb's subtotal.
    /// </summary>
    public static decimal PeriodCost(PayableCharge charge, CostBasis basis)
        => Money.Cents(charge.NetPrice == 0m
            ? charge.Quantity * UnitCost(charge, basis)
            : charge.Quantity * UnitCost(charge, basis) * charge.NetPriceProrated / charge.NetPrice);
}
