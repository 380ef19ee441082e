using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace HaloSync.Module.Tests.Support;

/// <summary>
/// A real runspace with pwsh's full default session state (Microsoft.PowerShell.SDK: Import-Csv,
/// Format-Table, Select-Object... as in pwsh) that imports the staged module folder, plus a private
/// state database file, for one test.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    private readonly Runspace runspace;

    public ModuleSession()
    {
        StateFolder = Path.Combine(Path.GetTempPath(), "halosync-module-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(StateFolder);
        StatePath = Path.Combine(StateFolder, "halosync.db");
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(RepositoryPaths.ModuleManifest);
        runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
    }

    public string StateFolder { get; }

    public string StatePath { get; }

    /// <summary>Runs a script; <paramref name="variables"/> become script variables ($name).</summary>
    public ScriptResult Run(string script, Dictionary<string, object?>? variables = null)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        foreach (var pair in variables ?? new Dictionary<string, object?>())
        {
            runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
        }

        runspace.SessionStateProxy.SetVariable("StatePath", StatePath);
        shell.AddScript(script);
        Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            return new ScriptResult(new List<PSObject>(), shell.Streams.Error.ToList(), shell.Streams.Progress.ToList(), ex);
        }

        return new ScriptResult(output.ToList(), shell.Streams.Error.ToList(), shell.Streams.Progress.ToList(), null);
    }

    public void Dispose()
    {
        runspace.Dispose();
        try
        {
            Directory.Delete(StateFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record ScriptResult(List<PSObject> Output, List<ErrorRecord> Errors, List<ProgressRecord> Progress, RuntimeException? Terminating)
{
    public PSObject Single()
    {
        AssertNoErrors();
        return Assert.Single(Output);
    }

    public void AssertNoErrors()
    {
        Assert.True(Terminating is null, "terminating error: " + Terminating?.Message);
        Assert.True(Errors.Count == 0, "errors: " + string.Join(" | ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
    }

    /// <summary>The one error the script raised, terminating or not.</summary>
    public ErrorRecord OnlyError()
    {
        if (Terminating is not null)
        {
            Assert.DoesNotContain(Errors, e => e.FullyQualifiedErrorId != Terminating.ErrorRecord.FullyQualifiedErrorId);
            return Terminating.ErrorRecord;
        }

        return Assert.Single(Errors);
    }
}

public static class PSObjectExtensions
{
    public static T Property<T>(this PSObject value, string name)
    {
        var property = value.Properties[name] ?? throw new InvalidOperationException($"No property '{name}' on {value.TypeNames.FirstOrDefault()}");
        return LanguagePrimitives.ConvertTo<T>(property.Value);
    }
}
