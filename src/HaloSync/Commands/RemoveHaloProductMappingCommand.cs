using System;
using System.Collections.Generic;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Unmaps Cumulus products: they keep being listed but are no longer synced.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "HaloProductMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ProductMapping))]
public sealed class RemoveHaloProductMappingCommand : SpreadsheetCmdlet
{
    private static readonly string[] Keys = { nameof(Sku) };

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Cumulus SKU", "CumulusSku", "Product SKU", "Sherweb SKU")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(ProductSkuCompleter))]
    public string Sku { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? RowTarget => Sku;

    protected override IReadOnlyList<string> KeyParameters => Keys;

    protected override void ProcessRow()
    {
        var product = Mappings.FindKnownProduct(Sku);
        var subject = $"Cumulus product {product.Sku} ({product.ProductName})";
        if (product.HaloItemId is null && product.Error is null)
        {
            WriteVerbose($"{subject}: not mapped; nothing changed.");
        }
        else if (ShouldProcess(subject, product.HaloItemId is null ? "Clear the automatic mapping error" : $"Remove the mapping to '{product.HaloItemName}'"))
        {
            product.HaloItemId = null;
            product.HaloItemName = null;
            product.Source = null;
            product.SyncEnabled = false;
            product.Error = null;
            Mappings.SaveProduct(product, DateTimeOffset.UtcNow);
        }
        else
        {
            return;
        }

        if (PassThru)
        {
            WriteObject(Mappings.FindProduct(product.Sku));
        }
    }
}
