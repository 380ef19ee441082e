using System;
using System.Collections.Generic;
using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Turns sync off or on for one subscription or charge of one organization (the seed's pencil icon).</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "CumulusChargeSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ChargeSyncSetting))]
public sealed class SetCumulusChargeSyncCommand : SpreadsheetCmdlet
{
    private static readonly string[] Keys = { nameof(Organization), nameof(ChargeKey) };

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId", "Cumulus Organization", "Organization Name", "Customer", "Cumulus Customer")]
    [AllowEmptyString]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string Organization { get; set; } = string.Empty;

    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Charge Key", "Key")]
    [AllowEmptyString]
    public string ChargeKey { get; set; } = string.Empty;

    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    [Alias("Enable Sync", "Sync Enabled", "Sync", "EnableSync")]
    [AllowEmptyString]
    [AllowNull]
    public string? SyncEnabled { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? RowTarget => ChargeKey;

    protected override IReadOnlyList<string> KeyParameters => Keys;

    protected override void ProcessRow()
    {
        var organization = KnownOrganization(Organization);
        var key = ChargeKey.Trim();
        if (!key.StartsWith("sub-", StringComparison.Ordinal) && !key.StartsWith("chg-", StringComparison.Ordinal))
        {
            throw new HaloSyncException("InvalidChargeKey", HaloSyncErrorKind.InvalidArgument,
                $"'{ChargeKey}' is not a charge key: use the ChargeKey that Get-CumulusCharge shows ('sub-...' or 'chg-...').");
        }

        var enabled = SpreadsheetValue.ParseSwitch(SyncEnabled, "Enable Sync")
            ?? throw new HaloSyncException("MissingSwitchValue", HaloSyncErrorKind.InvalidArgument, "Say whether to sync it: -SyncEnabled yes or no.");
        NoteRow(organization.OrganizationId + " " + key, $"{key} of {organization.Name}", $"switches it {(enabled ? "on" : "off")}");
        // A charge with no switch stored is synced.
        var now = !Mappings.GetChargeSyncFlags(organization.OrganizationId).TryGetValue(key, out var stored) || stored;
        if (now == enabled)
        {
            WriteVerbose($"{key} of {organization.Name}: sync already {(enabled ? "on" : "off")}; nothing changed.");
        }
        else if (ShouldProcess($"{key} of {organization.Name}", enabled ? "Sync it" : "Stop syncing it"))
        {
            Mappings.SetChargeSync(organization.OrganizationId, key, enabled, DateTimeOffset.UtcNow);
        }
        else
        {
            return;
        }

        if (PassThru)
        {
            WriteObject(new ChargeSyncSetting(organization.OrganizationId, organization.Name, key, enabled));
        }
    }
}
