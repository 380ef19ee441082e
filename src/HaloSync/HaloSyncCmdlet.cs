using System;
using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.State;

namespace HaloSync;

/// <summary>Base of every HaloSync cmdlet: resolves the state database and turns engine errors into error records.</summary>
public abstract class HaloSyncCmdlet : PSCmdlet
{
    /// <summary>
    /// <para type="description">Path of the state database file. Defaults to the path given to the last Connect-* cmdlet, then HALOSYNC_STATE_PATH, then HaloSync/halosync.db under local application data.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>The state database file this call uses.</summary>
    protected string ResolvedStatePath
        => StatePaths.Resolve(StatePath is null ? ModuleSession.Current.StatePath : GetUnresolvedProviderPathFromPSPath(StatePath));

    /// <summary>Opens the state database or stops the command with an error that names the file.</summary>
    protected StateStore OpenStateStore()
    {
        try
        {
            return StateStore.Open(ResolvedStatePath);
        }
        catch (HaloSyncException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex, ResolvedStatePath));
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }

    protected void ThrowEngineError(HaloSyncException ex, object? target) => ThrowTerminatingError(ToErrorRecord(ex, target));

    protected void WriteEngineError(HaloSyncException ex, object? target) => WriteError(ToErrorRecord(ex, target));

    internal static ErrorRecord ToErrorRecord(HaloSyncException ex, object? target)
        => new(ex, ex.ErrorId, ToCategory(ex.Kind), target);

    private static ErrorCategory ToCategory(HaloSyncErrorKind kind) => kind switch
    {
        HaloSyncErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        HaloSyncErrorKind.NotFound => ErrorCategory.ObjectNotFound,
        HaloSyncErrorKind.InvalidData => ErrorCategory.InvalidData,
        HaloSyncErrorKind.Authentication => ErrorCategory.AuthenticationError,
        HaloSyncErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        HaloSyncErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        HaloSyncErrorKind.RateLimited => ErrorCategory.LimitsExceeded,
        HaloSyncErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        HaloSyncErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        _ => ErrorCategory.InvalidOperation,
    };
}
