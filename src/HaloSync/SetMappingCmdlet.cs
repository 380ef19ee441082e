using System;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync;

/// <summary>The Set-*Mapping cmdlets: the sync switch column, the status column of a listing piped back, -Refresh of the HaloPSA catalogue, -PassThru.</summary>
public abstract class SetMappingCmdlet : SpreadsheetCmdlet
{
    private bool syncOnCommandLine;
    private bool statusOnCommandLine;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Enable Sync", "Sync Enabled", "Sync", "EnableSync")]
    [AllowEmptyString]
    [AllowNull]
    public string? SyncEnabled { get; set; }

    /// <summary>The Status column of a listing piped back in (Get-CumulusProduct, Get-HaloOrgMapping... or their CSV export).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    [AllowEmptyString]
    [AllowNull]
    public string? Status { get; set; }

    [Parameter]
    public SwitchParameter Refresh { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        RefreshCatalog = Refresh;
        syncOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(SyncEnabled));
        statusOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Status));
    }

    /// <summary>
    /// The row is a listing of something without a mapping (status Unmapped or Error) piped back in: its SyncEnabled
    /// (False) describes it and is no request to keep sync off, and without a target it asks for nothing.
    /// </summary>
    protected bool ListedWithoutMapping
        => !statusOnCommandLine && Status?.Trim() is { } status
           && (status.Equals(nameof(ProductMappingStatus.Unmapped), StringComparison.OrdinalIgnoreCase)
               || status.Equals(nameof(ProductMappingStatus.Error), StringComparison.OrdinalIgnoreCase));

    /// <summary>The sync switch the row asks for: -SyncEnabled on the command line always counts; a piped value unless <see cref="ListedWithoutMapping"/>.</summary>
    protected bool? RequestedSync()
    {
        var sync = SpreadsheetValue.ParseSwitch(SyncEnabled, "Enable Sync");
        return !syncOnCommandLine && ListedWithoutMapping ? null : sync;
    }

    /// <summary>How ShouldProcess describes a mapping change.</summary>
    protected static string Describe(bool retargeted, string what, string? name, int? id, bool syncEnabled)
        => retargeted
            ? $"Map to HaloPSA {what} '{name}' (id {id}), sync {(syncEnabled ? "on" : "off")}"
            : $"Set sync {(syncEnabled ? "on" : "off")}";
}
