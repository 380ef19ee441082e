using System.Linq;

namespace HaloSync.Engine.Cumulus;

/// <summary>Which Sherweb price is taken as HaloPSA's unit cost.</summary>
public enum CostBasis
{
    /// <summary>Net price with performance-tier deductions added back, as Sherweb's own PSA integrations sync it.</summary>
    NetBeforePerformanceTier = 0,

    /// <summary>Net price: list price minus every deduction and fee.</summary>
    Net,

    /// <summary>List price, before any deduction.</summary>
    List,
}

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
