using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>A HaloPSA customer (schema Area, endpoint /api/Client).</summary>
public sealed class HaloClient
{
    [JsonProperty("id")]
    public int Id { get; set; }

    [JsonProperty("name")]
    public string? Name { get; set; }

    [JsonProperty("inactive")]
    public bool? Inactive { get; set; }

    [JsonProperty("toplevel_id")]
    public int? TopLevelId { get; set; }

    [JsonProperty("toplevel_name")]
    public string? TopLevelName { get; set; }

    [JsonProperty("accountsid")]
    public string? AccountsId { get; set; }

    public override string ToString() => $"{Name} ({Id})";
}
