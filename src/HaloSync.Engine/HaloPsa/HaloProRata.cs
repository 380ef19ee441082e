using System;
using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>A pro-rata entry of a line (schema InvoiceDetailProRata, in <c>prorata_data</c>).</summary>
public sealed class HaloProRata
{
    [JsonProperty("id")]
    public int? Id { get; set; }

    [JsonProperty("invoicedetailid")]
    public int? LineId { get; set; }

    /// <summary>When the change took effect.</summary>
    [JsonProperty("date")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? Date { get; set; }

    /// <summary>Signed seat change; negative is a credit.</summary>
    [JsonProperty("quantity")]
    public decimal? Quantity { get; set; }

    [JsonProperty("unitprice")]
    public decimal? UnitPrice { get; set; }

    [JsonProperty("unitcost")]
    public decimal? UnitCost { get; set; }

    [JsonProperty("shortdescription")]
    public string? ShortDescription { get; set; }

    [JsonProperty("longdescription")]
    public string? LongDescription { get; set; }

    [JsonProperty("prorata_next_invoice")]
    public bool? OnNextInvoice { get; set; }

    [JsonProperty("isinvoiced")]
    public bool? IsInvoiced { get; set; }
}
