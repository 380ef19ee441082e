namespace HaloSync.Engine.Configuration;

/// <summary>When the recurring invoice generated on an anchor day covers its period.</summary>
public enum BillingMethod
{
    /// <summary>The invoice generated on anchor P covers [P, next anchor).</summary>
    PreBill,

    /// <summary>The invoice generated on anchor P covers [previous anchor, P).</summary>
    PostBill,
}

/// <summary>How Cumulus products get their HaloPSA item.</summary>
public enum MappingMode
{
    Manual,

    /// <summary>Unmapped products are mapped to the HaloPSA item whose supplier SKU equals the Sherweb SKU.</summary>
    Automatic,
}

/// <summary>Which Sherweb price becomes the HaloPSA unit cost.</summary>
public enum CostBasis
{
    /// <summary>The payable net price with performance-tier deductions added back (what Sherweb's own integrations sync).</summary>
    NetBeforePerformanceTier,

    /// <summary>The payable net price, after every deduction.</summary>
    Net,

    /// <summary>The list price.</summary>
    List,
}
