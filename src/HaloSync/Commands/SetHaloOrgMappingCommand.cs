using System;
using System.Management.Automation;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Maps a Cumulus organization to a HaloPSA client, or switches its sync, one row at a time from the pipeline.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "HaloOrgMapping", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OrganizationMapping))]
public sealed class SetHaloOrgMappingCommand : SetMappingCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId", "Cumulus Organization", "Organization Name", "Customer", "Cumulus Customer")]
    [AllowEmptyString]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string Organization { get; set; } = string.Empty;

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Halo Client Id", "Client Id", "ClientId")]
    [AllowEmptyString]
    [AllowNull]
    public string? HaloClientId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Halo Client", "Halo Client Name", "Client", "Client Name")]
    [AllowEmptyString]
    [AllowNull]
    [ArgumentCompleter(typeof(HaloClientNameCompleter))]
    public string? HaloClientName { get; set; }

    protected override object? RowTarget => Organization;

    protected override void ProcessRow()
    {
        var current = OrganizationLookup.Find(Mappings, Organization);
        var clientId = SpreadsheetValue.ParseId(HaloClientId, "Halo Client Id");
        var sync = SpreadsheetValue.ParseSwitch(SyncEnabled, "Enable Sync");
        var wanted = ManualMapping.Organization(current, clientId, HaloClientName, sync,
            clientId is null && string.IsNullOrWhiteSpace(HaloClientName) ? Array.Empty<HaloClient>() : HaloClients);
        var action = Describe(wanted.HaloClientId != current.HaloClientId, "client", wanted.HaloClientName, wanted.HaloClientId, wanted.SyncEnabled);
        if (ShouldProcess($"Cumulus organization {current.Name} ({current.OrganizationId})", action))
        {
            Mappings.SaveOrganization(wanted, DateTimeOffset.UtcNow);
            if (PassThru)
            {
                WriteObject(Mappings.FindOrganization(current.OrganizationId));
            }
        }
    }
}
