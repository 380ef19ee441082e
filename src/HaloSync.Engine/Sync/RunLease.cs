using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using HaloSync.Engine.State;

namespace HaloSync.Engine.Sync;

/// <summary>
/// The exclusive right to sync one state file. It belongs to a live run: the holder renews it every
/// <see cref="RenewEvery"/> on a connection of its own, it expires <see cref="Duration"/> after the last renewal,
/// and a holder on this machine whose process is gone is seen as dead at once. So a run killed with kill -9 blocks
/// the next scheduled run for at most two minutes, and not at all on the same machine.
/// </summary>
public sealed class RunLease : IDisposable
{
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    /// <summary>The runs whose lease a live object of this process holds: a lease of this process no object holds was abandoned.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> HeldHere = new(StringComparer.Ordinal);

    private readonly StateStore connection;
    private readonly string runId;
    private readonly Func<DateTimeOffset> clock;
    private readonly TimeSpan duration;
    private readonly Timer timer;
    private readonly CancellationTokenSource lost = new();
    private int disposed;

    private RunLease(StateStore connection, string runId, Func<DateTimeOffset> clock, TimeSpan duration, TimeSpan renewEvery)
    {
        this.connection = connection;
        this.runId = runId;
        this.clock = clock;
        this.duration = duration;
        HeldHere[runId] = true;
        timer = new Timer(_ => Renew(), null, renewEvery, renewEvery);
    }

    /// <summary>
    /// Cancelled when a renewal finds the lease in another run's hands (this run missed its renewals long enough for it
    /// to expire: a suspended machine, a starved process, a clock that jumped): the run must stop writing.
    /// </summary>
    public CancellationToken Lost => lost.Token;

    /// <summary>This process on this machine, with its start time so that a reused process id is not taken for it.</summary>
    public static string CurrentHolder
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            return string.Join("/", Environment.MachineName, process.Id.ToString(CultureInfo.InvariantCulture),
                process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Takes the lease of the state file at <paramref name="statePath"/>, or explains who holds it.</summary>
    public static RunLease Acquire(string statePath, string runId, Func<DateTimeOffset>? clock = null, TimeSpan? duration = null, TimeSpan? renewEvery = null,
        string? holder = null)
    {
        clock ??= () => DateTimeOffset.UtcNow;
        var length = duration ?? Duration;
        var connection = StateStore.Open(statePath);
        try
        {
            connection.InTransaction(transaction =>
            {
                var now = clock();
                using (var read = connection.Command("SELECT run_id, holder, acquired_at, expires_at FROM run_lease WHERE id = 1;", transaction))
                using (var reader = read.ExecuteReader())
                {
                    // A holder alive on this machine keeps its lease even past its expiry; elsewhere only the expiry can tell.
                    // This process's own lease that no run of it holds any more (its release failed) is taken over.
                    if (reader.Read() && !IsDeadOnThisMachine(reader.GetString(1)) && !AbandonedHere(reader.GetString(0), reader.GetString(1))
                        && (DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture) is var expires && (expires > now || IsAliveOnThisMachine(reader.GetString(1)))))
                    {
                        throw new HaloSyncException("SyncAlreadyRunning", HaloSyncErrorKind.ResourceUnavailable,
                            $"Another sync ({reader.GetString(0)}, by {reader.GetString(1)}, started {reader.GetString(2)}) is running on '{connection.Path}'. " +
                            (expires > now
                                ? $"Wait for it to finish. Its lease is renewed while it works; if its process died, the lease expires at {reader.GetString(3)} " +
                                  "and the next run finishes its work."
                                : $"Its lease expired at {reader.GetString(3)}, but its process still runs on this machine, so it may still be writing. " +
                                  "Wait for it to finish; if that process runs no sync any more (a PowerShell session left open), close it."));
                    }
                }

                using var take = connection.Command(
                    "INSERT OR REPLACE INTO run_lease (id, run_id, holder, acquired_at, expires_at) VALUES (1, $r, $h, $a, $e);", transaction);
                take.Parameters.AddWithValue("$r", runId);
                take.Parameters.AddWithValue("$h", holder ?? CurrentHolder);
                take.Parameters.AddWithValue("$a", StateStore.Timestamp(now));
                take.Parameters.AddWithValue("$e", StateStore.Timestamp(now + length));
                take.ExecuteNonQuery();
            });
            return new RunLease(connection, runId, clock, length, renewEvery ?? RenewEvery);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static bool AbandonedHere(string heldRunId, string holder) => holder == CurrentHolder && !HeldHere.ContainsKey(heldRunId);

    /// <summary>A holder on this machine whose process is gone (or is another process with the same id) is dead.</summary>
    internal static bool IsDeadOnThisMachine(string holder) => StateOnThisMachine(holder) == false;

    /// <summary>A holder whose process runs on this machine is alive, whatever its lease's expiry says.</summary>
    internal static bool IsAliveOnThisMachine(string holder) => StateOnThisMachine(holder) == true;

    /// <returns>True when the holder's process runs on this machine, false when it is gone, null when this machine cannot tell.</returns>
    private static bool? StateOnThisMachine(string holder)
    {
        var parts = holder.Split('/');
        if (parts.Length != 3 || !string.Equals(parts[0], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var processId)
            || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var startTicks))
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - startTicks) <= TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // it exited
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // another user's process: cannot tell, so the lease's expiry decides
        }
    }

    /// <summary>Moves the expiry on; called by the timer while the run works.</summary>
    public void Renew()
    {
        if (Volatile.Read(ref disposed) != 0)
        {
            return;
        }

        try
        {
            var renewed = connection.InTransaction(transaction =>
            {
                using var renew = connection.Command("UPDATE run_lease SET expires_at = $e WHERE id = 1 AND run_id = $r;", transaction);
                renew.Parameters.AddWithValue("$e", StateStore.Timestamp(clock() + duration));
                renew.Parameters.AddWithValue("$r", runId);
                return renew.ExecuteNonQuery();
            });
            if (renewed == 0)
            {
                lost.Cancel();
            }
        }
        catch (HaloSyncException)
        {
            // A busy file: the next tick tries again, well before the lease expires.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        using (var stopped = new ManualResetEvent(false))
        {
            timer.Dispose(stopped);
            stopped.WaitOne(TimeSpan.FromSeconds(5));
        }

        HeldHere.TryRemove(runId, out _);
        try
        {
            connection.InTransaction(transaction =>
            {
                using var release = connection.Command("DELETE FROM run_lease WHERE id = 1 AND run_id = $r;", transaction);
                release.Parameters.AddWithValue("$r", runId);
                release.ExecuteNonQuery();
            });
        }
        catch (HaloSyncException)
        {
            // A file locked for longer than the busy timeout: the run's work is done and recorded. The lease left behind
            // is taken over by this process's next run, and by others once this process is gone.
        }
        finally
        {
            connection.Dispose();
            lost.Dispose();
        }
    }
}
