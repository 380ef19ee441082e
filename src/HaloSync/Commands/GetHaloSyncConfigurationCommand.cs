using System.Management.Automation;
using HaloSync.Engine.Configuration;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Shows the HaloSync sync settings kept in the state database.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HaloSyncConfiguration")]
[OutputType(typeof(SyncConfiguration))]
public sealed class GetHaloSyncConfigurationCommand : HaloSyncCmdlet
{
    protected override void EndProcessing() => WriteObject(WithExistingState(store => store.GetConfiguration()));
}
