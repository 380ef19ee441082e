using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists HaloPSA items (products) with their prices and supplier SKUs, every page of them.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HaloItem")]
[OutputType(typeof(HaloItem))]
public sealed class GetHaloItemCommand : HaloSyncCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(HaloItemNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string[]? Sku { get; set; }

    [Parameter]
    public int[]? Id { get; set; }

    protected override void EndProcessing()
    {
        var connection = RequireHaloPsa();
        var items = RunEngine(token => connection.Client.GetItemsAsync(true, token));
        WithState(store => new HaloCatalogCache(store).ReplaceItems(items, DateTimeOffset.UtcNow));

        var names = new WildcardFilter(Name);
        var skus = new WildcardFilter(Sku);
        var matching = items
            .Where(i => names.Matches(i.Name) && (Id is null || Id.Contains(i.Id)))
            .Where(i => skus.MatchesAny(AutomaticMapper.SupplierSkus(i).ToArray()))
            .OrderBy(i => i.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var item in matching)
        {
            WriteObject(item);
        }
    }
}
