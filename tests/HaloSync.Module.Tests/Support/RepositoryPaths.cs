using System;
using System.IO;

namespace HaloSync.Module.Tests.Support;

/// <summary>Finds the staged module that the build produced in this repository.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string ModuleFolder => Path.Combine(Root, "out", "HaloSync");

    public static string ModuleManifest
    {
        get
        {
            var manifest = Path.Combine(ModuleFolder, "HaloSync.psd1");
            if (!File.Exists(manifest))
            {
                throw new InvalidOperationException($"The staged module '{manifest}' is missing. Run 'dotnet build HaloSync.sln' first.");
            }

            return manifest;
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HaloSync.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find HaloSync.sln above " + AppContext.BaseDirectory);
    }
}
