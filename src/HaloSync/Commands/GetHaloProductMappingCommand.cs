using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists product mappings (the Cumulus SKUs mapped to a HaloPSA item) from the state database.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HaloProductMapping")]
[OutputType(typeof(ProductMapping))]
public sealed class GetHaloProductMappingCommand : HaloSyncCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Cumulus SKU", "CumulusSku", "Product SKU", "Sherweb SKU")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProductSkuCompleter))]
    public string[]? Sku { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProductNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public ProductMappingStatus[]? Status { get; set; }

    /// <summary>What is listed without -Status: products with an item, so an export restores exactly the mappings.</summary>
    internal static readonly ProductMappingStatus[] Mappings = { ProductMappingStatus.Mapped, ProductMappingStatus.AutoMapped, ProductMappingStatus.Disabled };

    protected override void ProcessRecord()
    {
        var skus = new WildcardFilter(Sku);
        var names = new WildcardFilter(Name);
        var statuses = Status ?? Mappings;
        var products = WithExistingState(store => new MappingRepository(store).GetProducts())
            .Where(p => skus.Matches(p.Sku) && names.Matches(p.ProductName) && statuses.Contains(p.Status));
        WriteObject(products, enumerateCollection: true);
    }
}
