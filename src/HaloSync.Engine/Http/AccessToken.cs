using System;

namespace HaloSync.Engine.Http;

/// <summary>A bearer token and when it stops working. <see cref="ToString"/> never shows the token.</summary>
public sealed class AccessToken
{
    public AccessToken(string value, DateTimeOffset expiresAt, string tokenType = "Bearer")
    {
        Value = value;
        ExpiresAt = expiresAt;
        TokenType = string.IsNullOrWhiteSpace(tokenType) ? "Bearer" : tokenType;
    }

    public string Value { get; }

    public string TokenType { get; }

    public DateTimeOffset ExpiresAt { get; }

    public override string ToString() => $"{TokenType} token (hidden), expires {ExpiresAt:u}";
}
