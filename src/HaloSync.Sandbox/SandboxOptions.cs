using System;
using System.Globalization;

namespace HaloSync.Sandbox;

/// <summary>The sandbox's command line.</summary>
internal sealed class SandboxOptions
{
    public const string Usage = """
        Usage: dotnet out/sandbox/HaloSync.Sandbox.dll [--halo-port N] [--sherweb-port N] [--latency-ms N]
                 [--organizations N [--subscriptions-per-organization M]] [--halo-rate-limit N] [--json]
          --halo-port N     HaloPSA simulator port on 127.0.0.1 (default 5180; 0 = a free port)
          --sherweb-port N  Sherweb simulator port on 127.0.0.1 (default 5181; 0 = a free port)
          --latency-ms N    added to every simulated API request (default 0)
          --organizations N a benchmark account of N organizations (and as many HaloPSA clients) instead of
                            the demo data; --subscriptions-per-organization M (default 10) monthly each
          --halo-rate-limit N  HaloPSA answers 429 beyond N requests per rolling 5 minutes (default 300;
                            0 turns the limit off)
          --json            print one line of JSON (HALOSYNC_SANDBOX_* values and control URLs), then run
                            until standard input closes, SIGTERM or Ctrl+C (for scripts: examples/sandbox.ps1)
        """;

    public int HaloPort { get; private set; } = 5180;

    public int SherwebPort { get; private set; } = 5181;

    public TimeSpan Latency { get; private set; }

    public bool Json { get; private set; }

    /// <summary>Organizations of the benchmark account; 0 for the demo data set.</summary>
    public int Organizations { get; private set; }

    public int SubscriptionsPerOrganization { get; private set; } = 10;

    /// <summary>HaloPSA requests per rolling 5 minutes before 429; 0 for no limit.</summary>
    public int HaloRateLimit { get; private set; } = 300;

    public bool Help { get; private set; }

    /// <returns>The options, or null with <paramref name="error"/> saying what is wrong.</returns>
    public static SandboxOptions? Parse(string[] args, out string? error)
    {
        var options = new SandboxOptions();
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--halo-port":
                    options.HaloPort = Number(args, ref i, 0, 65535, ref error);
                    break;
                case "--sherweb-port":
                    options.SherwebPort = Number(args, ref i, 0, 65535, ref error);
                    break;
                case "--latency-ms":
                    options.Latency = TimeSpan.FromMilliseconds(Number(args, ref i, 0, 60_000, ref error));
                    break;
                case "--organizations":
                    options.Organizations = Number(args, ref i, 1, 100_000, ref error);
                    break;
                case "--subscriptions-per-organization":
                    options.SubscriptionsPerOrganization = Number(args, ref i, 1, 1_000, ref error);
                    break;
                case "--halo-rate-limit":
                    options.HaloRateLimit = Number(args, ref i, 0, 1_000_000, ref error);
                    break;
                case "--json":
                    options.Json = true;
                    break;
                case "-h":
                case "--help":
                    options.Help = true;
                    break;
                default:
                    error = $"Unknown argument '{args[i]}'.";
                    break;
            }

            if (error is not null)
            {
                return null;
            }
        }

        return options;
    }

    private static int Number(string[] args, ref int i, int min, int max, ref string? error)
    {
        var name = args[i];
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            error = $"{name} needs a whole number from {min} to {max}.";
            return 0;
        }

        i++;
        return value;
    }
}
