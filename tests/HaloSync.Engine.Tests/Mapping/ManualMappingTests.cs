using System;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Tests.Mapping;

public sealed class ManualMappingTests
{
    private static readonly HaloItem[] Items = { new() { Id = 7, Name = "M365 BP" }, new() { Id = 8, Name = "Visio Plan 2" } };

    [Fact]
    public void Naming_the_item_an_automatic_mapping_already_has_keeps_it_automatic()
    {
        var auto = Product(7, MappingSource.Automatic, sync: true);

        var again = ManualMapping.Product(auto, 7, "M365 BP", null, Items);

        Assert.Equal((7, MappingSource.Automatic, true), (again.HaloItemId, again.Source!.Value, again.SyncEnabled));
        Assert.Equal(ProductMappingStatus.AutoMapped, again.Status);
    }

    [Fact]
    public void Naming_another_item_makes_a_manual_mapping_with_sync_on()
    {
        var again = ManualMapping.Product(Product(7, MappingSource.Automatic, sync: false), null, "Visio Plan 2", null, Items);

        Assert.Equal((8, MappingSource.Manual, true), (again.HaloItemId, again.Source!.Value, again.SyncEnabled));
    }

    [Fact]
    public void A_source_given_is_kept_as_given()
    {
        var restored = ManualMapping.Product(Product(null, null, sync: false), 7, null, false, Items, MappingSource.Automatic);

        Assert.Equal((7, MappingSource.Automatic, false), (restored.HaloItemId, restored.Source!.Value, restored.SyncEnabled));
        Assert.Equal(ProductMappingStatus.Disabled, restored.Status);
    }

    /// <summary>
    /// An exported sheet edited to another item still says Source "Automatic": kept so, the next automatic mapping set the
    /// item back and the old item was billed. Another item than the mapped one is a manual mapping.
    /// </summary>
    [Fact]
    public void An_exported_row_edited_to_another_item_becomes_manual_whatever_its_source_column_says()
    {
        var edited = ManualMapping.Product(Product(7, MappingSource.Automatic, sync: true), 8, null, true, Items, MappingSource.Automatic);
        var unchanged = ManualMapping.Product(Product(7, MappingSource.Automatic, sync: true), 7, null, true, Items, MappingSource.Automatic);

        Assert.Equal((8, MappingSource.Manual, ProductMappingStatus.Mapped), (edited.HaloItemId, edited.Source!.Value, edited.Status));
        Assert.Equal((7, MappingSource.Automatic), (unchanged.HaloItemId, unchanged.Source!.Value));
    }

    [Fact]
    public void Mapping_a_product_in_error_clears_the_error_and_is_manual()
    {
        var error = Product(null, null, sync: false);
        error.Error = "2 HaloPSA items have the supplier SKU";

        var mapped = ManualMapping.Product(error, 8, null, null, Items);

        Assert.Null(mapped.Error);
        Assert.Equal(ProductMappingStatus.Mapped, mapped.Status);
    }

    private static ProductMapping Product(int? item, MappingSource? source, bool sync)
        => new() { Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", HaloItemId = item, HaloItemName = Array.Find(Items, i => i.Id == item)?.Name, Source = source, SyncEnabled = sync };
}
