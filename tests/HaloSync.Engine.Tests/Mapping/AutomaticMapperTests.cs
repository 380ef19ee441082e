using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Tests.Mapping;

public sealed class AutomaticMapperTests
{
    private static ProductMapping Unmapped(string sku) => new() { Sku = sku, ProductName = sku };

    private static HaloItem Item(int id, string name, string? partCode = null, params string[] supplierSkus)
        => new()
        {
            Id = id,
            Name = name,
            SupplierPartCode = partCode,
            ItemSuppliers = supplierSkus.Select(s => new HaloItemSupplier { SupplierSku = s }).ToList(),
        };

    [Fact]
    public void The_SKU_matches_a_part_code_or_a_supplier_line_trimmed_and_case_insensitively()
    {
        var items = new[] { Item(1, "Premium", " ms-bp-nce "), Item(2, "Exchange", null, "OTHER", "MS-EXO-P1 ") };

        var results = AutomaticMapper.Map(new[] { Unmapped("MS-BP-NCE"), Unmapped(" ms-exo-p1") }, items);

        Assert.Equal((AutoMappingOutcome.Mapped, (int?)1), (results[0].Outcome, results[0].HaloItemId));
        Assert.Equal((AutoMappingOutcome.Mapped, (int?)2), (results[1].Outcome, results[1].HaloItemId));
        Assert.Equal(ProductMappingStatus.AutoMapped, results[0].Product.Status);
        Assert.True(results[0].Product.SyncEnabled);
    }

    [Fact]
    public void Two_candidates_are_an_error_naming_both_and_nothing_is_mapped()
    {
        var items = new[] { Item(7, "Teams", "TEAMS"), Item(3, "Teams (legacy)", null, "teams") };

        var result = AutomaticMapper.Map(new[] { Unmapped("TEAMS") }, items).Single();

        Assert.Equal(AutoMappingOutcome.Ambiguous, result.Outcome);
        Assert.Equal(ProductMappingStatus.Error, result.Product.Status);
        Assert.Null(result.Product.HaloItemId);
        Assert.Contains("'Teams (legacy)' (id 3) and 'Teams' (id 7)", result.Message);
        Assert.True(result.Changed);
    }

    [Fact]
    public void An_item_carrying_the_SKU_twice_is_one_candidate()
    {
        var result = AutomaticMapper.Map(new[] { Unmapped("X") }, new[] { Item(5, "X item", "X", "x") }).Single();

        Assert.Equal(AutoMappingOutcome.Mapped, result.Outcome);
    }

    [Fact]
    public void A_manual_mapping_is_never_overwritten()
    {
        var manual = new ProductMapping { Sku = "X", HaloItemId = 9, HaloItemName = "Chosen", Source = MappingSource.Manual, SyncEnabled = true };

        var result = AutomaticMapper.Map(new[] { manual }, new[] { Item(5, "Other", "X") }).Single();

        Assert.Equal(AutoMappingOutcome.ManualKept, result.Outcome);
        Assert.False(result.Changed);
        Assert.Equal(9, manual.HaloItemId);
    }

    [Fact]
    public void Re_running_keeps_an_automatic_mapping_and_its_sync_switch()
    {
        var auto = new ProductMapping { Sku = "X", HaloItemId = 5, HaloItemName = "X item", Source = MappingSource.Automatic, SyncEnabled = false };

        var result = AutomaticMapper.Map(new[] { auto }, new[] { Item(5, "X item", "X") }).Single();

        Assert.Equal(AutoMappingOutcome.Unchanged, result.Outcome);
        Assert.False(result.Changed);
        Assert.Equal(ProductMappingStatus.Disabled, auto.Status);
    }

    /// <summary>
    /// A second item gets the SKU of a product already billing through the first: un-mapping it would freeze its lines
    /// (no change or cancellation billed), so it stays mapped, with its sync switch, and the tie is reported.
    /// </summary>
    [Fact]
    public void A_second_item_with_the_SKU_of_a_product_already_mapped_automatically_leaves_the_mapping_as_it_is()
    {
        var billing = new ProductMapping { Sku = "X", HaloItemId = 5, HaloItemName = "X item", Source = MappingSource.Automatic, SyncEnabled = false };

        var result = AutomaticMapper.Map(new[] { billing }, new[] { Item(5, "X item", "X"), Item(9, "X copy", null, "x") }).Single();

        Assert.Equal((AutoMappingOutcome.Ambiguous, false, (int?)5), (result.Outcome, result.Changed, result.HaloItemId));
        Assert.Same(billing, result.Product);
        Assert.Equal((5, false, (string?)null), (billing.HaloItemId!.Value, billing.SyncEnabled, billing.Error));
        Assert.Equal("2 HaloPSA items have the supplier SKU 'X': 'X item' (id 5) and 'X copy' (id 9). The product stays mapped to 'X item' (id 5), which " +
                     "bills it; remove the SKU from the other item(s), or map the product by hand with Set-HaloProductMapping.", result.Message);
    }

    [Fact]
    public void A_product_in_error_is_mapped_once_the_tie_is_resolved()
    {
        var inError = new ProductMapping { Sku = "X", Error = "two items" };

        var result = AutomaticMapper.Map(new[] { inError }, new[] { Item(5, "X item", "X") }).Single();

        Assert.Equal(AutoMappingOutcome.Mapped, result.Outcome);
        Assert.Null(result.Product.Error);
        Assert.Equal(ProductMappingStatus.AutoMapped, result.Product.Status);
    }

    [Fact]
    public void No_match_changes_nothing()
    {
        var result = AutomaticMapper.Map(new[] { Unmapped("X") }, new List<HaloItem> { Item(5, "Y", "Y") }).Single();

        Assert.Equal(AutoMappingOutcome.NoMatch, result.Outcome);
        Assert.False(result.Changed);
        Assert.Contains("Set-HaloProductMapping", result.Message);
        Assert.DoesNotContain("item_suppliers", result.Message);
    }

    [Fact]
    public void No_match_from_an_item_list_without_supplier_lines_says_only_part_codes_were_compared()
    {
        // A tenant that fills item_suppliers only when an item is read on its own lists items without them.
        var items = new List<HaloItem> { new() { Id = 5, Name = "Y", SupplierPartCode = "Y" }, new() { Id = 6, Name = "Z" } };

        var result = AutomaticMapper.Map(new[] { Unmapped("X"), Unmapped("y") }, items);

        Assert.Equal((AutoMappingOutcome.NoMatch, AutoMappingOutcome.Mapped), (result[0].Outcome, result[1].Outcome));
        Assert.EndsWith("HaloPSA's item list gave no supplier lines (item_suppliers), so only each item's supplier part code was compared.", result[0].Message);
    }

    [Fact]
    public void Mapping_changes_copies_and_never_the_products_it_was_given()
    {
        var unmapped = Unmapped("X");
        var tied = new ProductMapping { Sku = "Y", ProductName = "Y", Source = MappingSource.Automatic, SyncEnabled = true, Error = "An earlier tie." };

        var results = AutomaticMapper.Map(new[] { unmapped, tied }, new[] { Item(5, "X item", "X"), Item(6, "Y one", "Y"), Item(7, "Y two", "Y") });

        Assert.Equal((null, null, false), (unmapped.HaloItemId, unmapped.Source, unmapped.SyncEnabled));
        Assert.Equal(((int?)null, MappingSource.Automatic, "An earlier tie.", true), (tied.HaloItemId, tied.Source, tied.Error, tied.SyncEnabled));
        Assert.Equal((5, ProductMappingStatus.AutoMapped), (results[0].Product.HaloItemId, results[0].Product.Status));
        Assert.Equal(ProductMappingStatus.Error, results[1].Product.Status);
        Assert.NotSame(unmapped, results[0].Product);
    }
}
