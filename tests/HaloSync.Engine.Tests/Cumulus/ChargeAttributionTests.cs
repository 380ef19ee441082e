using System;
using HaloSync.Engine.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

public class ChargeAttributionTests
{
    private static readonly CumulusCustomer Contoso = new() { Id = new Guid("3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0001"), DisplayName = "Contoso Ltd" };
    private static readonly CumulusCustomer Fabrikam = new() { Id = new Guid("3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0002"), DisplayName = "Fabrikam, Inc." };
    private static readonly CumulusCustomer FabrikamTwin = new() { Id = new Guid("3f0c6a55-0a3c-4a43-9a8f-2d1c5b7e0009"), DisplayName = "FABRIKAM, INC." };

    private static PayableCharge Tagged(params (string Name, string Value)[] tags) =>
        new() { Tags = Array.ConvertAll(tags, t => new ChargeTag { Name = t.Name, Value = t.Value }) };

    [Fact]
    public void The_customer_id_tag_wins_over_the_display_name()
    {
        var charge = Tagged(("CustomerDisplayName", "Contoso Ltd"), ("CustomerId", Fabrikam.Id.ToString()));

        var attribution = ChargeAttribution.Attribute(charge, new[] { Contoso, Fabrikam });

        Assert.Same(Fabrikam, attribution.Customer);
        Assert.Equal(AttributionMethod.CustomerIdTag, attribution.Method);
    }

    [Fact]
    public void Without_an_id_tag_a_unique_display_name_attributes_the_charge_ignoring_case_and_spaces()
    {
        var attribution = ChargeAttribution.Attribute(Tagged(("customerdisplayname", "  contoso ltd ")), new[] { Contoso, Fabrikam });

        Assert.Same(Contoso, attribution.Customer);
        Assert.Equal(AttributionMethod.DisplayNameTag, attribution.Method);
    }

    [Fact]
    public void An_id_tag_naming_no_known_customer_falls_back_to_the_display_name()
    {
        var charge = Tagged(("CustomerDisplayName", "Contoso Ltd"), ("CustomerId", Guid.NewGuid().ToString()));

        Assert.Same(Contoso, ChargeAttribution.Attribute(charge, new[] { Contoso }).Customer);
    }

    [Fact]
    public void Two_customers_with_the_same_name_leave_the_charge_unattributed()
    {
        var attribution = ChargeAttribution.Attribute(Tagged(("CustomerDisplayName", "Fabrikam, Inc.")), new[] { Contoso, Fabrikam, FabrikamTwin });

        Assert.False(attribution.IsAttributed);
        Assert.Equal(AttributionMethod.AmbiguousDisplayName, attribution.Method);
        Assert.Equal("Fabrikam, Inc.", attribution.TaggedDisplayName);
    }

    [Fact]
    public void A_charge_without_customer_tags_or_with_an_unknown_name_is_unattributed()
    {
        Assert.Equal(AttributionMethod.Unattributed, ChargeAttribution.Attribute(Tagged(), new[] { Contoso }).Method);
        Assert.Equal(AttributionMethod.Unattributed, ChargeAttribution.Attribute(Tagged(("CustomerDisplayName", "Tailspin")), new[] { Contoso }).Method);
    }

    [Fact]
    public void The_id_tag_name_can_be_changed()
    {
        var charge = Tagged(("SherwebCustomerId", Contoso.Id.ToString()));

        Assert.Same(Contoso, ChargeAttribution.Attribute(charge, new[] { Contoso, Fabrikam }, "SherwebCustomerId").Customer);
        Assert.False(ChargeAttribution.Attribute(charge, new[] { Contoso, Fabrikam }).IsAttributed);
    }
}
