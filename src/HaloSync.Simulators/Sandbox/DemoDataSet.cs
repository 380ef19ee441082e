using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Simulators.Sandbox;

/// <summary>
/// The sandbox's realistic, deterministic data: thirty organizations with monthly and yearly subscriptions,
/// Azure usage and one-time setup charges on the Sherweb side; clients and items on the HaloPSA side, where
/// some SKUs match an item's supplier SKU, one matches two items, and some match none.
/// </summary>
public static class DemoDataSet
{
    public const string SherwebClientId = "demo-sherweb-client";
    public const string SherwebClientSecret = "demo-sherweb-secret-not-real";
    public const string SherwebSubscriptionKey = "demo-subscription-key-not-real";

    public static Guid OrganizationId(int index) => new($"5a1d0000-0000-4000-8000-{index + 1:000000000000}");

    public static SherwebSeed SherwebSeed(DateTime today)
    {
        var random = new Random(2026);
        var subscriptions = new List<SherwebSubscription>();
        var charges = new List<SherwebExtraCharge>();
        var subscribable = DemoCatalog.Products.Where(p => p.Subscribable).ToList();
        for (var i = 0; i < DemoCatalog.Organizations.Count; i++)
        {
            var customer = OrganizationId(i);
            foreach (var product in subscribable.OrderBy(_ => random.Next()).Take(2 + random.Next(3)))
            {
                var yearly = random.Next(5) == 0;
                var purchased = new DateTimeOffset(today.AddMonths(-1 - random.Next(10)).AddDays(-random.Next(28)).AddHours(10), TimeSpan.Zero);
                var quantity = 1 + random.Next(40);
                subscriptions.Add(new SherwebSubscription
                {
                    Id = new Guid($"5b1d{i:0000}-0000-4000-8000-{subscriptions.Count + 1:000000000000}"),
                    CustomerId = customer,
                    Sku = product.Sku,
                    BillingCycle = yearly ? SherwebBillingCycle.Yearly : SherwebBillingCycle.Monthly,
                    CommitmentTerm = yearly || random.Next(2) == 0 ? SherwebCommitmentTerm.Annual : SherwebCommitmentTerm.Monthly,
                    PurchaseDate = purchased,
                    QuantityHistory = new[] { new QuantityChange(purchased.UtcDateTime.Date, quantity) },
                });
            }

            if (i % 4 == 0)
            {
                charges.Add(AzureUsage(customer, today, 40m + random.Next(900) + random.Next(100) / 100m));
            }
        }

        var backup = DemoCatalog.Products.Single(p => p.Sku == "SW-BACKUP");
        charges.Add(SetupFee(OrganizationId(1), backup, today.AddDays(-2)));
        return new SherwebSeed
        {
            ApiClients = new[] { new SherwebApiClient { ClientId = SherwebClientId, ClientSecret = SherwebClientSecret, SubscriptionKey = SherwebSubscriptionKey } },
            Products = DemoCatalog.Products.Select(p => new SherwebProduct
            {
                Sku = p.Sku,
                Name = p.Name,
                Description = p.Name,
                MonthlyListPrice = p.MonthlyPrice,
                YearlyListPrice = p.YearlyPrice,
                SetupFee = p.SetupFee,
                HasCatalogItem = p.Subscribable,
            }).ToList(),
            Customers = DemoCatalog.Organizations.Select((name, i) => new SherwebCustomer { Id = OrganizationId(i), DisplayName = name }).ToList(),
            Subscriptions = subscriptions,
            Charges = charges,
        };
    }

    /// <summary>An organization a legacy integration bills: every line is covered once HaloSync syncs it, one quantity is stale and one price old.</summary>
    public const string LegacyCoveredOrganization = "Adventure Works";

    /// <summary>An organization a legacy integration bills, whose legacy invoice also bills Acronis, which HaloSync cannot (HaloPSA has no item for it).</summary>
    public const string LegacyPartlyCoveredOrganization = "Woodgrove Bank";

    /// <param name="sherweb">What Sherweb sells the organizations, so the legacy integration's records bill the same subscriptions.</param>
    public static void SeedHalo(HaloPsaStore store, SherwebSeed sherweb)
    {
        foreach (var name in DemoCatalog.Organizations.Where(n => !DemoCatalog.WithoutHaloClient.Contains(n)))
        {
            store.AddClient(new SimClient { Name = name });
        }

        foreach (var product in DemoCatalog.Products)
        {
            var price = Math.Round(product.MonthlyPrice * 1.25m, 2, MidpointRounding.AwayFromZero);
            switch (product.HaloItem)
            {
                case DemoHaloItem.PartCode:
                    store.AddItem(new SimItem { Name = product.Name, Baseprice = price, Costprice = 0m, SupplierPartCode = product.Sku, Isrecurringitem = true });
                    break;
                case DemoHaloItem.SupplierLine:
                    store.AddItem(new SimItem
                    {
                        Name = product.Name, Baseprice = price, Costprice = 0m, Isrecurringitem = true,
                        ItemSuppliers = new() { new SimItemSupplier { SupplierName = "Sherweb", SupplierSku = product.Sku } },
                    });
                    break;
                case DemoHaloItem.TwoItems:
                    store.AddItem(new SimItem { Name = product.Name, Baseprice = price, Costprice = 0m, SupplierPartCode = product.Sku, Isrecurringitem = true });
                    store.AddItem(new SimItem { Name = product.Name + " (legacy)", Baseprice = price, Costprice = 0m, SupplierPartCode = product.Sku.ToLowerInvariant() + " " });
                    break;
                case DemoHaloItem.NameOnly:
                    store.AddItem(new SimItem { Name = product.Name, Baseprice = price, Costprice = 0m, Isrecurringitem = true });
                    break;
            }
        }

        SeedLegacyIntegration(store, sherweb, LegacyCoveredOrganization, quantityChange: ("MS-BP-NCE", -1), oldPrice: ("MS-E3-NCE", 42.00m));
        SeedLegacyIntegration(store, sherweb, LegacyPartlyCoveredOrganization, quantityChange: null, oldPrice: null);
    }

    /// <summary>
    /// What a legacy integration made for one organization: a subscription (no HaloSync key) per monthly Sherweb
    /// subscription and a recurring invoice with a line for each, linked to it, priced from the HaloPSA item or the list.
    /// </summary>
    private static void SeedLegacyIntegration(HaloPsaStore store, SherwebSeed sherweb, string organization, (string Sku, int By)? quantityChange,
        (string Sku, decimal Price)? oldPrice)
    {
        var customer = OrganizationId(DemoCatalog.Organizations.ToList().IndexOf(organization));
        var client = store.Clients.Single(c => c.Name == organization).Id;
        var lines = new List<SimInvoiceLine>();
        foreach (var subscription in sherweb.Subscriptions.Where(s => s.CustomerId == customer && s.BillingCycle == SherwebBillingCycle.Monthly))
        {
            var product = DemoCatalog.Products.Single(p => p.Sku == subscription.Sku);
            var item = store.Items.FirstOrDefault(i => i.Name == product.Name);
            var quantity = subscription.Quantity + (quantityChange?.Sku == product.Sku ? quantityChange.Value.By : 0);
            var price = oldPrice?.Sku == product.Sku ? oldPrice.Value.Price : item?.Baseprice ?? Math.Round(product.MonthlyPrice * 1.25m, 2, MidpointRounding.AwayFromZero);
            var start = subscription.PurchaseDate.UtcDateTime.Date;
            var licence = store.AddLicence(new SimLicence
            {
                Type = 1, ClientId = client, Name = product.Name, Count = quantity, BillingCycle = "Monthly", Status = "Active", IsActive = true,
                StartDate = start, ItemId = item?.Id, Price = price, PurchasePrice = product.MonthlyPrice, ProductSku = product.Sku,
            });
            lines.Add(new SimInvoiceLine
            {
                ItemId = item?.Id ?? -1, ItemShortdescription = product.Name, ItemLongdescription = product.Name + " (Sherweb subscription)",
                QtyOrder = quantity, UnitPrice = price, UnitCost = product.MonthlyPrice, Startdate = start, RecurringInvoiceQuantityType = 0,
                QuantityLicences = new() { new SimLicenceLink { LicenceId = licence.Id, Kind = 1 } },
            });
        }

        store.AddRecurringInvoice(new SimRecurringInvoice
        {
            ClientId = client, Reference = "Sherweb monthly", IsRecurringInvoice = true, Period = 2, Startdate = lines.Min(l => l.Startdate), Lines = lines,
        });
    }

    private static SherwebExtraCharge AzureUsage(Guid customer, DateTime today, decimal amount)
    {
        var lastMonth = new DateTime(today.Year, today.Month, 1).AddMonths(-1);
        return new SherwebExtraCharge
        {
            ChargeId = null,
            CustomerId = customer,
            Sku = "MS-AZURE-PLAN",
            ChargeName = "Consumption",
            ChargeType = SherwebChargeType.Usage,
            BillingCycleType = SherwebBillingCycleType.Monthly,
            PeriodFrom = lastMonth,
            PeriodTo = lastMonth.AddMonths(1).AddDays(-1),
            Quantity = 1m,
            UnitListPrice = amount,
            BilledOn = today,
        };
    }

    private static SherwebExtraCharge SetupFee(Guid customer, DemoProduct product, DateTime on) => new()
    {
        CustomerId = customer,
        Sku = product.Sku,
        ChargeName = "Setup fee",
        ChargeType = SherwebChargeType.Setup,
        BillingCycleType = SherwebBillingCycleType.OneTime,
        PeriodFrom = on,
        PeriodTo = on,
        Quantity = 1m,
        UnitListPrice = product.SetupFee,
        BilledOn = on,
    };
}
