using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using HaloSync.Module.Tests.Support;

namespace HaloSync.Module.Tests;

public sealed class ModuleManifestTests
{
    [Fact]
    public void The_manifest_exports_exactly_the_cmdlets_compiled_into_the_dll()
    {
        using var session = new ModuleSession();
        var result = session.Run("""
            $manifest = Test-ModuleManifest -Path $ManifestPath
            $compiled = (Get-Module HaloSync).ImplementingAssembly.GetTypes() |
                Where-Object { $_.IsDefined([System.Management.Automation.CmdletAttribute], $false) } |
                ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" }
            [pscustomobject]@{ Exported = @($manifest.ExportedCmdlets.Keys); Compiled = @($compiled); Loaded = @((Get-Module HaloSync).ExportedCmdlets.Keys) }
            """, new Dictionary<string, object?> { ["ManifestPath"] = RepositoryPaths.ModuleManifest });

        var row = result.Single();
        var exported = Names(row, "Exported");
        var compiled = Names(row, "Compiled");
        Assert.NotEmpty(compiled);
        Assert.Equal(compiled, exported);
        Assert.Equal(compiled, Names(row, "Loaded"));
    }

    [Fact]
    public void The_manifest_declares_both_editions_PowerShell_5_1_and_gallery_tags()
    {
        using var session = new ModuleSession();
        var module = session.Run("Test-ModuleManifest -Path $ManifestPath", new Dictionary<string, object?> { ["ManifestPath"] = RepositoryPaths.ModuleManifest }).Single();

        Assert.Equal(new[] { "Desktop", "Core" }, module.Property<string[]>("CompatiblePSEditions"));
        Assert.Equal("5.1", module.Property<System.Version>("PowerShellVersion").ToString());
        Assert.Equal("0.1.0", module.Property<System.Version>("Version").ToString());
        Assert.Contains("PSEdition_Desktop", module.Property<string[]>("Tags"));
        Assert.Contains("PSEdition_Core", module.Property<string[]>("Tags"));
        var manifestText = File.ReadAllText(RepositoryPaths.ModuleManifest);
        Assert.DoesNotContain("CmdletsToExport       = '*'", manifestText);
    }

    [Fact]
    public void The_manifest_names_no_web_address_and_the_module_folder_carries_the_MIT_licence()
    {
        using var session = new ModuleSession();
        var module = session.Run("Test-ModuleManifest -Path $ManifestPath", new Dictionary<string, object?> { ["ManifestPath"] = RepositoryPaths.ModuleManifest }).Single();

        // There is no public repository or licence page yet: an address that does not exist misleads the gallery and users.
        Assert.Null(module.Properties["ProjectUri"]?.Value);
        Assert.Null(module.Properties["LicenseUri"]?.Value);
        Assert.Null(module.Properties["ReleaseNotes"]?.Value);
        Assert.DoesNotMatch(@"https?://", File.ReadAllText(RepositoryPaths.ModuleManifest));
        var licence = File.ReadAllText(Path.Combine(RepositoryPaths.ModuleFolder, "LICENSE"));
        Assert.StartsWith("MIT License", licence);
        Assert.Contains("Copyright (c) HaloSync contributors", licence);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "LICENSE")), licence);
    }

    [Fact]
    public void The_staged_folder_ships_native_SQLite_for_every_platform_help_and_formats_but_not_the_reference_assembly()
    {
        var folder = RepositoryPaths.ModuleFolder;
        foreach (var (rid, file) in new[]
                 {
                     ("win-x64", "e_sqlite3.dll"), ("win-x86", "e_sqlite3.dll"), ("win-arm64", "e_sqlite3.dll"),
                     ("linux-x64", "libe_sqlite3.so"), ("linux-arm64", "libe_sqlite3.so"),
                     ("osx-x64", "libe_sqlite3.dylib"), ("osx-arm64", "libe_sqlite3.dylib"),
                 })
        {
            Assert.True(File.Exists(Path.Combine(folder, "runtimes", rid, "native", file)), $"missing native SQLite for {rid}");
        }

        Assert.True(File.Exists(Path.Combine(folder, "en-US", "HaloSync.dll-Help.xml")));
        Assert.True(File.Exists(Path.Combine(folder, "HaloSync.Format.ps1xml")));
        Assert.True(File.Exists(Path.Combine(folder, "HaloSync.Types.ps1xml")));
        foreach (var dll in new[] { "HaloSync.dll", "HaloSync.Engine.dll", "Microsoft.Data.Sqlite.dll", "SQLitePCLRaw.core.dll",
                     "SQLitePCLRaw.provider.e_sqlite3.dll", "SQLitePCLRaw.batteries_v2.dll", "Newtonsoft.Json.dll", "System.Memory.dll" })
        {
            Assert.True(File.Exists(Path.Combine(folder, dll)), $"missing {dll}");
        }

        Assert.False(File.Exists(Path.Combine(folder, "System.Management.Automation.dll")));
    }

    [Fact]
    public void Every_assembly_a_shipped_dll_references_is_shipped_at_that_exact_version_or_given_by_Windows_PowerShell()
    {
        // Windows PowerShell 5.1 cannot run here, and a module cannot add binding redirects to it: each reference of each
        // shipped dll must be a file of the module folder at exactly its version, or what .NET Framework 4.7.2 (with its
        // netstandard facades) and PowerShell give, at a version they have.
        var given = new Dictionary<string, System.Version>
        {
            ["netstandard"] = new(2, 0, 0, 0), ["mscorlib"] = new(4, 0, 0, 0), ["System"] = new(4, 0, 0, 0), ["System.Core"] = new(4, 0, 0, 0),
            ["System.Runtime"] = new(4, 0, 0, 0), ["System.Management.Automation"] = new(3, 0, 0, 0),
        };
        var dlls = Directory.GetFiles(RepositoryPaths.ModuleFolder, "*.dll");
        var shipped = dlls.Select(System.Reflection.AssemblyName.GetAssemblyName).ToDictionary(a => a.Name!, a => a.Version!);
        var unmet = new List<string>();
        foreach (var dll in dlls)
        {
            using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(dll));
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetAssemblyReference(handle);
                var name = metadata.GetString(reference.Name);
                var met = shipped.TryGetValue(name, out var version) ? version == reference.Version
                    : given.TryGetValue(name, out var available) && reference.Version <= available;
                if (!met)
                {
                    unmet.Add($"{Path.GetFileName(dll)} needs {name} {reference.Version}" + (version is null ? ", which is not shipped" : $", shipped at {version}"));
                }
            }
        }

        Assert.True(shipped.ContainsKey("HaloSync.Engine") && shipped.ContainsKey("System.Memory"));
        Assert.Empty(unmet);
    }

    [Fact]
    public void Native_SQLite_is_loaded_from_the_staged_module_folder()
    {
        using var session = new ModuleSession();
        var result = session.Run("""
            Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 1
            [HaloSync.Engine.State.NativeSqliteLoader]::LoadedFrom
            """);

        var loadedFrom = result.Single().BaseObject as string;
        Assert.StartsWith(Path.Combine(RepositoryPaths.ModuleFolder, "runtimes"), loadedFrom);
    }

    private static List<string> Names(PSObject row, string property)
        => row.Property<object[]>(property).Select(o => o.ToString()!).OrderBy(n => n, System.StringComparer.Ordinal).ToList();
}
