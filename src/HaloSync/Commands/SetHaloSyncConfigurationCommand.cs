using System.Collections.Generic;
using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Sync;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Changes the HaloSync sync settings kept in the state database.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "HaloSyncConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SyncConfiguration))]
public sealed class SetHaloSyncConfigurationCommand : HaloSyncCmdlet
{
    [Parameter]
    [WholeDay]
    [ValidateInvoiceDay]
    public int InvoiceDay { get; set; }

    [Parameter]
    public BillingMethod BillingMethod { get; set; }

    [Parameter]
    [SwitchValue(nameof(Proration))]
    public bool Proration { get; set; }

    [Parameter]
    public MappingMode MappingMode { get; set; }

    [Parameter]
    [SwitchValue(nameof(SyncEnabled))]
    public bool SyncEnabled { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TimeZoneCompleter))]
    public string? TimeZone { get; set; }

    [Parameter]
    public CostBasis CostBasis { get; set; }

    [Parameter]
    [ValidateRange(0, SyncConfiguration.MaxHandEditCheckHours)]
    public int HandEditCheckHours { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Changes the invoice day although clients have HaloSync recurring invoices (their schedules were moved in HaloPSA).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        if (TimeZone is not null)
        {
            try
            {
                SyncConfiguration.ResolveTimeZone(TimeZone);
            }
            catch (HaloSyncException ex)
            {
                ThrowEngineError(ex, TimeZone);
            }
        }

        if (WhatIfOnly && !System.IO.File.Exists(ResolvedStatePath))
        {
            // Nothing to read the settings from: the preview is of the new file with the defaults and what was given.
            ShouldProcess(ResolvedStatePath, "Create the HaloSync state database and set: " + string.Join(", ", ApplyBoundParameters(new SyncConfiguration())));
            return;
        }

        var result = WithState(store =>
        {
            var configuration = store.GetConfiguration();
            if (MyInvocation.BoundParameters.ContainsKey(nameof(InvoiceDay)) && !Force)
            {
                new SyncState(store).CheckInvoiceDayChange(configuration.InvoiceDay, InvoiceDay);
            }

            var changes = ApplyBoundParameters(configuration);
            if (changes.Count == 0)
            {
                WriteVerbose("No setting was given; nothing changed.");
            }
            else if (ShouldProcess(store.Path, "Set HaloSync configuration: " + string.Join(", ", changes)))
            {
                store.SaveConfiguration(configuration);
            }

            return store.GetConfiguration();
        });

        if (PassThru)
        {
            WriteObject(result);
        }
    }

    private List<string> ApplyBoundParameters(SyncConfiguration configuration)
    {
        var changes = new List<string>();
        void Take(string name, System.Action apply)
        {
            if (MyInvocation.BoundParameters.ContainsKey(name))
            {
                apply();
                changes.Add(name + "=" + MyInvocation.BoundParameters[name]);
            }
        }

        Take(nameof(InvoiceDay), () => configuration.InvoiceDay = InvoiceDay);
        Take(nameof(BillingMethod), () => configuration.BillingMethod = BillingMethod);
        Take(nameof(Proration), () => configuration.Proration = Proration);
        Take(nameof(MappingMode), () => configuration.MappingMode = MappingMode);
        Take(nameof(SyncEnabled), () => configuration.SyncEnabled = SyncEnabled);
        Take(nameof(TimeZone), () => configuration.TimeZone = TimeZone!.Trim());
        Take(nameof(CostBasis), () => configuration.CostBasis = CostBasis);
        Take(nameof(HandEditCheckHours), () => configuration.HandEditCheckHours = HandEditCheckHours);
        return changes;
    }
}
