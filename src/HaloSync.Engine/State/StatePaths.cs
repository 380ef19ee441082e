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
            return FullPath(explicitPath!.Trim(), "-StatePath");
        }

        // cmd's `set HALOSYNC_STATE_PATH="C:\..."` keeps the quotes in the value.
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable)?.Trim().Trim('"').Trim();
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return FullPath(fromEnvironment!, EnvironmentVariable);
        }

        return DefaultPath();
    }

    private static string FullPath(string path, string source)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new HaloSyncException("InvalidStatePath", HaloSyncErrorKind.InvalidArgument,
                $"The state path '{path.Replace("\0", string.Empty)}' given by {source} is not a valid file path ({ex.Message.TrimEnd('.')}). " +
                "Give the full path of the state file, such as C:\\HaloSync\\halosync.db, without quotes inside the value.", ex);
        }
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
