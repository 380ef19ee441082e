using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>Links a line to a subscription (schema InvoiceDetailQuantity, in <c>quantity_licences</c>).</summary>
public sealed class HaloLicenceLink
{
    [JsonProperty("id")]
    public int? Id { get; set; }

    [JsonProperty("invoice_line_id")]
    public int? InvoiceLineId { get; set; }

    [JsonProperty("kind")]
    public int? Kind { get; set; }

    [JsonProperty("licence_id")]
    public int? LicenceId { get; set; }

    [JsonProperty("licence_name")]
    public string? LicenceName { get; set; }

    /// <summary>1 lets HaloPSA pro-rate count changes of the linked licence.</summary>
    [JsonProperty("pro_rata")]
    public int? ProRata { get; set; }

    public bool ShouldSerializeLicenceName() => false;
}
