using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;
using Microsoft.Data.Sqlite;

namespace HaloSync.Engine.Tests.State;

/// <summary>What unattended runs do to a state file: a -WhatIf preview after a module update, two processes opening it at once, a lease whose release failed.</summary>
public sealed class StateFileRobustnessTests : IDisposable
{
    private readonly TempStateFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void WhatIf_on_a_file_of_the_previous_schema_refuses_and_leaves_it_for_the_previous_module()
    {
        using (var old = StateStore.Open(folder.DatabasePath, StateSchema.Migrations.Take(StateSchema.LatestVersion - 1).ToList(), TimeSpan.FromSeconds(1)))
        {
            Assert.Equal(StateSchema.LatestVersion - 1, old.SchemaVersion);
        }

        var before = File.ReadAllBytes(folder.DatabasePath);

        var error = Assert.Throws<HaloSyncException>(() => StateStore.OpenExisting(folder.DatabasePath, whatIf: true).Dispose());

        Assert.Equal("StateSchemaUpgradeNeeded", error.ErrorId);
        Assert.Contains($"has schema version {StateSchema.LatestVersion - 1}, from an earlier HaloSync", error.Message);
        Assert.Equal(before, File.ReadAllBytes(folder.DatabasePath));
        // The module a scheduled task still loads opens it as before; a read without -WhatIf upgrades it.
        StateStore.Open(folder.DatabasePath, StateSchema.Migrations.Take(StateSchema.LatestVersion - 1).ToList(), TimeSpan.FromSeconds(1)).Dispose();
        using var upgraded = StateStore.OpenExisting(folder.DatabasePath);
        Assert.Equal(StateSchema.LatestVersion, upgraded.SchemaVersion);
    }

    // After a module update a scheduled run and an admin's command may open the old file at once; on a new machine,
    // Connect-HaloPsa and the first scheduled run may create it at once. Each migration is applied once, by one of them.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Two_processes_opening_a_file_to_upgrade_at_once_both_get_it_upgraded(bool oldFile)
    {
        var failures = new List<string>();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var path = Path.Combine(folder.Root, $"race-{attempt}.db");
            if (oldFile)
            {
                StateStore.Open(path, StateSchema.Migrations.Take(StateSchema.LatestVersion - 1).ToList(), TimeSpan.FromSeconds(1)).Dispose();
            }

            using var start = new Barrier(2);
            var opens = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                try
                {
                    using var store = StateStore.Open(path);
                    return store.SchemaVersion == StateSchema.LatestVersion ? null : $"schema {store.SchemaVersion}";
                }
                catch (HaloSyncException ex)
                {
                    return ex.ErrorId + ": " + ex.Message;
                }
            })).ToArray();
            failures.AddRange((await Task.WhenAll(opens)).OfType<string>());
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of 40 opens failed; first: {failures.FirstOrDefault()}");
    }

    // The run's release fails (the file write-locked past the busy timeout, e.g. by a SQLite browser): the run's work
    // stands (no exception out of Dispose), and the next run of the same pwsh session takes the lease over.
    [Fact]
    public void A_lease_whose_release_failed_does_not_fail_the_run_nor_block_this_session()
    {
        var now = DateTimeOffset.Parse("2026-12-07T08:00:00Z");
        var lease = RunLease.Acquire(folder.DatabasePath, "first", () => now);
        using (var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = folder.DatabasePath, Pooling = false }.ToString()))
        {
            other.Open();
            using var command = other.CreateCommand();
            command.CommandText = "BEGIN IMMEDIATE;";
            command.ExecuteNonQuery();
            Assert.Null(Record.Exception(() => lease.Dispose()));
            command.CommandText = "ROLLBACK;";
            command.ExecuteNonQuery();
        }

        using var next = RunLease.Acquire(folder.DatabasePath, "second", () => now.AddMinutes(1));

        Assert.NotNull(next);
    }
}
