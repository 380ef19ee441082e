using System;
using System.Collections.Generic;
using System.Linq;
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
    private static readonly string[] Keys = { nameof(Organization) };

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId", "Cumulus Organization", "Organization Name", "Customer", "Cumulus Customer")]
    [AllowEmptyString]
    [SupportsWildcards]
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

    protected override IReadOnlyList<string> KeyParameters => Keys;

    protected override void ProcessRow()
    {
        var clientId = SpreadsheetValue.ParseId(HaloClientId, "Halo Client Id");
        var namesClient = clientId is not null || !string.IsNullOrWhiteSpace(HaloClientName);
        var sync = RequestedSync(namesClient);
        if (AsksForNothing(namesClient, sync, Organization, "client"))
        {
            return;
        }

        var current = KnownOrganization(Organization);
        var wanted = ManualMapping.Organization(current, clientId, HaloClientName, sync, namesClient ? HaloClients : Array.Empty<HaloClient>());
        NoteRow(current.OrganizationId, $"organization '{current.Name}'", RowChange(namesClient, wanted.HaloClientName, wanted.HaloClientId, wanted.SyncEnabled));
        if (namesClient)
        {
            WarnOfSharedClient(current, wanted);
        }

        Organizations.Put(wanted);
        var retargeted = wanted.HaloClientId != current.HaloClientId;
        Save(retargeted || wanted.SyncEnabled != current.SyncEnabled || wanted.HaloClientName != current.HaloClientName,
            current.Name, $"Cumulus organization {current.Name} ({current.OrganizationId})", (current.Status, current.HaloClientName, current.HaloClientId),
            Describe(retargeted, "client", wanted.HaloClientName, wanted.HaloClientId, wanted.SyncEnabled),
            () => Mappings.SaveOrganization(wanted, DateTimeOffset.UtcNow), () => Mappings.FindOrganization(current.OrganizationId));
    }

    /// <summary>Two organizations on one client put both on the client's one HaloSync recurring invoice: allowed, but said.</summary>
    private void WarnOfSharedClient(OrganizationMapping current, OrganizationMapping wanted)
    {
        var others = Organizations.BillingTo(wanted.HaloClientId!.Value).Where(o => o.OrganizationId != current.OrganizationId).Select(o => $"'{o.Name}'").ToList();
        if (others.Count > 0)
        {
            WriteWarning($"'{current.Name}' and {string.Join(", ", others)} map to the same HaloPSA client '{wanted.HaloClientName}' (id {wanted.HaloClientId}): " +
                "a sync bills all their subscriptions on that client's one HaloSync recurring invoice. If that is not intended, map one of them to another client.");
        }
    }
}
