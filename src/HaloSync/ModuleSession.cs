using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace HaloSync;

/// <summary>
/// What HaloSync remembers for one runspace (connections, the state path chosen at connect time).
/// Keyed on the runspace so parallel runspaces and hosted runspaces never share a connection.
/// </summary>
internal sealed class ModuleSession
{
    private static ConditionalWeakTable<Runspace, ModuleSession> sessions = new();
    private static readonly ModuleSession NoRunspace = new();

    /// <summary>The -StatePath given to the last Connect-* cmdlet in this runspace, if any.</summary>
    public string? StatePath { get; set; }

    public HaloPsaConnection? HaloPsa { get; set; }

    public CumulusConnection? Cumulus { get; set; }

    public static ModuleSession Current
    {
        get
        {
            var runspace = Runspace.DefaultRunspace;
            return runspace is null ? NoRunspace : sessions.GetValue(runspace, _ => new ModuleSession());
        }
    }

    /// <summary>Module removal: drop every runspace's connections.</summary>
    public static void ForgetAll() => sessions = new ConditionalWeakTable<Runspace, ModuleSession>();
}
