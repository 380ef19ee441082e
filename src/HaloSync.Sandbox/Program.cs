using System;
using System.Linq;
using System.Threading;
using HaloSync.Simulators.Sandbox;

// Starts the HaloPSA and Sherweb simulators with the demo data set on 127.0.0.1 and prints what to connect with.
//   dotnet run --project src/HaloSync.Sandbox [-- --halo-port 5180 --sherweb-port 5181]
var haloPort = PortArgument(args, "--halo-port", 5180);
var sherwebPort = PortArgument(args, "--sherweb-port", 5181);
await using var sandbox = await Sandbox.StartAsync(DateTime.UtcNow.Date, haloPort, sherwebPort);

Console.WriteLine("HaloSync sandbox: fake HaloPSA and Sherweb with demo data (credentials below work only here).");
Console.WriteLine($"  HaloPSA: {sandbox.Halo.BaseAddress}  (control surface: {sandbox.Halo.BaseAddress}_sim/)");
Console.WriteLine($"  Sherweb: {sandbox.Sherweb.BaseAddress}  (control surface: {sandbox.Sherweb.BaseAddress}_sim/)");
Console.WriteLine();
Console.WriteLine("In pwsh, paste these lines, then run: ./examples/main-job.ps1");
foreach (var (name, value) in sandbox.EnvironmentVariables.OrderBy(p => p.Key))
{
    Console.WriteLine($"  $env:{name} = '{value}'");
}

Console.WriteLine();
Console.WriteLine("Press Ctrl+C to stop.");
var stopped = new ManualResetEventSlim();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.Set();
};
stopped.Wait();
return 0;

static int PortArgument(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var port) ? port : fallback;
}
