using System.Collections.Generic;

namespace HaloSync.Simulators.Sandbox;

/// <summary>One product of the demo: what Sherweb sells and how (or whether) HaloPSA carries it.</summary>
public sealed record DemoProduct(string Sku, string Name, decimal MonthlyPrice, decimal YearlyPrice, DemoHaloItem HaloItem, decimal SetupFee = 0m, bool Subscribable = true);

/// <summary>How the demo's HaloPSA catalogue carries a Sherweb SKU.</summary>
public enum DemoHaloItem
{
    /// <summary>An item whose supplier_part_code is the SKU.</summary>
    PartCode,

    /// <summary>An item that names the SKU only on a supplier line (item_suppliers[].supplier_sku).</summary>
    SupplierLine,

    /// <summary>Two items carry the SKU: automatic mapping must refuse to choose.</summary>
    TwoItems,

    /// <summary>An item with the product's name but no SKU: only a manual mapping finds it.</summary>
    NameOnly,

    /// <summary>HaloPSA has no item for it.</summary>
    None,
}

public static class DemoCatalog
{
    public static IReadOnlyList<DemoProduct> Products { get; } = new[]
    {
        new DemoProduct("MS-BP-NCE", "Microsoft 365 Business Premium", 22.00m, 264.00m, DemoHaloItem.PartCode),
        new DemoProduct("MS-BB-NCE", "Microsoft 365 Business Basic", 6.00m, 72.00m, DemoHaloItem.PartCode),
        new DemoProduct("MS-BS-NCE", "Microsoft 365 Business Standard", 12.50m, 150.00m, DemoHaloItem.SupplierLine),
        new DemoProduct("MS-E3-NCE", "Microsoft 365 E3", 36.00m, 432.00m, DemoHaloItem.PartCode),
        new DemoProduct("MS-EXO-P1", "Exchange Online (Plan 1)", 4.00m, 48.00m, DemoHaloItem.SupplierLine),
        new DemoProduct("MS-TEAMS-ESS", "Microsoft Teams Essentials", 4.00m, 48.00m, DemoHaloItem.TwoItems),
        new DemoProduct("MS-DEF-BUS", "Microsoft Defender for Business", 3.00m, 36.00m, DemoHaloItem.PartCode),
        new DemoProduct("MS-VISIO-P2", "Visio Plan 2", 15.00m, 180.00m, DemoHaloItem.NameOnly),
        new DemoProduct("ACRONIS-CP", "Acronis Cyber Protect", 8.00m, 96.00m, DemoHaloItem.None),
        new DemoProduct("SW-BACKUP", "Cloud Backup", 10.00m, 120.00m, DemoHaloItem.PartCode, SetupFee: 25.00m),
        new DemoProduct("MS-AZURE-PLAN", "Azure plan", 0m, 0m, DemoHaloItem.PartCode, Subscribable: false),
    };

    public static IReadOnlyList<string> Organizations { get; } = new[]
    {
        "Contoso Ltd", "Fabrikam, Inc.", "Northwind Traders", "Adventure Works", "Tailspin Toys", "Wide World Importers",
        "Woodgrove Bank", "Litware, Inc.", "Proseware, Inc.", "Lucerne Publishing", "Margie's Travel", "Coho Winery",
        "Alpine Ski House", "Blue Yonder Airlines", "City Power & Light", "Consolidated Messenger", "Fourth Coffee",
        "Graphic Design Institute", "Humongous Insurance", "Lamna Healthcare", "Trey Research", "VanArsdel, Ltd.",
        "Wingtip Toys", "The Phone Company", "School of Fine Art", "Relecloud", "Munson's Pickles and Preserves",
        "Bellows College", "Datum Corporation", "Southridge Video",
    };

    /// <summary>Organizations that HaloPSA has no client for (left unmapped in the demo).</summary>
    public static IReadOnlySet<string> WithoutHaloClient { get; } = new HashSet<string> { "Trey Research", "Relecloud", "Southridge Video" };
}
