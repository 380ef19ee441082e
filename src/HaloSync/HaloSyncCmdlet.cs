using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;

namespace HaloSync;

/// <summary>Base of every HaloSync cmdlet: resolves the state database and turns engine errors into error records.</summary>
public abstract class HaloSyncCmdlet : PSCmdlet, IDisposable
{
    /// <summary>Connect-* gives up after this many tries, so a wrong address or a down site is reported in seconds.</summary>
    internal const int ConnectAttempts = 3;

    internal static readonly TimeSpan ConnectBaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>Connect-* waits out rate limiting (429) like a sync does, up to this long in all, without using up its tries.</summary>
    internal static readonly TimeSpan ConnectRateLimitBudget = TimeSpan.FromMinutes(2);

    private readonly CancellationTokenSource cancellation = new();
    private readonly ConcurrentQueue<Action> pipelineThreadWork = new();

    /// <summary>
    /// <para type="description">Path of the state database file. Defaults to the path given to the last Connect-* cmdlet, then HALOSYNC_STATE_PATH, then HaloSync/halosync.db under local application data.</para>
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? StatePath { get; set; }

    /// <summary>The state database file this call uses.</summary>
    protected string ResolvedStatePath
    {
        get
        {
            try
            {
                return StatePaths.Resolve(StatePath is null ? ModuleSession.Current.StatePath : GetUnresolvedProviderPathFromPSPath(StatePath));
            }
            catch (HaloSyncException ex)
            {
                ThrowEngineError(ex, StatePath);
                throw;
            }
        }
    }

    /// <summary>Runs work on the state database; a state error stops the command with an error that names the file.</summary>
    /// <remarks>Under -WhatIf a state file that does not exist is an error, not created: -WhatIf writes nothing.</remarks>
    protected T WithState<T>(Func<StateStore, T> work) => WithStore(WhatIfOnly ? path => StateStore.OpenExisting(path, whatIf: true) : StateStore.Open, work);

    /// <summary>-WhatIf is in effect (given, or $WhatIfPreference): the command may read, and writes nothing anywhere.</summary>
    protected bool WhatIfOnly
        => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given) ? given is SwitchParameter { IsPresent: true }
            : GetVariableValue("WhatIfPreference") is SwitchParameter { IsPresent: true } or true;

    /// <summary>
    /// Like <see cref="WithState{T}"/> for commands that only read: a state file that does not exist is an error, never
    /// created; under -WhatIf not even upgraded.
    /// </summary>
    protected T WithExistingState<T>(Func<StateStore, T> work) => WithStore(path => StateStore.OpenExisting(path, whatIf: WhatIfOnly), work);

    /// <summary>
    /// The organizations that -Organization values select: each an id, a name or a wildcard. A value that selects none
    /// is a warning naming the nearest known names, and the command goes on with the others.
    /// </summary>
    protected List<OrganizationMapping> SelectOrganizations(OrganizationDirectory directory, IEnumerable<string> values)
    {
        var selected = new List<OrganizationMapping>();
        foreach (var value in values.Where(v => !string.IsNullOrWhiteSpace(v)))
        {
            var matches = CallEngine(() => directory.Select(value, WildcardFilter.Pattern(value)), value);
            if (matches.Count == 0)
            {
                WriteWarning(directory.NoMatch(value));
            }

            selected.AddRange(matches.Where(m => !selected.Contains(m)));
        }

        return selected;
    }

    /// <summary>Runs engine code; an engine error stops the command as an error record with its id and category.</summary>
    protected T CallEngine<T>(Func<T> work, object? errorTarget)
    {
        try
        {
            return work();
        }
        catch (HaloSyncException ex)
        {
            ThrowEngineError(ex, errorTarget);
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }

    protected void WithState(Action<StateStore> work) => WithState(Returning(work));

    protected void WithExistingState(Action<StateStore> work) => WithExistingState(Returning(work));

    private static Func<StateStore, bool> Returning(Action<StateStore> work) => store =>
    {
        work(store);
        return true;
    };

    /// <summary>This session's Sherweb connection, or a terminating error that says how to connect.</summary>
    protected CumulusConnection RequireCumulus()
    {
        var connection = ModuleSession.Current.Cumulus;
        if (connection is null)
        {
            ThrowEngineError(new HaloSyncException("CumulusNotConnected", HaloSyncErrorKind.InvalidOperation,
                "This session is not connected to Sherweb Cumulus. Run Connect-Cumulus -Credential <client id and secret> -SubscriptionKey <key> first."), null);
        }

        return connection!;
    }

    /// <summary>This session's HaloPSA connection, or a terminating error that says how to connect.</summary>
    protected HaloPsaConnection RequireHaloPsa()
    {
        var connection = ModuleSession.Current.HaloPsa;
        if (connection is null)
        {
            ThrowEngineError(new HaloSyncException("HaloPsaNotConnected", HaloSyncErrorKind.InvalidOperation,
                "This session is not connected to HaloPSA. Run Connect-HaloPsa -Site <url> -Credential <client id and secret> first."), null);
        }

        return connection!;
    }

    /// <summary>
    /// Runs engine work off the pipeline thread and waits for it, writing the verbose and progress
    /// messages it posts as they come (Write* only works on the pipeline thread). Ctrl+C cancels it.
    /// </summary>
    protected T RunEngine<T>(Func<CancellationToken, Task<T>> work, object? errorTarget = null)
    {
        var session = ModuleSession.Current;
        var listening = session.VerboseTarget;
        session.VerboseTarget = PostVerbose;
        var task = Task.Run(() => work(cancellation.Token));
        try
        {
            while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(50))
            {
                DrainPipelineThreadWork();
            }
        }
        catch
        {
            // A posted error the caller turned into a stop (-ErrorAction Stop): the engine must not go on writing unseen,
            // nor outlive the state store this command closes.
            cancellation.Cancel();
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
            throw;
        }
        finally
        {
            session.VerboseTarget = listening;
        }

        DrainPipelineThreadWork();
        try
        {
            return CallEngine(() => task.GetAwaiter().GetResult(), errorTarget);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>A verbose message from any thread, written on the pipeline thread.</summary>
    protected void PostVerbose(string message) => pipelineThreadWork.Enqueue(() => WriteVerbose(message));

    protected void PostWarning(string message) => pipelineThreadWork.Enqueue(() => WriteWarning(message));

    protected void PostProgress(ProgressRecord record) => pipelineThreadWork.Enqueue(() => WriteProgress(record));

    /// <summary>
    /// An event's failed write, from any thread, as a non-terminating error on the pipeline thread: the event is its
    /// target, and its message starts with whose write it was (organization, product, HaloPSA client, what it did).
    /// </summary>
    protected void PostEventError(SyncEvent e, HaloSyncException error) => pipelineThreadWork.Enqueue(() =>
    {
        var record = ToErrorRecord(error, e);
        record.ErrorDetails = new ErrorDetails(EventSubject(e) + ": " + error.Message);
        WriteError(record);
    });

    /// <summary>"Fabrikam, Inc., Microsoft 365 Business Premium (MS-BP-NCE) on HaloPSA client 12, ChangeQuantity 10 -> 13".</summary>
    internal static string EventSubject(SyncEvent e)
    {
        var product = e.ProductName is null ? e.Sku : e.Sku is null ? e.ProductName : $"{e.ProductName} ({e.Sku})";
        var who = string.Join(", ", new[] { e.OrganizationName ?? e.OrganizationId, product }.Where(part => !string.IsNullOrEmpty(part)));
        var where = e.HaloClientId is { } client ? $"HaloPSA client {client}" : e.HaloId is { } id ? $"HaloPSA {e.Entity} {id}" : null;
        var what = e.QuantityBefore is null && e.QuantityAfter is null
            ? e.Kind.ToString()
            : FormattableString.Invariant($"{e.Kind} {e.QuantityBefore ?? 0m:0.####} -> {e.QuantityAfter ?? 0m:0.####}");
        var subject = where is null ? who : who.Length == 0 ? where : who + " on " + where;
        return subject.Length == 0 ? what : subject + ", " + what;
    }

    /// <summary>The engine's progress as progress records of one activity ("HaloSync: Reading Cumulus"...), written on the pipeline thread.</summary>
    protected IProgress<SyncProgress> ProgressOf(int activityId, string activity) => new ProgressPoster(this, activityId, activity);

    /// <summary>Removes the activity's progress bar.</summary>
    protected void CompleteProgress(int activityId, string activity)
        => WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });

    protected override void StopProcessing() => cancellation.Cancel();

    public void Dispose() => cancellation.Dispose();

    protected void ThrowEngineError(HaloSyncException ex, object? target) => ThrowTerminatingError(ToErrorRecord(ex, target));

    protected void WriteEngineError(HaloSyncException ex, object? target) => WriteError(ToErrorRecord(ex, target));

    internal static ErrorRecord ToErrorRecord(HaloSyncException ex, object? target)
        => new(ex, ex.ErrorId, ToCategory(ex.Kind), target);

    private T WithStore<T>(Func<string, StateStore> open, Func<StateStore, T> work)
    {
        var path = ResolvedStatePath;
        return CallEngine(() =>
        {
            using var store = open(path);
            return work(store);
        }, path);
    }

    private void DrainPipelineThreadWork()
    {
        while (pipelineThreadWork.TryDequeue(out var write))
        {
            write();
        }
    }

    private sealed class ProgressPoster : IProgress<SyncProgress>
    {
        private readonly HaloSyncCmdlet command;
        private readonly int activityId;
        private readonly string activity;

        public ProgressPoster(HaloSyncCmdlet command, int activityId, string activity)
        {
            this.command = command;
            this.activityId = activityId;
            this.activity = activity;
        }

        public void Report(SyncProgress value)
            => command.PostProgress(new ProgressRecord(activityId, $"{activity}: {value.Phase}", string.IsNullOrEmpty(value.Status) ? value.Phase : value.Status)
            {
                PercentComplete = value.Percent,
            });
    }

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
