using System;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Maps a Cumulus product (SKU) to a HaloPSA item, or switches its sync, one row at a time from the pipeline.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "HaloProductMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ProductMapping))]
public sealed class SetHaloProductMappingCommand : SetMappingCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
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

    protected override object? RowTarget => Sku;

    protected override void ProcessRow()
    {
        var current = Mappings.FindKnownProduct(Sku);
        var itemId = SpreadsheetValue.ParseId(HaloItemId, "Halo Item Id");
        var sync = SpreadsheetValue.ParseSwitch(SyncEnabled, "Enable Sync");
        var wanted = ManualMapping.Product(current, itemId, HaloItemName, sync, itemId is null && string.IsNullOrWhiteSpace(HaloItemName) ? Array.Empty<Engine.HaloPsa.HaloItem>() : HaloItems);
        var action = Describe(wanted.HaloItemId != current.HaloItemId || wanted.Source != current.Source, "item", wanted.HaloItemName, wanted.HaloItemId, wanted.SyncEnabled);
        if (ShouldProcess($"Cumulus product {current.Sku} ({current.ProductName})", action))
        {
            Mappings.SaveProduct(wanted, DateTimeOffset.UtcNow);
            if (PassThru)
            {
                WriteObject(Mappings.FindProduct(current.Sku));
            }
        }
    }
}
