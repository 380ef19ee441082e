using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// A real invoice (schema InvoiceHeader, endpoint /api/Invoice, positive ids): what HaloPSA generated from a recurring
/// invoice, or an invoice made by hand. HaloSync only reads them.
/// </summary>
public sealed class HaloInvoice
{
    [JsonProperty("id")]
    public int Id { get; set; }

    [JsonProperty("client_id")]
    public int? ClientId { get; set; }

    [JsonProperty("reference")]
    public string? Reference { get; set; }

    [JsonProperty("invoice_date")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? InvoiceDate { get; set; }

    /// <summary>The recurring invoice it was generated from, if any.</summary>
    [JsonProperty("recurring_invoice_id")]
    public int? RecurringInvoiceId { get; set; }

    [JsonProperty("lines")]
    public List<HaloInvoiceLine>? Lines { get; set; }

    public override string ToString() => FormattableString.Invariant($"invoice {Id} of {InvoiceDate:yyyy-MM-dd} for client {ClientId}");
}
