using System;
using System.Linq;
using System.Management.Automation;

namespace HaloSync;

/// <summary>-Name style filters: no pattern matches everything; otherwise any pattern, case-insensitively.</summary>
internal sealed class WildcardFilter
{
    private readonly WildcardPattern[] patterns;

    public WildcardFilter(string[]? patterns)
        => this.patterns = (patterns ?? new string[0]).Select(p => new WildcardPattern(p.Trim(), WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToArray();

    public bool IsEmpty => patterns.Length == 0;

    public bool Matches(string? value) => IsEmpty || (value is not null && patterns.Any(p => p.IsMatch(value)));

    public bool MatchesAny(params string?[] values) => IsEmpty || values.Any(v => v is not null && patterns.Any(p => p.IsMatch(v)));

    /// <summary>The matcher of a value with wildcard characters, or null for a plain value (matched exactly by the caller).</summary>
    public static Func<string, bool>? Pattern(string? value)
        => value is not null && WildcardPattern.ContainsWildcardCharacters(value)
            ? new WildcardPattern(value.Trim(), WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant).IsMatch
            : null;
}
