using System;
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

    /// <summary>
    /// Where the verbose lines of the session's clients go: the cmdlet running engine work now (set by
    /// <see cref="HaloSyncCmdlet"/> around it), so Invoke-HaloSync -Verbose shows requests and pacing, and lines
    /// written while no cmdlet listens are dropped rather than piling up for the session's life.
    /// </summary>
    public Action<string>? VerboseTarget { get; set; }

    public void Verbose(string message) => VerboseTarget?.Invoke(message);

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
