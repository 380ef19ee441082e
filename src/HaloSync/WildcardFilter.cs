using System;
using System.Linq;
using System.Management.Automation;

namespace HaloSync;

/// <summary>-Name style filters: no pattern matches everything; otherwise any pattern, case-insensitively.</summary>
internal sealed class WildcardFilter
{
    private readonly WildcardPattern[] patterns;

    private const WildcardOptions Options = WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant;

    public WildcardFilter(string[]? patterns)
        => this.patterns = (patterns ?? new string[0]).Select(p => Valid(p.Trim()) ?? new WildcardPattern(WildcardPattern.Escape(p.Trim()), Options)).ToArray();

    public bool IsEmpty => patterns.Length == 0;

    public bool Matches(string? value) => IsEmpty || (value is not null && patterns.Any(p => p.IsMatch(value)));

    public bool MatchesAny(params string?[] values) => IsEmpty || values.Any(v => v is not null && patterns.Any(p => p.IsMatch(v)));

    /// <summary>The matcher of a value with wildcard characters, or null for a plain value (matched exactly by the caller).</summary>
    public static Func<string, bool>? Pattern(string? value)
        => value is not null && WildcardPattern.ContainsWildcardCharacters(value) && Valid(value.Trim()) is { } pattern ? pattern.IsMatch : null;

    /// <returns>The pattern, or null when it is not one PowerShell can match with (an unclosed '[', as in "Fabrikam [EU"): the value is then meant literally.</returns>
    private static WildcardPattern? Valid(string value)
    {
        var pattern = new WildcardPattern(value, Options);
        try
        {
            pattern.IsMatch(string.Empty);
            return pattern;
        }
        catch (WildcardPatternException)
        {
            return null;
        }
    }
}
