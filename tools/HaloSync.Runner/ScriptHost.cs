using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace HaloSync.Runner;

internal static class ScriptHost
{
    public static int Run(RunnerOptions options, TextWriter output, TextWriter error)
    {
        var plainText = Console.IsOutputRedirected || Environment.GetEnvironmentVariable("NO_COLOR") is not null;
        var host = new ConsoleHost(output, error, plainText);
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(options.ModuleManifest);
        using var runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        if (options.ScriptPath is not null)
        {
            shell.AddCommand(options.ScriptPath);
            foreach (var argument in options.ScriptArguments)
            {
                shell.AddArgument(argument);
            }
        }
        else
        {
            shell.AddScript(options.Command!);
        }

        shell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        shell.AddCommand("Out-Default");
        try
        {
            shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            error.WriteLine(ex.ErrorRecord?.ToString() ?? ex.Message);
            return 1;
        }

        // As pwsh: a script file fails only when it stops on an error (errors it reports and handles
        // itself do not fail it); a command fails when it wrote any error.
        return options.ScriptPath is null && shell.HadErrors ? 1 : 0;
    }
}
