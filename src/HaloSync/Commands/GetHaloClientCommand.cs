using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.State;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists HaloPSA clients (customers), every page of them.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HaloClient")]
[OutputType(typeof(HaloClient))]
public sealed class GetHaloClientCommand : HaloSyncCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(HaloClientNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public int[]? Id { get; set; }

    [Parameter]
    public SwitchParameter IncludeInactive { get; set; }

    protected override void EndProcessing()
    {
        var connection = RequireHaloPsa();
        var clients = RunEngine(token => connection.Client.GetClientsAsync(IncludeInactive, null, token));
        if (!IncludeInactive)
        {
            WithState(store => new HaloCatalogCache(store).ReplaceClients(clients, DateTimeOffset.UtcNow));
        }

        var names = new WildcardFilter(Name);
        var matching = clients
            .Where(c => names.Matches(c.Name) && (Id is null || Id.Contains(c.Id)))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var client in matching)
        {
            WriteObject(client);
        }
    }
}
