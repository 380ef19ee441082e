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
        var sync = RequestedSync();
        if (ListedWithoutMapping && !namesItem && sync is null)
        {
            WriteVerbose($"Row {Row}: {Sku} is listed without a mapping and the row names no item: nothing to change.");
            return;
        }

        var current = KnownProduct(Sku);
        var source = SpreadsheetValue.ParseSource(Source, "Source");
        var wanted = ManualMapping.Product(current, itemId, HaloItemName, sync, namesItem ? HaloItems : Array.Empty<HaloItem>(), source);
        NoteRow(current.Sku, $"SKU '{current.Sku}'",
            namesItem ? $"maps it to '{wanted.HaloItemName}' (id {wanted.HaloItemId})" : $"sets its sync {(wanted.SyncEnabled ? "on" : "off")}");
        if (wanted.HaloItemId == current.HaloItemId && wanted.Source == current.Source && wanted.SyncEnabled == current.SyncEnabled
            && wanted.HaloItemName == current.HaloItemName && current.Error is null)
        {
            WriteVerbose($"{current.Sku}: already {current.Status}{(current.HaloItemId is null ? string.Empty : $" to '{current.HaloItemName}' (id {current.HaloItemId})")}; nothing changed.");
        }
        else if (ShouldProcess($"Cumulus product {current.Sku} ({current.ProductName})",
                     Describe(wanted.HaloItemId != current.HaloItemId || wanted.Source != current.Source, "item", wanted.HaloItemName, wanted.HaloItemId, wanted.SyncEnabled)))
        {
            Mappings.SaveProduct(wanted, DateTimeOffset.UtcNow);
        }
        else
        {
            return;
        }

        if (PassThru)
        {
            WriteObject(Mappings.FindProduct(current.Sku));
        }
    }
}
