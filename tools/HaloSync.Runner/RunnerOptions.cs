using System;
using System.Collections.Generic;
using System.IO;

namespace HaloSync.Runner;

internal sealed class RunnerOptions
{
    public string ModuleManifest { get; private set; } = DefaultManifest();
    public string? ScriptPath { get; private set; }
    public string? Command { get; private set; }

    /// <summary>Start the HaloPSA and Sherweb sandbox in this process and pass its address and credentials as HALOSYNC_SANDBOX_* variables.</summary>
    public bool Sandbox { get; private set; }

    /// <summary>With --sandbox: latency added to every simulator request, to measure against a realistic network.</summary>
    public TimeSpan SandboxLatency { get; private set; }
    public List<string> ScriptArguments { get; } = new();

    public static RunnerOptions? Parse(string[] args)
    {
        var options = new RunnerOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (options.ScriptPath is null && args[i] == "--module" && i + 1 < args.Length)
            {
                options.ModuleManifest = Path.GetFullPath(args[++i]);
            }
            else if (options.ScriptPath is null && args[i] == "--sandbox")
            {
                options.Sandbox = true;
            }
            else if (options.ScriptPath is null && args[i] == "--latency-ms" && i + 1 < args.Length && int.TryParse(args[i + 1], out var latency))
            {
                options.SandboxLatency = TimeSpan.FromMilliseconds(latency);
                i++;
            }
            else if (options.ScriptPath is null && args[i] == "--command" && i + 1 < args.Length)
            {
                options.Command = args[++i];
            }
            else if (options.ScriptPath is null && options.Command is null)
            {
                options.ScriptPath = Path.GetFullPath(args[i]);
            }
            else
            {
                options.ScriptArguments.Add(args[i]);
            }
        }

        return options.ScriptPath is null == options.Command is null ? null : options;
    }

    /// <summary>out/HaloSync/HaloSync.psd1 of the repository this runner was built from, found by walking up.</summary>
    private static string DefaultManifest()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "out", "HaloSync", "HaloSync.psd1");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(Path.Combine("out", "HaloSync", "HaloSync.psd1"));
    }
}
