using System;
using HaloSync.Engine.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

public class ChargeIdentityTests
{
    private const string Customer = "3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0001";

    private static PayableCharge Usage(Guid? chargeId = null) => new()
    {
        ChargeId = chargeId,
        Sku = "MS-AZURE-PLAN",
        ChargeName = "Consumption",
        ChargeType = ChargeType.Usage,
        BillingCycleType = BillingCycleType.Monthly,
        PeriodFrom = new DateTime(2026, 2, 1),
        PeriodTo = new DateTime(2026, 2, 28),
        Quantity = 1m,
    };

    [Fact]
    public void A_charge_id_is_the_identity()
    {
        var id = new Guid("0f8fad5b-d9cb-469f-a165-70867728950e");

        Assert.Equal("chg-0f8fad5b-d9cb-469f-a165-70867728950e", ChargeIdentity.Of(Usage(id), Customer).Key);
        Assert.Equal(ChargeIdentity.Of(Usage(id), Customer), ChargeIdentity.Of(Usage(id), "another customer"));
    }

    [Fact]
    public void Without_a_charge_id_the_same_charge_gets_the_same_key_on_every_read()
    {
        var first = ChargeIdentity.Of(Usage(), Customer);
        var second = ChargeIdentity.Of(Usage(), " " + Customer.ToUpperInvariant() + " ");

        Assert.Equal(first, second);
        Assert.StartsWith("chg-h", first.Key);
        Assert.Equal(37, first.Key.Length);
    }

    [Fact]
    public void Without_a_charge_id_every_part_of_the_identity_counts()
    {
        var baseline = ChargeIdentity.Of(Usage(), Customer);
        var variants = new[]
        {
            ChargeIdentity.Of(Usage(), "3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0002"),
            ChargeIdentity.Of(Copy(c => new PayableCharge { Sku = "MS-AZURE-RI", ChargeName = c.ChargeName, ChargeType = c.ChargeType, BillingCycleType = c.BillingCycleType, PeriodFrom = c.PeriodFrom, PeriodTo = c.PeriodTo }), Customer),
            ChargeIdentity.Of(Copy(c => new PayableCharge { Sku = c.Sku, ChargeName = "Consumption (adjustment)", ChargeType = c.ChargeType, BillingCycleType = c.BillingCycleType, PeriodFrom = c.PeriodFrom, PeriodTo = c.PeriodTo }), Customer),
            ChargeIdentity.Of(Copy(c => new PayableCharge { Sku = c.Sku, ChargeName = c.ChargeName, ChargeType = ChargeType.Setup, BillingCycleType = c.BillingCycleType, PeriodFrom = c.PeriodFrom, PeriodTo = c.PeriodTo }), Customer),
            ChargeIdentity.Of(Copy(c => new PayableCharge { Sku = c.Sku, ChargeName = c.ChargeName, ChargeType = c.ChargeType, BillingCycleType = BillingCycleType.OneTime, PeriodFrom = c.PeriodFrom, PeriodTo = c.PeriodTo }), Customer),
            ChargeIdentity.Of(Copy(c => new PayableCharge { Sku = c.Sku, ChargeName = c.ChargeName, ChargeType = c.ChargeType, BillingCycleType = c.BillingCycleType, PeriodFrom = c.PeriodFrom.AddMonths(1), PeriodTo = c.PeriodTo }), Customer),
            ChargeIdentity.Of(Copy(c => new PayableCharge { Sku = c.Sku, ChargeName = c.ChargeName, ChargeType = c.ChargeType, BillingCycleType = c.BillingCycleType, PeriodFrom = c.PeriodFrom, PeriodTo = c.PeriodTo.AddDays(-1) }), Customer),
        };

        Assert.All(variants, v => Assert.NotEqual(baseline, v));
        Assert.Equal(variants.Length, new System.Collections.Generic.HashSet<ChargeIdentity>(variants).Count);
    }

    [Fact]
    public void Quantity_and_price_are_not_part_of_the_identity()
    {
        var corrected = Copy(c => new PayableCharge { Sku = c.Sku, ChargeName = c.ChargeName, ChargeType = c.ChargeType, BillingCycleType = c.BillingCycleType, PeriodFrom = c.PeriodFrom, PeriodTo = c.PeriodTo, Quantity = 3m, NetPrice = 9m });

        Assert.Equal(ChargeIdentity.Of(Usage(), Customer), ChargeIdentity.Of(corrected, Customer));
    }

    private static PayableCharge Copy(Func<PayableCharge, PayableCharge> change) => change(Usage());
}
