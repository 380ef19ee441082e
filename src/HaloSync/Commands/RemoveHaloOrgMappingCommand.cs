using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Unmaps Cumulus organizations: they keep being listed but are no longer synced.</para>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "HaloOrgMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OrganizationMapping))]
public sealed class RemoveHaloOrgMappingCommand : SpreadsheetCmdlet
{
    private static readonly string[] Keys = { nameof(Organization) };

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId", "Cumulus Organization", "Organization Name", "Customer", "Cumulus Customer")]
    [AllowEmptyString]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string Organization { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? RowTarget => Organization;

    protected override IReadOnlyList<string> KeyParameters => Keys;

    protected override void ProcessRow()
    {
        var organization = Organizations.Find(Organization, WildcardFilter.Pattern(Organization));
        var subject = $"Cumulus organization {organization.Name} ({organization.OrganizationId})";
        if (organization.HaloClientId is null)
        {
            WriteVerbose($"{subject}: not mapped; nothing changed.");
        }
        else if (ShouldProcess(subject, $"Remove the mapping to '{organization.HaloClientName}'"))
        {
            Unmap(organization);
        }
        else
        {
            return;
        }

        if (PassThru)
        {
            WriteObject(Mappings.FindOrganization(organization.OrganizationId));
        }
    }

    private void Unmap(OrganizationMapping organization)
    {
        var kept = CallEngine(() => new SyncState(Store).LoadSnapshot().Count(r => r.OrganizationId == organization.OrganizationId && !r.Cancelled), Store.Path);
        if (kept > 0)
        {
            WriteWarning($"{organization.Name}: HaloSync's {kept} subscription(s) and their recurring-invoice lines on HaloPSA client '{organization.HaloClientName}' " +
                "stay as they are and are no longer kept in step. Map the organization to the same client again to resume, or to another client to end them there " +
                "and start on the new one.");
        }

        organization.HaloClientId = null;
        organization.HaloClientName = null;
        // The first-sync date stays for a mapping back to the same client (a re-map to another clears it).
        organization.SyncEnabled = false;
        Mappings.SaveOrganization(organization, DateTimeOffset.UtcNow);
        Organizations.Put(organization);
    }
}
