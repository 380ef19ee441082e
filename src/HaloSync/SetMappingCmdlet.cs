using System;
using System.Collections.Generic;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync;

/// <summary>The Set-*Mapping cmdlets: the sync switch column, the status column of a listing piped back, -Refresh of the HaloPSA catalogue, -PassThru.</summary>
public abstract class SetMappingCmdlet : SpreadsheetCmdlet
{
    private readonly List<int> listedOffButMapped = new();
    private int saidNoOnRow;
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

    /// <summary>
    /// The sync switch the row asks for: -SyncEnabled on the command line always counts; a piped value unless
    /// <see cref="ListedWithoutMapping"/>. A row of such a listing that names a target and says no in words a person
    /// types (no, off, 0: not the False the listing gives) is mapped with sync on like the others, and a warning at the
    /// end names the rows applied so.
    /// </summary>
    protected bool? RequestedSync(bool namesTarget)
    {
        var sync = SpreadsheetValue.ParseSwitch(SyncEnabled, "Enable Sync");
        if (syncOnCommandLine || !ListedWithoutMapping)
        {
            return sync;
        }

        if (sync == false && namesTarget && !SpreadsheetValue.IsBooleanWord(SyncEnabled))
        {
            saidNoOnRow = Row;
        }

        return null;
    }

    protected override void EndProcessing()
    {
        if (listedOffButMapped.Count > 0)
        {
            var name = MyInvocation.MyCommand.Name;
            WriteWarning($"{Rows(listedOffButMapped)} of a listing piped back in (Status Unmapped or Error) named a target and said no in 'Enable Sync', " +
                "which such a listing does not read (it says False for every row without a mapping): mapped with sync on. To keep one off, empty " +
                $"its Status cell and run the rows again, or run {name} for it with -SyncEnabled $false.");
        }

        base.EndProcessing();
    }

    /// <summary>A listing of something without a mapping whose row names no target asks for nothing: skipped, said in -Verbose.</summary>
    protected bool AsksForNothing(bool namesTarget, bool? sync, string subject, string target)
    {
        if (ListedWithoutMapping && !namesTarget && sync is null)
        {
            WriteVerbose($"Row {Row}: {subject} is listed without a mapping and the row names no {target}: nothing to change.");
            return true;
        }

        return false;
    }

    /// <summary>What a row changes, in the words of the duplicate-row warning.</summary>
    protected static string RowChange(bool namesTarget, string? name, int? id, bool syncEnabled)
        => namesTarget ? $"maps it to '{name}' (id {id})" : $"sets its sync {(syncEnabled ? "on" : "off")}";

    /// <summary>
    /// Saves a row's change, unless it changes nothing (then only -Verbose says so) or ShouldProcess declines; then
    /// -PassThru returns the mapping as saved.
    /// </summary>
    /// <param name="subject">What the row is about, for the verbose line and ShouldProcess's target.</param>
    /// <param name="now">The mapping now: its status, target name and id.</param>
    protected void Save(bool changes, string subject, string target, (object Status, string? Name, int? Id) now, string action,
        Action save, Func<object?> saved)
    {
        if (saidNoOnRow == Row)
        {
            listedOffButMapped.Add(Row);
        }

        if (!changes)
        {
            WriteVerbose($"{subject}: already {now.Status}{(now.Id is null ? string.Empty : $" to '{now.Name}' (id {now.Id})")}; nothing changed.");
        }
        else if (ShouldProcess(target, action))
        {
            save();
        }
        else
        {
            return;
        }

        if (PassThru)
        {
            WriteObject(saved());
        }
    }

    /// <summary>How ShouldProcess describes a mapping change.</summary>
    protected static string Describe(bool retargeted, string what, string? name, int? id, bool syncEnabled)
        => retargeted
            ? $"Map to HaloPSA {what} '{name}' (id {id}), sync {(syncEnabled ? "on" : "off")}"
            : $"Set sync {(syncEnabled ? "on" : "off")}";
}
