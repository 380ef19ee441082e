using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HaloSync.Engine.State;

/// <summary>
/// Makes the native SQLite library that ships in the module folder (runtimes/&lt;rid&gt;/native) loadable.
/// PowerShell ignores a binary module's deps.json, so the runtime never finds it by itself.
/// Windows: pre-load e_sqlite3.dll by full path; later DllImports of "e_sqlite3" reuse it.
/// Unix (PowerShell 7): a DllImportResolver on the SQLitePCLRaw provider assembly, set through
/// reflection because netstandard2.0 lacks the API.
/// </summary>
public static class NativeSqliteLoader
{
    private const string LibraryName = "e_sqlite3";
    private static readonly object Gate = new();
    private static string? loadedFrom;

    /// <summary>Where the native library was loaded from, or null when the runtime's own probing is used.</summary>
    public static string? LoadedFrom => loadedFrom;

    /// <summary>Idempotent and thread-safe; call before the first SqliteConnection.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loadedFrom is not null)
            {
                return;
            }

            var nativePath = FindShippedLibrary();
            if (nativePath is null)
            {
                // Not running from the module folder (e.g. a test host whose deps.json lists the
                // natives): the runtime's normal probing finds the library.
                loadedFrom = string.Empty;
                UseShippedProvider();
                return;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                PreloadOnWindows(nativePath);
            }
            else
            {
                RegisterResolver(nativePath);
            }

            loadedFrom = nativePath;
            UseShippedProvider();
        }
    }

    /// <summary>
    /// Microsoft.Data.Sqlite finds its SQLite provider by a reflection lookup of SQLitePCLRaw.batteries_v2 by name,
    /// which .NET Framework may not resolve next to a module loaded by path; naming the provider removes that lookup.
    /// </summary>
    private static void UseShippedProvider() => SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());

    internal static string RuntimeIdentifier()
    {
        var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
            : "linux";
        var arch = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        return os + "-" + arch;
    }

    internal static string NativeFileName()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return LibraryName + ".dll";
        }

        return RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "lib" + LibraryName + ".dylib" : "lib" + LibraryName + ".so";
    }

    private static string? FindShippedLibrary()
    {
        var moduleDirectory = Path.GetDirectoryName(typeof(NativeSqliteLoader).Assembly.Location);
        if (string.IsNullOrEmpty(moduleDirectory))
        {
            return null;
        }

        var path = Path.Combine(moduleDirectory, "runtimes", RuntimeIdentifier(), "native", NativeFileName());
        return File.Exists(path) ? path : null;
    }

    private static void PreloadOnWindows(string nativePath)
    {
        if (LoadLibraryW(nativePath) == IntPtr.Zero)
        {
            var code = Marshal.GetLastWin32Error();
            throw new HaloSyncException(
                "NativeSqliteLoadFailed",
                HaloSyncErrorKind.ResourceUnavailable,
                $"Could not load the native SQLite library '{nativePath}' (Windows error {code}). " +
                "Reinstall the HaloSync module; the file must match this PowerShell's architecture.");
        }
    }

    private static void RegisterResolver(string nativePath)
    {
        var nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary", throwOnError: false);
        var resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver", throwOnError: false);
        if (nativeLibrary is null || resolverType is null)
        {
            return;
        }

        var load = nativeLibrary.GetMethod("Load", new[] { typeof(string) })!;
        var setResolver = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType })!;
        var resolver = new LibraryResolver(nativePath, path => (IntPtr)load.Invoke(null, new object[] { path })!);
        var callback = Delegate.CreateDelegate(resolverType, resolver, typeof(LibraryResolver).GetMethod(nameof(LibraryResolver.Resolve))!);
        var providerAssembly = typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly;
        try
        {
            setResolver.Invoke(null, new object[] { providerAssembly, callback });
        }
        catch (TargetInvocationException ex) when (ex.InnerException is InvalidOperationException)
        {
            // Another module already registered a resolver for this provider; it resolves e_sqlite3 itself.
        }
    }

    [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
    private static extern IntPtr LoadLibraryW(string path);

    private sealed class LibraryResolver
    {
        private readonly string nativePath;
        private readonly Func<string, IntPtr> load;

        public LibraryResolver(string nativePath, Func<string, IntPtr> load)
        {
            this.nativePath = nativePath;
            this.load = load;
        }

        public IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
            => libraryName == LibraryName ? load(nativePath) : IntPtr.Zero;
    }
}
