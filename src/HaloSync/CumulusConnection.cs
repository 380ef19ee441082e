using System;
using HaloSync.Engine.Cumulus;

namespace HaloSync;

/// <summary>A Sherweb Cumulus connection of this PowerShell session. Holds no secret, key or token that it would show.</summary>
public sealed class CumulusConnection
{
    internal CumulusConnection(CumulusClient client, string clientId, int customerCount, string statePath)
    {
        Client = client;
        ApiBaseUri = client.ApiBaseUri;
        ClientId = clientId;
        CustomerCount = customerCount;
        StatePath = statePath;
        ConnectedAt = DateTimeOffset.Now;
    }

    public Uri ApiBaseUri { get; }

    public string ClientId { get; }

    /// <summary>Customers (organizations) visible when connecting.</summary>
    public int CustomerCount { get; }

    public DateTimeOffset ConnectedAt { get; }

    public string StatePath { get; }

    /// <summary>Requests sent to Sherweb through this connection so far.</summary>
    public int RequestsSent => Client.RequestsSent;

    internal CumulusClient Client { get; }

    public override string ToString() => $"Sherweb {ApiBaseUri} as {ClientId}";
}
