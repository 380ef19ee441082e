using System.Linq;
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
}
