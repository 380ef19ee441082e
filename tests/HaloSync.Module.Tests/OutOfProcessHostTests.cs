using System.Diagnostics;
using System.IO;
using HaloSync.Module.Tests.Support;

namespace HaloSync.Module.Tests;

/// <summary>
/// Loads the staged module in a separate process that references neither the module nor SQLite, as
/// pwsh does: catches a missing managed dependency or native library that an in-process test could hide.
/// </summary>
public sealed class OutOfProcessHostTests
{
    [Fact]
    public void A_host_that_does_not_reference_the_module_imports_it_and_opens_SQLite_through_the_environment_path()
    {
        var folder = Path.Combine(Path.GetTempPath(), "halosync-oop", Path.GetRandomFileName());
        var statePath = Path.Combine(folder, "state", "halosync.db");
        try
        {
            var (exitCode, output, error) = RunRunner(
                "Set-HaloSyncConfiguration -InvoiceDay 28 -BillingMethod PostBill; Get-HaloSyncConfiguration",
                statePath);

            Assert.True(exitCode == 0, $"exit {exitCode}: {error}");
            Assert.True(File.Exists(statePath), "the state database was not created at HALOSYNC_STATE_PATH");
            Assert.Contains("InvoiceDay BillingMethod", output); // the module's table view
            Assert.Matches(@"\s28 PostBill", output);
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public void A_failing_command_in_the_host_process_exits_non_zero_with_the_error_text()
    {
        var folder = Path.Combine(Path.GetTempPath(), "halosync-oop", Path.GetRandomFileName());
        try
        {
            var (exitCode, _, error) = RunRunner("Set-HaloSyncConfiguration -InvoiceDay 32", Path.Combine(folder, "x.db"));

            Assert.Equal(1, exitCode);
            Assert.Contains("from 1 to 31", error);
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    [Fact]
    public void The_README_main_job_runs_end_to_end_against_the_sandbox()
    {
        var folder = Path.Combine(Path.GetTempPath(), "halosync-oop", Path.GetRandomFileName());
        try
        {
            var (exitCode, output, error) = Run(new[] { "--sandbox", Path.Combine(RepositoryPaths.Root, "examples", "main-job.ps1") },
                Path.Combine(folder, "halosync.db"));

            Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
            Assert.Contains("Cumulus: 30 organizations", output);
            Assert.Contains("HaloPSA: 27 clients", output);
            Assert.Contains("MS-TEAMS-ESS", output);
            Assert.Contains("Mapped 2 of 3 rows from product-mappings.csv; 1 need attention:", output);
            Assert.Contains("Row 3: No HaloPSA item has the id or name 'Acronis Cyber Protect'", output);
            Assert.Contains("Organizations mapped: 27; not mapped: 3.", output);
            Assert.Matches(@"Planned: \d+ events\.", output);
            Assert.Contains("Second run: 0 changes", output);
            Assert.Contains("Failed events: 0.", output);
            Assert.DoesNotContain("demo-sherweb-secret-not-real", output);
        }
        finally
        {
            DeleteFolder(folder);
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (int ExitCode, string Output, string Error) RunRunner(string command, string statePath)
        => Run(new[] { "--command", command }, statePath);

    private static (int ExitCode, string Output, string Error) Run(string[] arguments, string statePath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.RunnerDll);
        start.ArgumentList.Add("--module");
        start.ArgumentList.Add(RepositoryPaths.ModuleManifest);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HALOSYNC_STATE_PATH"] = statePath;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "the runner did not finish in 2 minutes");
        return (process.ExitCode, output.Result, error.Result);
    }
}
