using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Tests.Sync;

public sealed class SyncAdviceTests
{
    private static readonly OrganizationMapping Unmapped = new() { OrganizationId = "org-1", Name = "Contoso Ltd" };
    private static readonly OrganizationMapping Paused = new() { OrganizationId = "org-2", Name = "Fabrikam", HaloClientId = 12, SyncEnabled = false };
    private static readonly ProductMapping UnmappedProduct = new() { Sku = "MS-BP-NCE" };
    private static readonly ProductMapping MappedProduct = new() { Sku = "MS-EXO-P1", HaloItemId = 5, Source = MappingSource.Manual, SyncEnabled = true };

    [Fact]
    public void No_organization_synced_says_to_map_organizations_and_how_many_are_paused()
    {
        var advice = SyncAdvice.For(new SyncSummary(), new[] { Unmapped, Paused }, new[] { MappedProduct }, filtered: false);

        var only = Assert.Single(advice);
        Assert.StartsWith("No organization is mapped to a HaloPSA client with sync on, so nothing was synced. Map them first: Get-CumulusOrganization -Status Unmapped", only);
        Assert.EndsWith(" 1 are mapped with sync off: Set-HaloOrgMapping -Organization <name> -SyncEnabled yes turns one on.", only);
    }

    [Fact]
    public void No_organization_of_those_asked_for_says_so()
        => Assert.StartsWith("None of the organizations asked for is mapped", Assert.Single(SyncAdvice.For(new SyncSummary(), new[] { Unmapped }, new[] { MappedProduct }, filtered: true)));

    [Fact]
    public void Organizations_synced_but_no_product_mapped_says_to_map_products_with_the_counts()
    {
        var summary = new SyncSummary { Organizations = 2, SkippedUnmapped = 7 };

        var only = Assert.Single(SyncAdvice.For(summary, new[] { Unmapped }, new[] { UnmappedProduct }, filtered: false));

        Assert.StartsWith("No product is mapped to a HaloPSA item with sync on, so the 7 subscription(s) and charge(s) of the 2 mapped organization(s) were skipped.", only);
    }

    [Fact]
    public void Some_products_mapped_or_nothing_skipped_needs_no_advice()
    {
        Assert.Empty(SyncAdvice.For(new SyncSummary { Organizations = 2, SkippedUnmapped = 7 }, new[] { Unmapped }, new[] { UnmappedProduct, MappedProduct }, false));
        Assert.Empty(SyncAdvice.For(new SyncSummary { Organizations = 2 }, new[] { Unmapped }, new[] { UnmappedProduct }, false));
    }
}
