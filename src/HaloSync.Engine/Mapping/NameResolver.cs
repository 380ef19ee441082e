using System;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Engine.Mapping;

/// <summary>
/// Finds one record by id or by name. A name that matches none gives an error naming the nearest names, and one that
/// matches several lists them, so a spreadsheet row can be fixed without another lookup.
/// </summary>
public static class NameResolver
{
    private const int CandidatesShown = 10;

    /// <param name="what">How the message names the record, e.g. "Cumulus organization"; its words in title case start the error id.</param>
    public static T Resolve<T>(string input, IEnumerable<T> records, Func<T, string> id, Func<T, string> name, string what, string listCommand)
        where T : class
    {
        var wanted = (input ?? string.Empty).Trim();
        var all = records.ToList();
        return FindExact(wanted, all, id, name, what) ?? throw NotFound(wanted, all, id, name, what, listCommand);
    }

    /// <summary>The record whose id, else whose name, equals <paramref name="wanted"/> (ignoring case and surrounding spaces); null when none.</summary>
    public static T? FindExact<T>(string wanted, IReadOnlyCollection<T> records, Func<T, string> id, Func<T, string> name, string what)
        where T : class
    {
        var byId = records.Where(r => string.Equals(id(r), wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byId.Count == 1)
        {
            return byId[0];
        }

        var byName = records.Where(r => string.Equals(name(r).Trim(), wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count switch
        {
            0 => null,
            1 => byName[0],
            _ => throw Ambiguous($"The {what} name '{wanted}'", byName, id, name, what, "Give the id instead."),
        };
    }

    /// <summary>Nothing has that id or name: the error names the nearest names, or says which command lists them.</summary>
    public static HaloSyncException NotFound<T>(string wanted, IEnumerable<T> candidates, Func<T, string> id, Func<T, string> name, string what, string listCommand)
    {
        var similar = Suggestions.Nearest(wanted, candidates, name);
        var hint = similar.Count == 0 ? $"Run {listCommand} to list them." : $"Similar: {Describe(similar, id, name)}.";
        return new HaloSyncException(ErrorIdPrefix(what) + "NotFound", HaloSyncErrorKind.NotFound, $"No {what} has the id or name '{wanted}'. {hint}");
    }

    /// <param name="subject">What matched too much, e.g. "The Cumulus organization name 'Contoso'".</param>
    public static HaloSyncException Ambiguous<T>(string subject, List<T> matches, Func<T, string> id, Func<T, string> name, string what, string fix)
        => new(ErrorIdPrefix(what) + "Ambiguous", HaloSyncErrorKind.InvalidArgument,
            $"{subject} matches {matches.Count} records: {Describe(matches, id, name)}. {fix}");

    internal static string ErrorIdPrefix(string what)
        => string.Concat(what.Split(' ').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1)));

    private static string Describe<T>(List<T> records, Func<T, string> id, Func<T, string> name)
    {
        var shown = string.Join("; ", records.Take(CandidatesShown).Select(r => $"'{name(r)}' (id {id(r)})"));
        return records.Count > CandidatesShown ? shown + $"; and {records.Count - CandidatesShown} more" : shown;
    }
}
