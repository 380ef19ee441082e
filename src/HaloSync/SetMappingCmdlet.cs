using System.Management.Automation;

namespace HaloSync;

/// <summary>The Set-*Mapping cmdlets: the sync switch column, -Refresh of the HaloPSA catalogue, -PassThru.</summary>
public abstract class SetMappingCmdlet : MappingCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Enable Sync", "Sync Enabled", "Sync", "EnableSync")]
    [AllowEmptyString]
    [AllowNull]
    public string? SyncEnabled { get; set; }

    [Parameter]
    public SwitchParameter Refresh { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing() => RefreshCatalog = Refresh;

    /// <summary>How ShouldProcess describes a mapping change.</summary>
    protected static string Describe(bool retargeted, string what, string? name, int? id, bool syncEnabled)
        => retargeted
            ? $"Map to HaloPSA {what} '{name}' (id {id}), sync {(syncEnabled ? "on" : "off")}"
            : $"Set sync {(syncEnabled ? "on" : "off")}";
}
