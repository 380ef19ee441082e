using System;
using System.Collections.Generic;

namespace HaloSync.Simulators.Common;

/// <summary>A bearer token the simulator handed out. <see cref="ToString"/> hides the value.</summary>
public sealed class IssuedToken
{
    public IssuedToken(string value, string clientId, IReadOnlyCollection<string> scopes, DateTimeOffset expiresAt)
    {
        Value = value;
        ClientId = clientId;
        Scopes = scopes;
        ExpiresAt = expiresAt;
    }

    public string Value { get; }

    public string ClientId { get; }

    public IReadOnlyCollection<string> Scopes { get; }

    public DateTimeOffset ExpiresAt { get; internal set; }

    public bool Revoked { get; internal set; }

    public override string ToString() => $"token for {ClientId} (hidden), expires {ExpiresAt:u}";
}
