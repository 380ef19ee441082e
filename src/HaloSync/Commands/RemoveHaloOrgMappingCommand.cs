using System;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Unmaps Cumulus organizations: they keep being listed but are no longer synced.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "HaloOrgMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OrganizationMapping))]
public sealed class RemoveHaloOrgMappingCommand : MappingCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId", "Cumulus Organization", "Organization Name", "Customer")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string Organization { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? RowTarget => Organization;

    protected override void ProcessRow()
    {
        var organization = OrganizationLookup.Find(Mappings, Organization);
        if (!ShouldProcess($"Cumulus organization {organization.Name} ({organization.OrganizationId})", $"Remove the mapping to '{organization.HaloClientName}'"))
        {
            return;
        }

        organization.HaloClientId = null;
        organization.HaloClientName = null;
        organization.SyncEnabled = false;
        organization.FirstSyncedOn = null;
        Mappings.SaveOrganization(organization, DateTimeOffset.UtcNow);
        if (PassThru)
        {
            WriteObject(Mappings.FindOrganization(organization.OrganizationId));
        }
    }
}
