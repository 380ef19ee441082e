using System;
using HaloSync.Engine.HaloPsa;

namespace HaloSync;

/// <summary>A HaloPSA connection of this PowerShell session. Holds no secret or token that it would show.</summary>
public sealed class HaloPsaConnection
{
    internal HaloPsaConnection(HaloPsaClient client, string scope, string statePath)
    {
        Client = client;
        Site = client.Site;
        ClientId = client.ClientId;
        Tenant = client.Tenant;
        Scope = scope;
        TokenEndpoint = client.TokenEndpoint;
        StatePath = statePath;
        ConnectedAt = DateTimeOffset.Now;
    }

    public Uri Site { get; }

    public string ClientId { get; }

    public string? Tenant { get; }

    public string Scope { get; }

    public Uri? TokenEndpoint { get; }

    public DateTimeOffset ConnectedAt { get; }

    public string StatePath { get; }

    /// <summary>Requests sent to HaloPSA through this connection so far.</summary>
    public int RequestsSent => Client.RequestsSent;

    /// <summary>Requests of this connection that HaloPSA still counts in its rate window (300 per 5 minutes on hosted tenants).</summary>
    public int RequestsInWindow => Client.Pacer.InWindow;

    internal HaloPsaClient Client { get; }

    public override string ToString() => $"HaloPSA {Site} as {ClientId}";
}
