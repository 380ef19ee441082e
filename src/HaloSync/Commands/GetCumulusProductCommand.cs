using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists the Cumulus products (every SKU seen) with their HaloPSA mapping status.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CumulusProduct")]
[OutputType(typeof(ProductMapping))]
public sealed class GetCumulusProductCommand : HaloSyncCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProductNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProductSkuCompleter))]
    public string[]? Sku { get; set; }

    [Parameter]
    public ProductMappingStatus[]? Status { get; set; }

    [Parameter]
    public SwitchParameter NoRefresh { get; set; }

    protected override void EndProcessing()
    {
        var connection = ModuleSession.Current.Cumulus;
        if (!NoRefresh && connection is null)
        {
            WriteWarning("Not connected to Cumulus: showing the products known from earlier reads. Run Connect-Cumulus to look for new ones.");
        }
        else if (!NoRefresh)
        {
            var today = WithState(store => store.GetConfiguration().Today(DateTimeOffset.UtcNow));
            var payable = RunEngine(token => connection!.Client.GetPayableChargesAsync(today, token));
            WithState(store => new MappingRepository(store).RecordSeenProducts(payable, DateTimeOffset.UtcNow));
        }

        var names = new WildcardFilter(Name);
        var skus = new WildcardFilter(Sku);
        var products = WithExistingState(store => new MappingRepository(store).GetProducts())
            .Where(p => names.Matches(p.ProductName) && skus.Matches(p.Sku))
            .Where(p => Status is null || Status.Contains(p.Status));
        foreach (var product in products)
        {
            WriteObject(product);
        }
    }
}
