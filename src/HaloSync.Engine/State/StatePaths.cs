using System;
using System.IO;

namespace HaloSync.Engine.State;

/// <summary>Where the state database lives: an explicit path, then HALOSYNC_STATE_PATH, then local app data.</summary>
public static class StatePaths
{
    public const string EnvironmentVariable = "HALOSYNC_STATE_PATH";

    public static string Resolve(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath!.Trim());
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment!.Trim());
        }

        return DefaultPath();
    }

    public static string DefaultPath()
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(root, "HaloSync", "halosync.db");
    }
}
