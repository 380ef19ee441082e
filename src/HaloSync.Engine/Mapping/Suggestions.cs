using System;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Engine.Mapping;

/// <summary>
/// The known names nearest to one that matched nothing, so a typo comes back with its fix: names that contain what
/// was typed first, then names a few keystrokes away (a letter added, dropped, replaced, or two swapped), ignoring case.
/// </summary>
public static class Suggestions
{
    public const int MaxShown = 5;

    private static readonly char[] WildcardCharacters = { '*', '?', '[', ']', '`' };

    public static List<string> Nearest(string typed, IEnumerable<string> known, int max = MaxShown)
        => Nearest(typed, known, name => name, max);

    /// <summary>The records whose name is nearest to <paramref name="typed"/> (wildcards ignored), best first; none when nothing is close.</summary>
    public static List<T> Nearest<T>(string typed, IEnumerable<T> records, Func<T, string> name, int max = MaxShown)
    {
        var wanted = Literal(typed);
        if (wanted.Length == 0)
        {
            return new List<T>();
        }

        var allowed = Math.Max(1, wanted.Length / 4);
        return records
            .Select(r => (Record: r, Name: (name(r) ?? string.Empty).Trim()))
            .Where(r => r.Name.Length > 0)
            .Select(r => (r.Record, r.Name, Score: Score(wanted, r.Name.ToLowerInvariant())))
            .Where(r => r.Score <= allowed)
            .OrderBy(r => r.Score)
            .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Take(max)
            .Select(r => r.Record)
            .ToList();
    }

    /// <summary>0 when one name holds the other; otherwise the typos between the typed text and the name, or the start of the name.</summary>
    private static int Score(string wanted, string name)
    {
        if (wanted.Length >= 3 && (name.Contains(wanted) || wanted.Contains(name)))
        {
            return 0;
        }

        return Distance(wanted, name, wanted.Length >= 3);
    }

    private static string Literal(string typed)
        => new string((typed ?? string.Empty).Where(c => Array.IndexOf(WildcardCharacters, c) < 0).ToArray()).Trim().ToLowerInvariant();

    /// <summary>
    /// Edits (insert, delete, replace, swap of two neighbours) that turn <paramref name="a"/> into <paramref name="b"/>,
    /// or with <paramref name="prefixOfB"/> into the start of <paramref name="b"/> that takes the fewest.
    /// </summary>
    internal static int Distance(string a, string b, bool prefixOfB = false)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        var best = d[a.Length, b.Length];
        for (var j = 0; prefixOfB && j < b.Length; j++)
        {
            best = Math.Min(best, d[a.Length, j]);
        }

        return best;
    }
}
