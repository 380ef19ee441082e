using System.Management.Automation;
using HaloSync.Engine.State;

namespace HaloSync;

/// <summary>Runs on Import-Module: makes the shipped native SQLite loadable before any cmdlet opens the state file.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => NativeSqliteLoader.EnsureLoaded();

    public void OnRemove(PSModuleInfo psModuleInfo) => ModuleSession.ForgetAll();
}
