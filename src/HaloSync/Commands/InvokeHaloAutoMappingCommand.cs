using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Maps every unmapped Cumulus product to the HaloPSA item whose supplier SKU equals its SKU.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "HaloAutoMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(AutoMappingResult))]
public sealed class InvokeHaloAutoMappingCommand : MappingCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProductSkuCompleter))]
    public string[]? Sku { get; set; }

    [Parameter]
    public SwitchParameter Refresh { get; set; }

    protected override object? RowTarget => null;

    protected override void BeginProcessing() => RefreshCatalog = Refresh;

    protected override void ProcessRow()
    {
        var skus = new WildcardFilter(Sku);
        var products = Mappings.GetProducts().Where(p => skus.Matches(p.Sku)).ToList();
        foreach (var result in AutomaticMapper.Map(products, HaloItems.ToList()))
        {
            if (result.Changed && ShouldProcess($"Cumulus product {result.Sku} ({result.ProductName})", result.Message))
            {
                Mappings.SaveProduct(result.Product, DateTimeOffset.UtcNow);
            }

            WriteObject(result);
        }
    }
}
