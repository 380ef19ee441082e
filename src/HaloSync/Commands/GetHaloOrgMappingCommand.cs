using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists organization mappings (the Cumulus organizations mapped to a HaloPSA client) from the state database.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HaloOrgMapping")]
[OutputType(typeof(OrganizationMapping))]
public sealed class GetHaloOrgMappingCommand : HaloSyncCmdlet
{
    /// <summary>What is listed without -Status: organizations with a client, so an export restores exactly the mappings.</summary>
    private static readonly OrganizationMappingStatus[] Mappings = { OrganizationMappingStatus.Mapped, OrganizationMappingStatus.Disabled };

    [Parameter(Position = 0)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string[]? Organization { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? OrganizationId { get; set; }

    [Parameter]
    public OrganizationMappingStatus[]? Status { get; set; }

    protected override void ProcessRecord()
    {
        var known = WithExistingState(store => new MappingRepository(store).GetOrganizations());
        var selected = new System.Collections.Generic.HashSet<OrganizationMapping>(Organization is null ? known : SelectOrganizations(new OrganizationDirectory(known), Organization));
        var statuses = Status ?? Mappings;
        var organizations = known
            .Where(selected.Contains)
            .Where(o => statuses.Contains(o.Status))
            .Where(o => OrganizationId is null || OrganizationId.Contains(o.OrganizationId, StringComparer.OrdinalIgnoreCase));
        WriteObject(organizations, enumerateCollection: true);
    }
}
