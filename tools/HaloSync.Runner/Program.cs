using System;
using System.IO;
using HaloSync.Runner;
using HaloSync.Simulators.Sandbox;

// A pwsh stand-in for machines without PowerShell: imports the staged module folder the way pwsh does
// (this program does not reference the module) and runs a script file or a command.
//   HaloSync.Runner [--module <path to HaloSync.psd1>] <script.ps1> [script arguments...]
//   HaloSync.Runner [--module <path to HaloSync.psd1>] --command "<PowerShell>"
// With --sandbox, the HaloPSA and Sherweb simulators run in this process with the demo data set.
var options = RunnerOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("Usage: HaloSync.Runner [--module <HaloSync.psd1>] [--sandbox [--latency-ms N]] (<script.ps1> [args...] | --command <text>)");
    return 2;
}

if (!File.Exists(options.ModuleManifest))
{
    Console.Error.WriteLine($"The module manifest '{options.ModuleManifest}' does not exist. Build first: dotnet build HaloSync.sln");
    return 2;
}

if (!options.Sandbox)
{
    return ScriptHost.Run(options, Console.Out, Console.Error);
}

await using var sandbox = await Sandbox.StartAsync(DateTime.UtcNow.Date);
sandbox.Halo.Host.Latency = options.SandboxLatency;
sandbox.Sherweb.Latency = options.SandboxLatency;
foreach (var (name, value) in sandbox.EnvironmentVariables)
{
    Environment.SetEnvironmentVariable(name, value);
}

Console.WriteLine($"Sandbox running: HaloPSA {sandbox.Halo.BaseAddress}, Sherweb {sandbox.Sherweb.BaseAddress}");
return ScriptHost.Run(options, Console.Out, Console.Error);
