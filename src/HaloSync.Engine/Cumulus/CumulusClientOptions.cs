using System;
using System.Net.Http;
using HaloSync.Engine.Http;

namespace HaloSync.Engine.Cumulus;

public sealed class CumulusClientOptions
{
    public const string DefaultApiBaseUri = "https://api.sherweb.com";

    /// <summary>The Sherweb gateway; plain http is accepted only for loopback (the simulator).</summary>
    public string ApiBaseUri { get; set; } = DefaultApiBaseUri;

    /// <summary>Retry, pacing, timeouts and verbose output of every Sherweb request.</summary>
    public ResilientHttpOptions Http { get; set; } = new() { ServiceName = "Sherweb" };

    /// <summary>Sent on every call so that product and charge names do not change with the machine's culture.</summary>
    public string AcceptLanguage { get; set; } = "en";

    /// <summary>Time source for token expiry; tests pass the simulator's clock.</summary>
    public Func<DateTimeOffset>? Clock { get; set; }

    /// <summary>Replaces the network stack (tests); the client disposes it.</summary>
    public HttpMessageHandler? Handler { get; set; }
}
