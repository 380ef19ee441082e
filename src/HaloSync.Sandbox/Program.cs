using System;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Sandbox;
using HaloSync.Simulators.Sandbox;

// Starts the HaloPSA and Sherweb simulators with the demo data set on 127.0.0.1 and prints what to connect with.
//   dotnet out/sandbox/HaloSync.Sandbox.dll [--halo-port 5180] [--sherweb-port 5181] [--latency-ms 25] [--json]
// Exit codes: 0 stopped normally, 2 bad arguments, 3 a port is in use or cannot be bound.
var options = SandboxOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine("HaloSync sandbox: " + error);
    Console.Error.WriteLine(SandboxOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(SandboxOptions.Usage);
    return 0;
}

Sandbox sandbox;
try
{
    sandbox = await Sandbox.StartAsync(DateTime.UtcNow.Date, options.HaloPort, options.SherwebPort,
        options.Organizations > 0 ? new ScaleDataSet(options.Organizations, options.SubscriptionsPerOrganization) : null,
        new HaloSync.Simulators.HaloPsa.HaloPsaSimulatorOptions { RateLimit = options.HaloRateLimit == 0 ? int.MaxValue : options.HaloRateLimit });
}
catch (Exception ex) when (BindFailure(ex) is { } reason)
{
    Console.Error.WriteLine($"HaloSync sandbox: {reason} Pick another port with --halo-port/--sherweb-port, or 0 for a free one.");
    return 3;
}

await using (sandbox)
{
    sandbox.Halo.Host.Latency = options.Latency;
    sandbox.Sherweb.Latency = options.Latency;

    var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.TrySetResult();
    };
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stop.TrySetResult();
    });

    if (options.Json)
    {
        var line = JsonSerializer.Serialize(new
        {
            environment = sandbox.EnvironmentVariables.OrderBy(p => p.Key).ToDictionary(p => p.Key, p => p.Value),
            haloControlUri = sandbox.Halo.BaseAddress + "_sim/",
            sherwebControlUri = sandbox.Sherweb.BaseAddress + "_sim/",
            latencyMs = (int)options.Latency.TotalMilliseconds,
            processId = Environment.ProcessId,
        });
        Console.Out.WriteLine(line);
        Console.Out.Flush();

        // The parent holds standard input: when it closes it (or dies), the sandbox goes too, so none is left behind.
        _ = Task.Run(() =>
        {
            try
            {
                using var input = Console.OpenStandardInput();
                var buffer = new byte[256];
                while (input.Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            stop.TrySetResult();
        });
    }
    else
    {
        Console.WriteLine("HaloSync sandbox: fake HaloPSA and Sherweb with demo data (credentials below work only here).");
        Console.WriteLine($"  HaloPSA: {sandbox.Halo.BaseAddress}  (control surface: {sandbox.Halo.BaseAddress}_sim/)");
        Console.WriteLine($"  Sherweb: {sandbox.Sherweb.BaseAddress}  (control surface: {sandbox.Sherweb.BaseAddress}_sim/)");
        if (options.Latency > TimeSpan.Zero)
        {
            Console.WriteLine($"  Latency: {options.Latency.TotalMilliseconds:0} ms added to every API request");
        }

        Console.WriteLine();
        Console.WriteLine("In pwsh, paste these lines, then run: ./examples/main-job.ps1");
        foreach (var (name, value) in sandbox.EnvironmentVariables.OrderBy(p => p.Key))
        {
            Console.WriteLine($"  $env:{name} = '{value}'");
        }

        Console.WriteLine();
        Console.WriteLine("Press Ctrl+C to stop.");
    }

    await stop.Task;
}

return 0;

// A port that is taken (or not ours to bind) gives one clear line, not a stack trace.
static string? BindFailure(Exception ex)
{
    for (var e = ex; e is not null; e = e.InnerException)
    {
        if (e is IOException io && io.Message.StartsWith("Failed to bind", StringComparison.Ordinal))
        {
            return io.Message.TrimEnd('.') + ".";
        }

        if (e is SocketException socket && socket.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return socket.Message;
        }
    }

    return null;
}
