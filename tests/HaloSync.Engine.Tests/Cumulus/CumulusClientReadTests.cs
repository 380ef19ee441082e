using System;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

/// <summary>The client against the simulator over HTTP: every read and what the sync derives from it. "Today" is 2026-03-17.</summary>
public class CumulusClientReadTests
{
    private static readonly DateTime Today = new(2026, 3, 17);

    [Fact]
    public async Task Connect_gets_one_token_for_both_scopes_and_probes_the_customers()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var client = bed.Client();

        var customers = await client.ConnectAsync();

        Assert.Equal(3, customers.Count);
        Assert.Equal(1, client.TokensIssued);
        Assert.Equal(2, client.RequestsSent);
        var token = bed.Simulator.Requests.Matching(SherwebSimulator.TokenPath).Single();
        Assert.Contains("scope=service-provider+distributor", token.Body);
        Assert.Contains("client_secret=***", token.Body);
        Assert.Equal("/service-provider/v1/customers", bed.Simulator.Requests.Snapshot().Last().Path);
    }

    [Fact]
    public async Task Customers_carry_id_name_path_and_suspension()
    {
        await using var bed = await SherwebTestBed.StartAsync();

        var customers = await bed.Client().GetCustomersAsync();

        var fabrikam = customers.Single(c => c.Id == SherwebSampleData.Fabrikam);
        Assert.Equal("Fabrikam, Inc.", fabrikam.DisplayName);
        Assert.Equal(new[] { "Reseller One", "Fabrikam, Inc." }, fabrikam.Path);
        Assert.False(fabrikam.IsSuspended);
        var northwind = customers.Single(c => c.Id == SherwebSampleData.Northwind);
        Assert.True(northwind.IsSuspended);
        Assert.Equal(DateTimeKind.Utc, northwind.SuspendedOn!.Value.Kind);
        Assert.Equal(new DateTime(2025, 11, 20, 14, 0, 0, DateTimeKind.Utc), northwind.SuspendedOn);
    }

    [Fact]
    public async Task Subscription_details_carry_quantity_purchase_date_and_commitment_term()
    {
        await using var bed = await SherwebTestBed.StartAsync();

        var details = await bed.Client().GetSubscriptionDetailsAsync(SherwebSampleData.Contoso);

        Assert.Equal(2, details.Count);
        var premium = details.Single(d => d.Id == SherwebSampleData.ContosoBusinessPremium);
        Assert.Equal(SherwebSampleData.BusinessPremiumSku, premium.Sku);
        Assert.Equal("Microsoft 365 Business Premium", premium.ProductName);
        Assert.Equal(10, premium.Quantity);
        Assert.Equal(new DateTime(2025, 10, 20, 14, 0, 0, DateTimeKind.Utc), premium.PurchaseDate);
        Assert.Equal(CommitmentTermType.Annual, premium.CommitmentTerm!.Type);
        Assert.Equal(new DateTime(2026, 10, 19), premium.CommitmentTerm.TermEndDate.Date);
        Assert.Equal(new DateTime(2026, 10, 20), premium.CommitmentTerm.RenewalConfiguration!.RenewalDate.Date);
        Assert.Null(premium.CommitmentTerm.RenewalConfiguration.ScheduledQuantity);
        Assert.Null(premium.CommitmentTerm.CommittedMinimalQuantities);
    }

    [Fact]
    public async Task A_recent_increase_shows_its_decrease_window()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 15, Today);

        var premium = (await bed.Client().GetSubscriptionDetailsAsync(SherwebSampleData.Contoso)).Single(d => d.Id == SherwebSampleData.ContosoBusinessPremium);

        Assert.Equal(15, premium.Quantity);
        var window = Assert.Single(premium.CommitmentTerm!.CommittedMinimalQuantities!);
        Assert.Equal(new DateTime(2026, 3, 24), window.CommittedUntil.Date);
        Assert.Equal(10, window.Quantity);
    }

    [Fact]
    public async Task Pricing_information_gives_billing_cycle_and_fees_or_null_fees_without_a_catalog_item()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var azure = bed.Simulator.Purchase(SherwebSampleData.Fabrikam, SherwebSampleData.AzureSku, 1);

        var contoso = await bed.Client().GetSubscriptionPricingInformationAsync(SherwebSampleData.Contoso);
        var fabrikam = await bed.Client().GetSubscriptionPricingInformationAsync(SherwebSampleData.Fabrikam);

        var premium = contoso.Single(p => p.Id == SherwebSampleData.ContosoBusinessPremium);
        Assert.Equal(SubscriptionBillingCycle.Monthly, premium.BillingCycle);
        Assert.Equal(22.00m, premium.Fees!.RecurringFee);
        Assert.Equal(0m, premium.Fees.SetupFee);
        Assert.Equal("Usd", premium.Fees.Currency);
        var exchange = contoso.Single(p => p.Id == SherwebSampleData.ContosoExchangeYearly);
        Assert.Equal(SubscriptionBillingCycle.Yearly, exchange.BillingCycle);
        Assert.Equal(48.00m, exchange.Fees!.RecurringFee);
        Assert.Null(fabrikam.Single(p => p.Id == azure.Id).Fees);
    }

    [Fact]
    public async Task The_merged_view_joins_details_and_pricing_by_subscription_id()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var client = bed.Client();

        var subscriptions = await client.GetSubscriptionsAsync(SherwebSampleData.Contoso);

        var exchange = subscriptions.Single(s => s.Id == SherwebSampleData.ContosoExchangeYearly);
        Assert.Equal(SherwebSampleData.Contoso, exchange.CustomerId);
        Assert.Equal(SubscriptionBillingCycle.Yearly, exchange.BillingCycle);
        Assert.Equal(5, exchange.Quantity);
        Assert.Equal(48.00m, exchange.ProvisionalUnitCost);
        Assert.Equal(CommitmentTermType.Annual, exchange.CommitmentTerm!.Type);
        Assert.Equal(3, client.RequestsSent);
    }

    [Fact]
    public async Task Payable_charges_cover_the_whole_period_containing_the_date_with_tags_and_deductions()
    {
        await using var bed = await SherwebTestBed.StartAsync();

        var payable = await bed.Client().GetPayableChargesAsync(Today);

        Assert.Equal(new DateTime(2026, 3, 1), payable.PeriodFrom.Date);
        Assert.Equal(new DateTime(2026, 3, 31), payable.PeriodTo.Date);
        Assert.Equal("/distributor/v1/billing/payable-charges?date=2026-03-17", bed.Simulator.Requests.Snapshot().Last().Path + bed.Simulator.Requests.Snapshot().Last().Query);
        Assert.Equal(2, payable.Charges.Count);
        var contoso = payable.Charges.Single(c => c.Tags.Any(t => t.Value == "Contoso Ltd"));
        Assert.Equal(ChargeType.Recurring, contoso.ChargeType);
        Assert.Equal(BillingCycleType.Monthly, contoso.BillingCycleType);
        Assert.Equal(new DateTime(2026, 3, 1), contoso.PeriodFrom.Date);
        Assert.Equal(new DateTime(2026, 3, 31), contoso.PeriodTo.Date);
        Assert.Equal(10m, contoso.Quantity);
        Assert.Equal(22.00m, contoso.ListPrice);
        Assert.Equal(19.80m, contoso.NetPrice);
        Assert.Equal(19.80m, contoso.NetPriceProrated);
        Assert.Equal(198.00m, contoso.SubTotal);
        Assert.Equal("USD", contoso.Currency);
        Assert.False(contoso.IsBilled);
        Assert.True(contoso.IsProratable);
        Assert.Null(contoso.Invoice!.Number);
        Assert.NotNull(contoso.ChargeId);
        var tier = Assert.Single(contoso.Deductions);
        Assert.Equal(DeductionType.PerformancePercentage, tier.DeductionType);
        Assert.Equal(10m, tier.Value);
        Assert.Equal(2.20m, tier.UnitValue);
        Assert.Equal(22.00m, tier.TotalValue);
        Assert.Equal(22.00m, ChargeCost.UnitCost(contoso, CostBasis.NetBeforePerformanceTier));
        Assert.Equal(SherwebSampleData.Contoso.ToString(), contoso.Tags.Single(t => t.Name == "CustomerId").Value);
    }

    [Theory]
    [InlineData("2026-02-01", "2026-02-01", "2026-02-28", true)]
    [InlineData("2026-02-28", "2026-02-01", "2026-02-28", true)]
    [InlineData("2026-04-30", "2026-04-01", "2026-04-30", false)]
    public async Task The_date_selects_its_billing_period(string date, string from, string to, bool billed)
    {
        await using var bed = await SherwebTestBed.StartAsync();

        var payable = await bed.Client().GetPayableChargesAsync(DateTime.Parse(date));

        Assert.Equal(DateTime.Parse(from), payable.PeriodFrom.Date);
        Assert.Equal(DateTime.Parse(to), payable.PeriodTo.Date);
        Assert.All(payable.Charges, c => Assert.Equal(billed, c.IsBilled));
        Assert.All(payable.Charges, c => Assert.Equal(billed, c.Invoice!.Number is not null));
    }

    [Fact]
    public async Task Periods_follow_a_partner_start_day_other_than_the_first()
    {
        await using var bed = await SherwebTestBed.StartAsync(seed => seed with { Settings = seed.Settings with { BillingPeriodStartDay = 15 } });

        var payable = await bed.Client().GetPayableChargesAsync(Today);

        Assert.Equal(new DateTime(2026, 3, 15), payable.PeriodFrom.Date);
        Assert.Equal(new DateTime(2026, 4, 14), payable.PeriodTo.Date);
    }

    [Fact]
    public async Task Mid_period_increase_decrease_and_cancellation_give_prorated_lines()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 15, new DateTime(2026, 3, 17));
        bed.Simulator.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 12, new DateTime(2026, 3, 24));
        bed.Simulator.Cancel(SherwebSampleData.FabrikamBusinessPremium, new DateTime(2026, 3, 20));

        var charges = (await bed.Client().GetPayableChargesAsync(Today)).Charges;

        // 19.80 net: +5 from Mar 17 = 15/31 -> 9.58; -3 from Mar 24 = 8/31 -> 5.11; Fabrikam -3 from Mar 20 = 12/31 -> 7.66.
        var increase = charges.Single(c => c.Quantity == 5m);
        Assert.Equal((new DateTime(2026, 3, 17), new DateTime(2026, 3, 31)), (increase.PeriodFrom.Date, increase.PeriodTo.Date));
        Assert.Equal(9.58m, increase.NetPriceProrated);
        Assert.Equal(47.90m, increase.SubTotal);
        Assert.Equal(19.80m, increase.NetPrice);
        Assert.Equal(11.00m, increase.Deductions.Single().TotalValue);
        var decrease = charges.Single(c => c.Quantity == -3m && c.PeriodFrom.Date == new DateTime(2026, 3, 24));
        Assert.Equal(5.11m, decrease.NetPriceProrated);
        Assert.Equal(-15.33m, decrease.SubTotal);
        var cancellation = charges.Single(c => c.Quantity == -3m && c.PeriodFrom.Date == new DateTime(2026, 3, 20));
        Assert.Equal(7.66m, cancellation.NetPriceProrated);
        Assert.Equal(-22.98m, cancellation.SubTotal);
        Assert.Equal(5, charges.Count);
        Assert.Equal(charges.Count, charges.Select(c => ChargeIdentity.Of(c, "x")).Distinct().Count());
    }

    [Fact]
    public async Task A_new_purchase_is_prorated_from_its_date_and_bills_its_setup_fee_once()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Purchase(SherwebSampleData.Fabrikam, SherwebSampleData.BackupSku, 2, purchaseDate: new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));

        var charges = (await bed.Client().GetPayableChargesAsync(Today)).Charges.Where(c => c.Sku == SherwebSampleData.BackupSku).ToList();
        var april = (await bed.Client().GetPayableChargesAsync(new DateTime(2026, 4, 2))).Charges.Where(c => c.Sku == SherwebSampleData.BackupSku).ToList();

        // 10.00 list - 1.00 tier = 9.00; 22 of 31 days -> 6.39 x 2 = 12.78. Setup: 25.00 x 2, no tier.
        var recurring = charges.Single(c => c.ChargeType == ChargeType.Recurring);
        Assert.Equal(new DateTime(2026, 3, 10), recurring.PeriodFrom.Date);
        Assert.Equal(6.39m, recurring.NetPriceProrated);
        Assert.Equal(12.78m, recurring.SubTotal);
        var setup = charges.Single(c => c.ChargeType == ChargeType.Setup);
        Assert.Equal(BillingCycleType.OneTime, setup.BillingCycleType);
        Assert.Equal(50.00m, setup.SubTotal);
        Assert.Empty(setup.Deductions);
        Assert.False(setup.IsProratable);
        Assert.Equal(ChargeType.Recurring, Assert.Single(april).ChargeType);
        Assert.Equal(18.00m, april.Single().SubTotal);
    }

    [Fact]
    public async Task A_yearly_subscription_bills_the_whole_year_on_its_anniversary_and_prorates_changes_to_the_year_end()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.ChangeQuantity(SherwebSampleData.ContosoExchangeYearly, 8, Today);
        var client = bed.Client();

        var october = (await client.GetPayableChargesAsync(new DateTime(2025, 10, 31))).Charges.Single(c => c.Sku == SherwebSampleData.ExchangeSku);
        var march = (await client.GetPayableChargesAsync(Today)).Charges.Single(c => c.Sku == SherwebSampleData.ExchangeSku);
        var february = (await client.GetPayableChargesAsync(new DateTime(2026, 2, 1))).Charges;

        Assert.Equal(BillingCycleType.Yearly, october.BillingCycleType);
        Assert.Equal((new DateTime(2025, 10, 20), new DateTime(2026, 10, 19)), (october.PeriodFrom.Date, october.PeriodTo.Date));
        Assert.Equal(5m, october.Quantity);
        Assert.Equal(43.20m, october.NetPrice);
        Assert.Equal(216.00m, october.SubTotal);
        Assert.True(october.IsBilled);
        Assert.Equal("INV-20251001", october.Invoice!.Number);
        // +3 on Mar 17 for the 217 days (15 in March, 183 from April to September, 19 in October) of the year's 365: 43.20 x 217 / 365 = 25.68 per unit.
        Assert.Equal(3m, march.Quantity);
        Assert.Equal(new DateTime(2026, 10, 19), march.PeriodTo.Date);
        Assert.Equal(25.68m, march.NetPriceProrated);
        Assert.Equal(77.04m, march.SubTotal);
        Assert.Equal(48.00m, ChargeCost.UnitCost(march, CostBasis.NetBeforePerformanceTier));
        Assert.DoesNotContain(february, c => c.Sku == SherwebSampleData.ExchangeSku);
    }

    [Fact]
    public async Task Usage_and_one_time_charges_appear_in_the_period_they_are_billed_and_keep_their_identity_without_a_charge_id()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.AddCharge(new SherwebExtraCharge
        {
            ChargeId = null, CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, ChargeName = "Consumption",
            PeriodFrom = new DateTime(2026, 2, 1), PeriodTo = new DateTime(2026, 2, 28), Quantity = 1m, UnitListPrice = 143.27m, BilledOn = new DateTime(2026, 3, 5),
        });
        bed.Simulator.AddCharge(new SherwebExtraCharge
        {
            CustomerId = SherwebSampleData.Fabrikam, Sku = SherwebSampleData.BackupSku, ChargeName = "Onboarding", ChargeType = SherwebChargeType.Setup,
            BillingCycleType = SherwebBillingCycleType.OneTime, PeriodFrom = Today, PeriodTo = Today, Quantity = 1m, UnitListPrice = 150.00m, BilledOn = Today,
        });
        var client = bed.Client();

        var first = (await client.GetPayableChargesAsync(Today)).Charges;
        var second = (await client.GetPayableChargesAsync(new DateTime(2026, 3, 31))).Charges;
        var february = (await client.GetPayableChargesAsync(new DateTime(2026, 2, 15))).Charges;

        var usage = first.Single(c => c.ChargeType == ChargeType.Usage);
        Assert.Null(usage.ChargeId);
        Assert.Equal(new DateTime(2026, 2, 1), usage.PeriodFrom.Date);
        // 143.27 - 14.33 tier = 128.94; the default basis adds the tier back.
        Assert.Equal(128.94m, usage.NetPrice);
        Assert.Equal(143.27m, ChargeCost.UnitCost(usage, CostBasis.NetBeforePerformanceTier));
        var oneTime = first.Single(c => c.ChargeName == "Onboarding");
        Assert.Equal((ChargeType.Setup, BillingCycleType.OneTime), (oneTime.ChargeType, oneTime.BillingCycleType));
        Assert.Equal(150.00m, oneTime.SubTotal);
        Assert.Equal(
            first.Select(c => ChargeIdentity.Of(c, ChargeAttribution.Attribute(c, bed.Simulator.State.Snapshot().Customers.Select(ToCustomer).ToList()).Customer!.Id.ToString())).OrderBy(k => k.Key).Select(k => k.Key),
            second.Select(c => ChargeIdentity.Of(c, ChargeAttribution.Attribute(c, bed.Simulator.State.Snapshot().Customers.Select(ToCustomer).ToList()).Customer!.Id.ToString())).OrderBy(k => k.Key).Select(k => k.Key));
        Assert.DoesNotContain(february, c => c.ChargeType == ChargeType.Usage);
    }

    [Fact]
    public async Task Charges_are_attributed_by_display_name_when_the_id_tag_is_absent()
    {
        await using var bed = await SherwebTestBed.StartAsync(seed => seed with { Settings = seed.Settings with { CustomerIdTagName = null } });
        var client = bed.Client();
        var customers = await client.GetCustomersAsync();

        var charges = (await client.GetPayableChargesAsync(Today)).Charges;

        Assert.All(charges, c => Assert.Single(c.Tags));
        Assert.Equal(
            new[] { SherwebSampleData.Contoso, SherwebSampleData.Fabrikam }.OrderBy(id => id),
            charges.Select(c => ChargeAttribution.Attribute(c, customers)).Select(a => a.Customer!.Id).OrderBy(id => id));
    }

    [Fact]
    public async Task Undocumented_fields_are_ignored_and_the_accept_language_is_sent()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();
        var token = await bed.RawTokenAsync("service-provider");
        var request = new System.Net.Http.HttpRequestMessage(System.Net.Http.HttpMethod.Get, "/service-provider/v1/billing/subscriptions/details?customerId=" + SherwebSampleData.Contoso);
        request.Headers.Add(SherwebSimulator.SubscriptionKeyHeader, SherwebSampleData.SubscriptionKey);
        request.Headers.Add("Authorization", "Bearer " + token);
        request.Headers.Add("Accept-Language", "fr-CA;q=0.8, en");
        var raw = await (await http.SendAsync(request)).Content.ReadAsStringAsync();

        var english = await bed.Client().GetSubscriptionDetailsAsync(SherwebSampleData.Contoso);
        var french = await bed.Client(acceptLanguage: "fr-CA").GetSubscriptionDetailsAsync(SherwebSampleData.Contoso);

        Assert.Contains("microsoftSkuId", raw);
        Assert.Contains("Microsoft 365 Affaires Premium", raw);
        Assert.Equal("Microsoft 365 Business Premium", english.Single(d => d.Sku == SherwebSampleData.BusinessPremiumSku).ProductName);
        Assert.Equal("Microsoft 365 Affaires Premium", french.Single(d => d.Sku == SherwebSampleData.BusinessPremiumSku).ProductName);
    }

    [Fact]
    public async Task A_cancelled_subscription_disappears_or_stays_at_zero_until_its_term_ends()
    {
        await using var removed = await SherwebTestBed.StartAsync();
        await using var lingering = await SherwebTestBed.StartAsync(seed => seed with { Settings = seed.Settings with { CancelledSubscriptions = CancelledSubscriptionVisibility.ZeroQuantityUntilTermEnd } });
        removed.Simulator.Cancel(SherwebSampleData.ContosoBusinessPremium);
        lingering.Simulator.Cancel(SherwebSampleData.ContosoBusinessPremium);

        var gone = await removed.Client().GetSubscriptionsAsync(SherwebSampleData.Contoso);
        var zero = await lingering.Client().GetSubscriptionsAsync(SherwebSampleData.Contoso);

        Assert.DoesNotContain(gone, s => s.Id == SherwebSampleData.ContosoBusinessPremium);
        Assert.Equal(0, zero.Single(s => s.Id == SherwebSampleData.ContosoBusinessPremium).Quantity);
        Assert.Null(zero.Single(s => s.Id == SherwebSampleData.ContosoBusinessPremium).CommitmentTerm!.RenewalConfiguration);
        lingering.Simulator.SetDate(new DateTime(2026, 10, 20));
        Assert.DoesNotContain(await lingering.Client().GetSubscriptionsAsync(SherwebSampleData.Contoso), s => s.Id == SherwebSampleData.ContosoBusinessPremium);
    }

    private static CumulusCustomer ToCustomer(SherwebCustomer customer) => new() { Id = customer.Id, DisplayName = customer.DisplayName };
}
