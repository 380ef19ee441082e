using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Simulators.Sandbox;

/// <summary>
/// A large, plain, deterministic account for the benchmark: N organizations with M monthly subscriptions each over
/// ten products, a HaloPSA client of the same name for each organization, and an item per product whose supplier
/// part code is the SKU (so automatic mapping maps every product).
/// </summary>
public sealed class ScaleDataSet
{
    private const int ProductCount = 10;

    public ScaleDataSet(int organizations, int subscriptionsPerOrganization)
    {
        Organizations = organizations;
        SubscriptionsPerOrganization = subscriptionsPerOrganization;
    }

    public int Organizations { get; }

    public int SubscriptionsPerOrganization { get; }

    public static Guid OrganizationId(int index) => new($"5c1d0000-0000-4000-8000-{index + 1:000000000000}");

    public static string OrganizationName(int index) => "Scale Customer " + (index + 1).ToString("00000", CultureInfo.InvariantCulture);

    public static string Sku(int product) => "SCALE-SKU-" + (product + 1).ToString("00", CultureInfo.InvariantCulture);

    public SherwebSeed SherwebSeed(DateTime today)
    {
        var subscriptions = new List<SherwebSubscription>(Organizations * SubscriptionsPerOrganization);
        for (var i = 0; i < Organizations; i++)
        {
            for (var j = 0; j < SubscriptionsPerOrganization; j++)
            {
                var purchased = new DateTimeOffset(today.AddMonths(-2 - (i + j) % 9).AddDays(-(i * 7 + j) % 27).AddHours(9), TimeSpan.Zero);
                var quantity = 1 + (i * 7 + j * 3) % 40;
                subscriptions.Add(new SherwebSubscription
                {
                    Id = new Guid($"5c2d{j:0000}-0000-4000-8000-{i + 1:000000000000}"),
                    CustomerId = OrganizationId(i),
                    Sku = Sku((i + j) % ProductCount),
                    BillingCycle = SherwebBillingCycle.Monthly,
                    CommitmentTerm = j % 2 == 0 ? SherwebCommitmentTerm.Annual : SherwebCommitmentTerm.Monthly,
                    PurchaseDate = purchased,
                    QuantityHistory = new[] { new QuantityChange(purchased.UtcDateTime.Date, quantity) },
                });
            }
        }

        return new SherwebSeed
        {
            ApiClients = new[] { new SherwebApiClient { ClientId = DemoDataSet.SherwebClientId, ClientSecret = DemoDataSet.SherwebClientSecret, SubscriptionKey = DemoDataSet.SherwebSubscriptionKey } },
            Products = Enumerable.Range(0, ProductCount).Select(p => new SherwebProduct
            {
                Sku = Sku(p),
                Name = "Scale product " + (p + 1).ToString(CultureInfo.InvariantCulture),
                Description = "Benchmark product",
                MonthlyListPrice = 5.00m + p,
                YearlyListPrice = (5.00m + p) * 12,
            }).ToList(),
            Customers = Enumerable.Range(0, Organizations).Select(i => new SherwebCustomer { Id = OrganizationId(i), DisplayName = OrganizationName(i) }).ToList(),
            Subscriptions = subscriptions,
        };
    }

    public void SeedHalo(HaloPsaStore store)
    {
        for (var i = 0; i < Organizations; i++)
        {
            store.AddClient(new SimClient { Name = OrganizationName(i) });
        }

        for (var p = 0; p < ProductCount; p++)
        {
            store.AddItem(new SimItem { Name = "Scale product " + (p + 1).ToString(CultureInfo.InvariantCulture), Baseprice = 8.00m + p, Costprice = 0m, SupplierPartCode = Sku(p), Isrecurringitem = true });
        }
    }
}
