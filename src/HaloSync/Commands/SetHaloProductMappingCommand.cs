using System;
using System.Collections.Generic;
using System.Management.Automation;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Maps a Cumulus product (SKU) to a HaloPSA item, or switches its sync, one row at a time from the pipeline.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "HaloProductMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ProductMapping))]
public sealed class SetHaloProductMappingCommand : SetMappingCmdlet
{
    private static readonly string[] Keys = { nameof(Sku) };

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Cumulus SKU", "CumulusSku", "Product SKU", "Sherweb SKU")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(ProductSkuCompleter))]
    public string Sku { get; set; } = string.Empty;

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Halo Item Id", "Item Id", "ItemId")]
    [AllowEmptyString]
    [AllowNull]
    public string? HaloItemId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Halo Item", "Halo Item Name", "Item", "Item Name")]
    [AllowEmptyString]
    [AllowNull]
    [ArgumentCompleter(typeof(HaloItemNameCompleter))]
    public string? HaloItemName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Mapping Source", "MappingSource")]
    [AllowEmptyString]
    [AllowNull]
    [ArgumentCompleter(typeof(MappingSourceCompleter))]
    public string? Source { get; set; }

    protected override object? RowTarget => Sku;

    protected override IReadOnlyList<string> KeyParameters => Keys;

    protected override void ProcessRow()
    {
        var itemId = SpreadsheetValue.ParseId(HaloItemId, "Halo Item Id");
        var namesItem = itemId is not null || !string.IsNullOrWhiteSpace(HaloItemName);
        var sync = RequestedSync(namesItem);
        if (AsksForNothing(namesItem, sync, Sku, "item"))
        {
            return;
        }

        var current = KnownProduct(Sku);
        var source = SpreadsheetValue.ParseSource(Source, "Source");
        var wanted = ManualMapping.Product(current, itemId, HaloItemName, sync, namesItem ? HaloItems : Array.Empty<HaloItem>(), source);
        NoteRow(current.Sku, $"SKU '{current.Sku}'", RowChange(namesItem, wanted.HaloItemName, wanted.HaloItemId, wanted.SyncEnabled));
        var retargeted = wanted.HaloItemId != current.HaloItemId || wanted.Source != current.Source;
        Save(retargeted || wanted.SyncEnabled != current.SyncEnabled || wanted.HaloItemName != current.HaloItemName || current.Error is not null,
            current.Sku, $"Cumulus product {current.Sku} ({current.ProductName})", (current.Status, current.HaloItemName, current.HaloItemId),
            Describe(retargeted, "item", wanted.HaloItemName, wanted.HaloItemId, wanted.SyncEnabled),
            () => Mappings.SaveProduct(wanted, DateTimeOffset.UtcNow), () => Mappings.FindProduct(current.Sku));
    }
}
