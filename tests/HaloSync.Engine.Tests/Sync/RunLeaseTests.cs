using System;
using System.Diagnostics;
using System.Globalization;
using HaloSync.Engine.Sync;
using HaloSync.Engine.Tests.State;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>Issue 9, point 5: a lease belongs to a live run, so a killed run does not stall the schedule.</summary>
public sealed class RunLeaseTests : IDisposable
{
    private readonly TempStateFolder folder = new();
    private DateTimeOffset now = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_live_holder_refuses_a_second_run_at_once_naming_the_file()
    {
        using var first = RunLease.Acquire(folder.DatabasePath, "run-1", () => now);

        var error = Assert.Throws<HaloSyncException>(() => RunLease.Acquire(folder.DatabasePath, "run-2", () => now));

        Assert.Equal(("SyncAlreadyRunning", HaloSyncErrorKind.ResourceUnavailable), (error.ErrorId, error.Kind));
        Assert.Contains(folder.DatabasePath, error.Message);
        Assert.Contains("run-1", error.Message);
    }

    [Fact]
    public void A_lease_whose_process_on_this_machine_died_is_taken_over_at_once()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        var holder = string.Join("/", Environment.MachineName, child.Id.ToString(CultureInfo.InvariantCulture),
            child.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture));
        using (RunLease.Acquire(folder.DatabasePath, "killed", () => now, holder: holder))
        {
            Assert.Throws<HaloSyncException>(() => RunLease.Acquire(folder.DatabasePath, "while-alive", () => now));
            child.Kill();
            child.WaitForExit();

            // Same minute, well before the lease expires: the holder is gone, so the next run goes ahead.
            using var next = RunLease.Acquire(folder.DatabasePath, "next", () => now);
        }
    }

    [Fact]
    public void A_lease_held_elsewhere_blocks_until_it_expires_two_minutes_after_its_last_renewal()
    {
        using var lease = RunLease.Acquire(folder.DatabasePath, "remote", () => now, holder: "other-host/4242/638000000000000000");
        now = now.AddSeconds(90);
        lease.Renew();
        now = now.AddSeconds(100); // 190 s after it was taken, 100 s after its renewal

        Assert.Throws<HaloSyncException>(() => RunLease.Acquire(folder.DatabasePath, "blocked", () => now));

        now = now.AddSeconds(21); // 121 s after the renewal: expired
        using var next = RunLease.Acquire(folder.DatabasePath, "after-expiry", () => now);
    }

    [Fact]
    public void A_holder_alive_on_this_machine_keeps_its_lease_past_its_expiry()
    {
        using var first = RunLease.Acquire(folder.DatabasePath, "starved", () => now);
        now = now.AddMinutes(10); // no renewal for ten minutes: a suspended machine, a starved process

        var error = Assert.Throws<HaloSyncException>(() => RunLease.Acquire(folder.DatabasePath, "second", () => now));

        Assert.Equal("SyncAlreadyRunning", error.ErrorId);
        Assert.False(first.Lost.IsCancellationRequested);
    }

    [Fact]
    public void A_run_whose_lease_was_taken_over_learns_it_at_its_next_renewal()
    {
        using var stale = RunLease.Acquire(folder.DatabasePath, "stale", () => now, holder: "other-host/4242/638000000000000000");
        now = now.AddMinutes(3);
        using var taker = RunLease.Acquire(folder.DatabasePath, "taker", () => now);

        stale.Renew();
        taker.Renew();

        Assert.True(stale.Lost.IsCancellationRequested);
        Assert.False(taker.Lost.IsCancellationRequested);
    }

    [Fact]
    public void Released_leases_let_the_next_run_in()
    {
        RunLease.Acquire(folder.DatabasePath, "run-1", () => now).Dispose();

        using var next = RunLease.Acquire(folder.DatabasePath, "run-2", () => now);
    }
}
