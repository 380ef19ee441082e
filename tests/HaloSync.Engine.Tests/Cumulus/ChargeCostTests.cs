using System;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

public class ChargeCostTests
{
    // List 22.00; promotion 5 % = 1.10; performance tier 10 % = 2.20; a 0.50 fee.
    // Net = 22.00 - 1.10 - 2.20 - 0.50 = 18.20; before performance tier = 18.20 + 2.20 = 20.40.
    private const string ChargeWithEverything = @"{
        ""listPrice"": 22.00, ""netPrice"": 18.20, ""netPriceProrated"": 18.20, ""quantity"": 10, ""subTotal"": 182.00,
        ""deductions"": [
            { ""code"": ""PROMO"", ""deductionType"": ""PromotionalPercentage"", ""value"": 5, ""unitValue"": 1.10, ""totalValue"": 11.00 },
            { ""code"": ""PT"", ""deductionType"": ""PerformancePercentage"", ""value"": 10, ""unitValue"": 2.20, ""totalValue"": 22.00 } ],
        ""fees"": [ { ""name"": ""Handling"", ""unitValue"": 0.50, ""totalValue"": 5.00, ""isTaxable"": true } ] }";

    [Theory]
    [InlineData(CostBasis.NetBeforePerformanceTier, "20.40")]
    [InlineData(CostBasis.Net, "18.20")]
    [InlineData(CostBasis.List, "22.00")]
    public void Unit_cost_follows_the_cost_basis_to_the_cent(CostBasis basis, string expected)
    {
        var charge = CumulusJson.Deserialize<PayableCharge>(ChargeWithEverything)!;

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ChargeCost.UnitCost(charge, basis));
    }

    [Fact]
    public void Default_cost_basis_is_net_before_performance_tier()
    {
        Assert.Equal(CostBasis.NetBeforePerformanceTier, default(CostBasis));
    }

    [Fact]
    public void Several_performance_deductions_are_all_added_back_and_promotions_are_not()
    {
        // 100.00 - 7.50 (promo money) - 3.33 - 1.67 (two tier deductions) = 87.50; + 3.33 + 1.67 = 92.50.
        var charge = new PayableCharge
        {
            ListPrice = 100.00m,
            NetPrice = 87.50m,
            Deductions = new[]
            {
                new ChargeDeduction { DeductionType = DeductionType.PromotionalMoney, UnitValue = 7.50m },
                new ChargeDeduction { DeductionType = DeductionType.PerformancePercentage, UnitValue = 3.33m },
                new ChargeDeduction { DeductionType = DeductionType.PerformancePercentage, UnitValue = 1.67m },
            },
        };

        Assert.Equal(92.50m, ChargeCost.UnitCost(charge, CostBasis.NetBeforePerformanceTier));
    }

    [Fact]
    public void A_prorated_line_still_gives_the_whole_cycle_unit_cost()
    {
        // +5 seats on March 17 of a 31-day period: 15/31 of 19.80 = 9.58 prorated, but the unit cost stays 19.80 + 2.20.
        var charge = new PayableCharge
        {
            ListPrice = 22.00m,
            NetPrice = 19.80m,
            NetPriceProrated = 9.58m,
            Quantity = 5m,
            Deductions = new[] { new ChargeDeduction { DeductionType = DeductionType.PerformancePercentage, UnitValue = 2.20m } },
        };

        Assert.Equal(22.00m, ChargeCost.UnitCost(charge, CostBasis.NetBeforePerformanceTier));
        Assert.Equal(19.80m, ChargeCost.UnitCost(charge, CostBasis.Net));
    }

    [Theory]
    // +2 seats for 11 of 30 days: net 19.80 x 11/30 = 7.26 prorated. Net: 2 x 7.26 = 14.52 (Sherweb's subtotal);
    // before performance tier: 2 x 22.00 x 7.26 / 19.80 = 16.1333 -> 16.13; list: 2 x 22.00 x 7.26 / 19.80, the same 16.13.
    [InlineData(CostBasis.Net, "14.52")]
    [InlineData(CostBasis.NetBeforePerformanceTier, "16.13")]
    [InlineData(CostBasis.List, "16.13")]
    public void The_period_cost_is_prorated_as_Sherweb_prorates_the_net_price(CostBasis basis, string expected)
    {
        var charge = new PayableCharge
        {
            ListPrice = 22.00m, NetPrice = 19.80m, NetPriceProrated = 7.26m, Quantity = 2m, SubTotal = 14.52m,
            Deductions = new[] { new ChargeDeduction { DeductionType = DeductionType.PerformancePercentage, UnitValue = 2.20m } },
        };

        Assert.Equal(expected, ChargeCost.PeriodCost(charge, basis).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_credit_costs_a_negative_amount_and_a_free_line_is_not_prorated()
    {
        // -3 seats for 11 of 30 days: -3 x 22.00 x 7.26 / 19.80 = -24.20. Net price 0 (100% promotion): 1 x 0.00 = 0.00 at net,
        // and at list 1 x 10.00 = 10.00, since there is no proration to read.
        var credit = new PayableCharge
        {
            ListPrice = 22.00m, NetPrice = 19.80m, NetPriceProrated = 7.26m, Quantity = -3m,
            Deductions = new[] { new ChargeDeduction { DeductionType = DeductionType.PerformancePercentage, UnitValue = 2.20m } },
        };
        var free = new PayableCharge { ListPrice = 10.00m, NetPrice = 0m, NetPriceProrated = 0m, Quantity = 1m };

        Assert.Equal(-24.20m, ChargeCost.PeriodCost(credit, CostBasis.NetBeforePerformanceTier));
        Assert.Equal((0.00m, 10.00m), (ChargeCost.PeriodCost(free, CostBasis.Net), ChargeCost.PeriodCost(free, CostBasis.List)));
    }

    [Fact]
    public void Without_deductions_net_before_performance_tier_is_the_net_price()
    {
        var charge = new PayableCharge { ListPrice = 143.27m, NetPrice = 143.27m };

        Assert.Equal(143.27m, ChargeCost.UnitCost(charge, CostBasis.NetBeforePerformanceTier));
    }

    [Fact]
    public void Money_is_read_exactly_not_through_double()
    {
        // 0.1 + 0.2 style values: a double round trip would give 0.30000000000000004.
        var charge = CumulusJson.Deserialize<PayableCharge>(@"{ ""listPrice"": 0.3, ""netPrice"": 0.1, ""deductions"": [ { ""deductionType"": ""PerformancePercentage"", ""unitValue"": 0.2 } ] }")!;

        Assert.Equal(0.3m, ChargeCost.UnitCost(charge, CostBasis.NetBeforePerformanceTier));
        Assert.Equal(0.3m, charge.ListPrice);
    }

    [Fact]
    public void Unknown_enum_values_and_nulls_do_not_break_reading()
    {
        var charge = CumulusJson.Deserialize<PayableCharge>(@"{ ""chargeType"": ""Reservation"", ""billingCycleType"": ""monthly"",
            ""deductions"": null, ""tags"": null, ""someNewField"": { ""x"": 1 } }")!;

        Assert.Equal(ChargeType.Unknown, charge.ChargeType);
        Assert.Equal(BillingCycleType.Monthly, charge.BillingCycleType);
        Assert.Empty(charge.Deductions);
        Assert.Empty(charge.Tags);
    }
}
