using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Runs one sync: brings HaloPSA subscriptions, recurring-invoice lines, pro-rata and item costs in step with Cumulus.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "HaloSync", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SyncSummary), typeof(SyncEvent))]
public sealed class InvokeHaloSyncCommand : HaloSyncCmdlet
{
    private const int ActivityId = 4172;

    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string[]? Organization { get; set; }

    [Parameter]
    [InvariantDate]
    public DateTime? AsOf { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var halo = RequireHaloPsa();
        var cumulus = RequireCumulus();
        var (summary, configuration) = WithExistingState<(SyncSummary?, SyncConfiguration)>(store =>
        {
            var organizations = Organization is null
                ? null
                : SelectOrganizations(new OrganizationDirectory(new MappingRepository(store).GetOrganizations()), Organization).Select(o => o.OrganizationId).ToList();
            if (organizations is { Count: 0 })
            {
                return (null, store.GetConfiguration());
            }

            var planOnly = !ShouldProcess(store.Path, "Sync Cumulus into HaloPSA" + (AsOf is null ? string.Empty : FormattableString.Invariant($" as of {AsOf:yyyy-MM-dd}")));
            var runner = new SyncRunner(new SyncState(store), halo.Client, cumulus.Client, ProgressOf(ActivityId, "HaloSync"), PostEventError, PostVerbose);
            return (RunEngine(token => runner.RunAsync(AsOf, organizations, planOnly, token)), store.GetConfiguration());
        });

        if (summary is null)
        {
            WriteWarning("No organization was selected by -Organization, so nothing was synced.");
            return;
        }

        CompleteProgress(ActivityId, "HaloSync");
        foreach (var advice in summary.Advice)
        {
            WriteWarning(advice);
        }

        foreach (var reserved in summary.SkippedReservedInstances)
        {
            WriteWarning($"Azure reserved instance left alone (not supported yet): {reserved}.");
        }

        foreach (var warning in summary.Warnings)
        {
            WriteWarning(warning);
        }

        foreach (var e in summary.Events.Where(e => e.Status != SyncEventStatus.Failed))
        {
            var what = $"{e.OrganizationName}, {e.ProductName ?? e.Sku} (HaloPSA client {e.HaloClientId})";
            switch (e.Kind)
            {
                case SyncEventKind.RevertDrift:
                    WriteWarning($"{(summary.WhatIf ? "Would set back" : "Set back")} a hand edit in HaloPSA: {what}: {e.Detail}");
                    break;
                case SyncEventKind.EndOnOldClient:
                    WriteWarning($"{(summary.WhatIf ? "Would end" : "Ended")} on its old client: {what}: {e.Detail}");
                    break;
                case SyncEventKind.Adopt:
                    WriteVerbose($"Adopted: {what}: {e.Detail}");
                    break;
            }
        }

        if (PassThru || summary.WhatIf)
        {
            // Shown in the billing time zone, as Get-HaloSyncLog shows them.
            foreach (var e in summary.Events)
            {
                e.CreatedAt = CallEngine(() => configuration.LocalTime(e.CreatedAt), null);
            }

            WriteObject(summary.Events, enumerateCollection: true);
        }

        WriteObject(summary);
    }
}
