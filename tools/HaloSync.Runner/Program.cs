using System;
using System.IO;
using HaloSync.Runner;

// A pwsh stand-in for machines without PowerShell: imports the staged module folder the way pwsh does
// (this program does not reference the module) and runs a script file or a command.
//   HaloSync.Runner [--module <path to HaloSync.psd1>] <script.ps1> [script arguments...]
//   HaloSync.Runner [--module <path to HaloSync.psd1>] --command "<PowerShell>"
var options = RunnerOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("Usage: HaloSync.Runner [--module <HaloSync.psd1>] (<script.ps1> [args...] | --command <text>)");
    return 2;
}

if (!File.Exists(options.ModuleManifest))
{
    Console.Error.WriteLine($"The module manifest '{options.ModuleManifest}' does not exist. Build first: dotnet build HaloSync.sln");
    return 2;
}

return ScriptHost.Run(options, Console.Out, Console.Error);
