using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists Cumulus organizations (Sherweb customers) with their HaloPSA mapping status.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CumulusOrganization")]
[OutputType(typeof(OrganizationMapping))]
public sealed class GetCumulusOrganizationCommand : HaloSyncCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public string[]? Id { get; set; }

    [Parameter]
    public OrganizationMappingStatus[]? Status { get; set; }

    protected override void EndProcessing()
    {
        var connection = ModuleSession.Current.Cumulus;
        if (connection is null)
        {
            WriteWarning("Not connected to Cumulus: showing the organizations known from the last read. Run Connect-Cumulus to refresh them.");
        }
        else
        {
            var customers = RunEngine(token => connection.Client.GetCustomersAsync(token));
            WithState(store => new MappingRepository(store).RecordSeenOrganizations(customers, DateTimeOffset.UtcNow));
        }

        var known = WithExistingState(store => new MappingRepository(store).GetOrganizations());
        var named = Name is null ? null : new HashSet<OrganizationMapping>(SelectOrganizations(new OrganizationDirectory(known), Name));
        var organizations = known
            .Where(o => named is null || named.Contains(o))
            .Where(o => Id is null || Id.Contains(o.OrganizationId, StringComparer.OrdinalIgnoreCase))
            .Where(o => Status is null || Status.Contains(o.Status));
        foreach (var organization in organizations)
        {
            WriteObject(organization);
        }
    }
}
