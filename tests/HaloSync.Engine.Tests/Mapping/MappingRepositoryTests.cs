using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;
using HaloSync.Engine.Tests.State;

namespace HaloSync.Engine.Tests.Mapping;

public sealed class MappingRepositoryTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly TempStateFolder folder = new();
    private readonly StateStore store;
    private readonly MappingRepository mappings;

    public MappingRepositoryTests()
    {
        store = StateStore.Open(folder.DatabasePath);
        mappings = new MappingRepository(store);
    }

    public void Dispose()
    {
        store.Dispose();
        folder.Dispose();
    }

    [Fact]
    public void A_seen_product_starts_unmapped_and_keeps_its_mapping_when_seen_again()
    {
        mappings.RecordSeenProducts(new[] { Pair(" M365-BP ", "Microsoft 365 Business Premium") }, Monday);
        Assert.Equal(ProductMappingStatus.Unmapped, mappings.FindProduct("m365-bp")!.Status);

        var product = mappings.FindProduct("M365-BP")!;
        product.HaloItemId = 42;
        product.HaloItemName = "M365 Business Premium";
        product.Source = MappingSource.Manual;
        product.SyncEnabled = true;
        mappings.SaveProduct(product, Monday);
        mappings.RecordSeenProducts(new[] { Pair("M365-BP", "Microsoft 365 Business Premium (NCE)") }, Monday.AddDays(30));

        var again = mappings.FindProduct("M365-BP")!;
        Assert.Equal(ProductMappingStatus.Mapped, again.Status);
        Assert.Equal(42, again.HaloItemId);
        Assert.Equal("Microsoft 365 Business Premium (NCE)", again.ProductName);
        Assert.Equal(Monday, again.FirstSeen);
        Assert.Equal(Monday.AddDays(30), again.LastSeen);
    }

    [Theory]
    [InlineData(null, null, false, null, ProductMappingStatus.Unmapped)]
    [InlineData(null, null, false, "two candidate items", ProductMappingStatus.Error)]
    [InlineData(7, MappingSource.Manual, true, null, ProductMappingStatus.Mapped)]
    [InlineData(7, MappingSource.Automatic, true, null, ProductMappingStatus.AutoMapped)]
    [InlineData(7, MappingSource.Manual, false, null, ProductMappingStatus.Disabled)]
    [InlineData(7, MappingSource.Automatic, false, null, ProductMappingStatus.Disabled)]
    public void Product_status_follows_the_seed(int? item, MappingSource? source, bool sync, string? error, ProductMappingStatus expected)
    {
        mappings.RecordSeenProducts(new[] { Pair("SKU-1", "Product") }, Monday);
        mappings.SaveProduct(new ProductMapping { Sku = "SKU-1", HaloItemId = item, Source = source, SyncEnabled = sync, Error = error }, Monday);

        Assert.Equal(expected, mappings.FindProduct("SKU-1")!.Status);
    }

    [Fact]
    public void Statuses_sort_unmapped_mapped_automapped_disabled_error()
        => Assert.Equal(
            new[] { ProductMappingStatus.Unmapped, ProductMappingStatus.Mapped, ProductMappingStatus.AutoMapped, ProductMappingStatus.Disabled, ProductMappingStatus.Error },
            Enum.GetValues(typeof(ProductMappingStatus)).Cast<ProductMappingStatus>().OrderBy(s => s).ToArray());

    [Fact]
    public void Saving_an_unknown_product_is_an_error_that_says_how_to_list_them()
    {
        var error = Assert.Throws<HaloSyncException>(() => mappings.SaveProduct(new ProductMapping { Sku = "NOPE", HaloItemId = 1 }, Monday));

        Assert.Equal("ProductNotFound", error.ErrorId);
        Assert.Contains("Get-CumulusProduct", error.Message);
    }

    [Theory]
    [InlineData(true, "No Cumulus product has the SKU 'MS-VISO-P2': Sherweb bills it to no customer this period, and HaloSync has not seen it before. Similar: 'MS-VISIO-P2' (Visio Plan 2).")]
    [InlineData(false, "No Cumulus product with SKU 'MS-VISO-P2' has been seen, and this session is not connected to Sherweb to look it up. Run Connect-Cumulus first: unknown SKUs are then looked up in Sherweb. Similar: 'MS-VISIO-P2' (Visio Plan 2).")]
    [InlineData(null, "No Cumulus product with SKU 'MS-VISO-P2' has been seen. Similar: 'MS-VISIO-P2' (Visio Plan 2).")]
    public void An_unknown_SKU_names_the_nearest_known_SKUs_and_whether_Sherweb_was_asked(bool? lookedUp, string message)
    {
        mappings.RecordSeenProducts(new[] { Pair("MS-VISIO-P2", "Visio Plan 2"), Pair("ACRONIS-CP", "Acronis Cyber Protect") }, Monday);

        var error = Assert.Throws<HaloSyncException>(() => mappings.FindKnownProduct(" MS-VISO-P2 ", lookedUp));

        Assert.Equal("ProductNotFound", error.ErrorId);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Organizations_go_from_unmapped_to_mapped_to_disabled()
    {
        mappings.RecordSeenOrganizations(new[] { Pair("org-1", "Contoso Ltd") }, Monday);
        var organization = mappings.FindOrganization("org-1")!;
        Assert.Equal(OrganizationMappingStatus.Unmapped, organization.Status);

        organization.HaloClientId = 12;
        organization.HaloClientName = "Contoso";
        organization.SyncEnabled = true;
        mappings.SaveOrganization(organization, Monday);
        Assert.Equal(OrganizationMappingStatus.Mapped, mappings.FindOrganization("org-1")!.Status);
        organization.FirstSyncedOn = new DateTime(2026, 11, 23);
        mappings.SaveOrganization(organization, Monday);
        Assert.Equal(new DateTime(2026, 11, 23), mappings.FindOrganization("org-1")!.FirstSyncedOn);

        organization.SyncEnabled = false;
        mappings.SaveOrganization(organization, Monday);
        Assert.Equal(OrganizationMappingStatus.Disabled, mappings.GetOrganizations().Single().Status);
        Assert.Equal(new DateTime(2026, 11, 23), mappings.FindOrganization("org-1")!.FirstSyncedOn);
    }

    [Fact]
    public void Mapping_an_organization_to_another_client_clears_its_first_sync_date()
    {
        mappings.RecordSeenOrganizations(new[] { Pair("org-1", "Contoso Ltd") }, Monday);
        var organization = mappings.FindOrganization("org-1")!;
        (organization.HaloClientId, organization.SyncEnabled) = (12, true);
        mappings.SaveOrganization(organization, Monday);
        organization.FirstSyncedOn = new DateTime(2026, 11, 23);
        mappings.SaveOrganization(organization, Monday);

        organization.HaloClientId = 14;
        mappings.SaveOrganization(organization, Monday);

        Assert.Null(mappings.FindOrganization("org-1")!.FirstSyncedOn);
    }

    [Fact]
    public void Per_charge_switches_are_kept_per_organization()
    {
        mappings.SetChargeSync("org-1", "sub-a", false, Monday);
        mappings.SetChargeSync("org-1", "sub-b", false, Monday);
        mappings.SetChargeSync("org-1", "sub-b", true, Monday);
        mappings.SetChargeSync("org-2", "sub-a", true, Monday);

        Assert.Equal(new Dictionary<string, bool> { ["sub-a"] = false, ["sub-b"] = true }, mappings.GetChargeSyncFlags("org-1"));
        Assert.Equal(new Dictionary<string, bool> { ["sub-a"] = true }, mappings.GetChargeSyncFlags("org-2"));
    }

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);
}
