using System;
using System.Collections.Generic;

namespace HaloSync.Simulators.Cumulus;

/// <summary>A small, realistic partner account for tests and demos. The credentials are fake and only valid against the simulator.</summary>
public static class SherwebSampleData
{
    public const string ClientId = "sim-client-id";
    public const string ClientSecret = "sim-client-secret-5f1c";
    public const string SubscriptionKey = "sim-subscription-key-9e2d";

    public const string BusinessPremiumSku = "MS-BP-NCE";
    public const string ExchangeSku = "MS-EXO-P1";
    public const string AzureSku = "MS-AZURE-PLAN";
    public const string BackupSku = "SW-BACKUP-SETUP";

    public static readonly Guid Contoso = new("3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0001");
    public static readonly Guid Fabrikam = new("3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0002");
    public static readonly Guid Northwind = new("3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0003");

    public static readonly Guid ContosoBusinessPremium = new("9a1e0000-0000-4000-8000-000000000001");
    public static readonly Guid ContosoExchangeYearly = new("9a1e0000-0000-4000-8000-000000000002");
    public static readonly Guid FabrikamBusinessPremium = new("9a1e0000-0000-4000-8000-000000000003");

    public static SherwebApiClient ApiClient { get; } = new()
    {
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        SubscriptionKey = SubscriptionKey,
    };

    /// <summary>
    /// Three customers (Northwind suspended); Business Premium at 22.00/month, Exchange at 4.00/month or 48.00/year,
    /// Azure usage and a backup product with a 25.00 setup fee; subscriptions bought months before <paramref name="today"/>.
    /// </summary>
    public static SherwebSeed Create(DateTime today)
    {
        var longAgo = new DateTimeOffset(today.Date.AddMonths(-5).AddDays(3).AddHours(14), TimeSpan.Zero);
        return new SherwebSeed
        {
            ApiClients = new[] { ApiClient },
            Products = new[]
            {
                new SherwebProduct
                {
                    Sku = BusinessPremiumSku, Name = "Microsoft 365 Business Premium", Description = "Microsoft 365 Business Premium (NCE)",
                    MonthlyListPrice = 22.00m, YearlyListPrice = 264.00m,
                    LocalizedNames = new Dictionary<string, string> { ["fr"] = "Microsoft 365 Affaires Premium" },
                },
                new SherwebProduct { Sku = ExchangeSku, Name = "Exchange Online (Plan 1)", Description = "Exchange Online (Plan 1)", MonthlyListPrice = 4.00m, YearlyListPrice = 48.00m },
                new SherwebProduct { Sku = AzureSku, Name = "Azure plan", Description = "Azure consumption", HasCatalogItem = false },
                new SherwebProduct { Sku = BackupSku, Name = "Cloud Backup", Description = "Cloud backup with onboarding", MonthlyListPrice = 10.00m, YearlyListPrice = 120.00m, SetupFee = 25.00m },
            },
            Customers = new[]
            {
                new SherwebCustomer { Id = Contoso, DisplayName = "Contoso Ltd" },
                new SherwebCustomer { Id = Fabrikam, DisplayName = "Fabrikam, Inc.", Path = new[] { "Reseller One", "Fabrikam, Inc." } },
                new SherwebCustomer { Id = Northwind, DisplayName = "Northwind Traders", SuspendedOn = longAgo.AddMonths(1) },
            },
            Subscriptions = new[]
            {
                Bought(ContosoBusinessPremium, Contoso, BusinessPremiumSku, 10, longAgo, SherwebBillingCycle.Monthly, SherwebCommitmentTerm.Annual),
                Bought(ContosoExchangeYearly, Contoso, ExchangeSku, 5, longAgo, SherwebBillingCycle.Yearly, SherwebCommitmentTerm.Annual),
                Bought(FabrikamBusinessPremium, Fabrikam, BusinessPremiumSku, 3, longAgo, SherwebBillingCycle.Monthly, SherwebCommitmentTerm.Monthly),
            },
        };
    }

    private static SherwebSubscription Bought(Guid id, Guid customerId, string sku, int quantity, DateTimeOffset purchaseDate,
        SherwebBillingCycle cycle, SherwebCommitmentTerm term) => new()
    {
        Id = id,
        CustomerId = customerId,
        Sku = sku,
        BillingCycle = cycle,
        CommitmentTerm = term,
        PurchaseDate = purchaseDate,
        QuantityHistory = new[] { new QuantityChange(purchaseDate.UtcDateTime.Date, quantity) },
    };
}
