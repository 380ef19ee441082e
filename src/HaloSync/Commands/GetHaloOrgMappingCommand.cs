using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists organization mappings (every Cumulus organization seen and its HaloPSA client) from the state database.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HaloOrgMapping")]
[OutputType(typeof(OrganizationMapping))]
public sealed class GetHaloOrgMappingCommand : HaloSyncCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? OrganizationId { get; set; }

    [Parameter]
    public OrganizationMappingStatus[]? Status { get; set; }

    protected override void ProcessRecord()
    {
        var names = new WildcardFilter(Name);
        var organizations = WithState(store => new MappingRepository(store).GetOrganizations())
            .Where(o => names.Matches(o.Name) && (Status is null || Status.Contains(o.Status)))
            .Where(o => OrganizationId is null || OrganizationId.Contains(o.OrganizationId, StringComparer.OrdinalIgnoreCase));
        WriteObject(organizations, enumerateCollection: true);
    }
}
