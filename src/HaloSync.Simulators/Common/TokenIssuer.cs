using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;

namespace HaloSync.Simulators.Common;

/// <summary>Issues random bearer tokens and checks Authorization headers; expiry follows the simulated clock.</summary>
public sealed class TokenIssuer
{
    private readonly ConcurrentDictionary<string, IssuedToken> tokens = new(StringComparer.Ordinal);
    private readonly SimulatedClock clock;

    public TokenIssuer(SimulatedClock clock)
    {
        this.clock = clock;
    }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    public int IssuedCount => tokens.Count;

    /// <summary>Every token handed out so far (tests use it to check a token never leaks into logs).</summary>
    public IReadOnlyList<IssuedToken> Issued => tokens.Values.ToList();

    public IssuedToken Issue(string clientId, IEnumerable<string> scopes)
    {
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new IssuedToken(value, clientId, scopes.ToArray(), clock.UtcNow + Lifetime);
        tokens[value] = token;
        return token;
    }

    /// <summary>Checks an Authorization header value such as "Bearer abc".</summary>
    public (TokenStatus Status, IssuedToken? Token) Validate(string? authorizationHeader)
    {
        const string prefix = "Bearer ";
        if (string.IsNullOrEmpty(authorizationHeader) || !authorizationHeader.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return (TokenStatus.Missing, null);
        }

        if (!tokens.TryGetValue(authorizationHeader.Substring(prefix.Length).Trim(), out var token))
        {
            return (TokenStatus.Unknown, null);
        }

        if (token.Revoked)
        {
            return (TokenStatus.Revoked, token);
        }

        return clock.UtcNow >= token.ExpiresAt ? (TokenStatus.Expired, token) : (TokenStatus.Valid, token);
    }

    /// <summary>Makes every token issued so far expire now.</summary>
    public void ExpireAll()
    {
        var now = clock.UtcNow;
        foreach (var token in tokens.Values)
        {
            token.ExpiresAt = now;
        }
    }

    public void RevokeAll()
    {
        foreach (var token in tokens.Values)
        {
            token.Revoked = true;
        }
    }
}
