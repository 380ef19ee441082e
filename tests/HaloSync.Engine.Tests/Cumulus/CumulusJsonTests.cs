using HaloSync.Engine.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

public sealed class CumulusJsonTests
{
    [Theory]
    [InlineData("\"Yearly\"", SubscriptionBillingCycle.Yearly)]
    [InlineData("\"yearly\"", SubscriptionBillingCycle.Yearly)]
    [InlineData("\" MONTHLY \"", SubscriptionBillingCycle.Monthly)]
    [InlineData("\"quarterly\"", SubscriptionBillingCycle.Unknown)]
    [InlineData("\"\"", SubscriptionBillingCycle.Unknown)]
    [InlineData("4", SubscriptionBillingCycle.Unknown)]
    public void Enum_names_are_read_case_insensitively_and_unknown_ones_as_Unknown(string json, SubscriptionBillingCycle expected)
    {
        var pricing = CumulusJson.Deserialize<SubscriptionPricingInformation>($"{{ \"billingCycle\": {json} }}")!;

        Assert.Equal(expected, pricing.BillingCycle);
    }

    [Fact]
    public void Each_enum_type_gets_the_tolerant_reader_from_its_contract_not_from_a_converter_list()
    {
        // A converter in the settings' list is asked about every value of every answer; on a contract it costs nothing per value.
        Assert.Empty(CumulusJson.Settings.Converters);
        foreach (var enumType in new[] { typeof(SubscriptionBillingCycle), typeof(CommitmentTermType), typeof(ChargeType), typeof(BillingCycleType), typeof(DeductionType) })
        {
            Assert.IsType<TolerantEnumConverter>(CumulusJson.Settings.ContractResolver!.ResolveContract(enumType).Converter);
        }

        Assert.Null(CumulusJson.Settings.ContractResolver!.ResolveContract(typeof(string)).Converter);
    }
}
