using System;
using System.Collections.Generic;
using System.IO;

namespace HaloSync.Engine.Configuration;

/// <summary>
/// IANA time zone ids and their Windows equivalents (CLDR's windowsZones, as .NET gives them; written by
/// tools/Update-TimeZoneMap.ps1), for runtimes that know Windows ids only.
/// </summary>
internal static class IanaWindowsZones
{
    private static readonly Lazy<Dictionary<string, string>> Table = new(Load);

    /// <summary>The Windows id of an IANA id ('America/Toronto' is 'Eastern Standard Time'), or null if it has none.</summary>
    public static string? WindowsId(string ianaId) => Table.Value.TryGetValue(ianaId, out var windowsId) ? windowsId : null;

    private static Dictionary<string, string> Load()
    {
        var table = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        using var stream = typeof(IanaWindowsZones).Assembly.GetManifestResourceStream("HaloSync.Engine.Configuration.IanaWindowsZones.txt")
            ?? throw new InvalidOperationException("The time zone table is missing from HaloSync.Engine.dll.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var tab = line.IndexOf('\t');
            if (tab > 0)
            {
                table[line.Substring(0, tab)] = line.Substring(tab + 1);
            }
        }

        return table;
    }
}
