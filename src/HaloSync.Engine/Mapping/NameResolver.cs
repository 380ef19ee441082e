using System;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Engine.Mapping;

/// <summary>
/// Finds one record by id or by name. A name that matches none or several gives an error listing the
/// candidates, so a spreadsheet row can be fixed without another lookup.
/// </summary>
public static class NameResolver
{
    private const int CandidatesShown = 10;

    /// <param name="what">How the message names the record, e.g. "Cumulus organization"; its words in title case start the error id.</param>
    public static T Resolve<T>(string input, IEnumerable<T> records, Func<T, string> id, Func<T, string> name, string what, string listCommand)
    {
        var wanted = (input ?? string.Empty).Trim();
        var all = records.ToList();
        var byId = all.Where(r => string.Equals(id(r), wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byId.Count == 1)
        {
            return byId[0];
        }

        var byName = all.Where(r => string.Equals(name(r).Trim(), wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byName.Count == 1)
        {
            return byName[0];
        }

        if (byName.Count > 1)
        {
            throw new HaloSyncException(ErrorIdPrefix(what) + "Ambiguous", HaloSyncErrorKind.InvalidArgument,
                $"The {what} name '{wanted}' matches {byName.Count} records: {Describe(byName, id, name)}. Give the id instead.");
        }

        var similar = all.Where(r => name(r).IndexOf(wanted, StringComparison.OrdinalIgnoreCase) >= 0).ToList();
        var hint = similar.Count == 0
            ? $"Run {listCommand} to list them."
            : $"Similar: {Describe(similar, id, name)}.";
        throw new HaloSyncException(ErrorIdPrefix(what) + "NotFound", HaloSyncErrorKind.NotFound,
            $"No {what} has the id or name '{wanted}'. {hint}");
    }

    internal static string ErrorIdPrefix(string what)
        => string.Concat(what.Split(' ').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1)));

    private static string Describe<T>(List<T> records, Func<T, string> id, Func<T, string> name)
    {
        var shown = string.Join("; ", records.Take(CandidatesShown).Select(r => $"'{name(r)}' (id {id(r)})"));
        return records.Count > CandidatesShown ? shown + $"; and {records.Count - CandidatesShown} more" : shown;
    }
}
