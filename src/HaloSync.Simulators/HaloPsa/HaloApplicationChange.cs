using System.Collections.Generic;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>Body of POST {prefix}/applications.</summary>
public sealed class HaloApplicationChange
{
    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    public List<string> Permissions { get; set; } = new();

    public string? AgentName { get; set; }
}
