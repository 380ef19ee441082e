using System;
using System.Collections.Generic;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>
/// An API application (Configuration > Integrations > HaloPSA API > Applications). Its permissions stand for
/// the intersection of the application's privileges and its agent's access levels, e.g. "read:items".
/// </summary>
public sealed class HaloApiApplication
{
    public HaloApiApplication(string clientId, string clientSecret, IEnumerable<string> permissions, string agentName = "API (HaloSync)")
    {
        ClientId = clientId;
        ClientSecret = clientSecret;
        Permissions = new HashSet<string>(permissions, StringComparer.OrdinalIgnoreCase);
        AgentName = agentName;
    }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public string AgentName { get; }

    public HashSet<string> Permissions { get; }

    public override string ToString() => $"application {ClientId} (secret hidden)";
}
