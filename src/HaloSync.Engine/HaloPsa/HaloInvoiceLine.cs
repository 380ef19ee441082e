using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>A line of a recurring invoice or of a real invoice (schema InvoiceDetail).</summary>
public sealed class HaloInvoiceLine
{
    /// <summary>0 for a new line.</summary>
    [JsonProperty("id")]
    public int Id { get; set; }

    [JsonProperty("ihid")]
    public int? InvoiceId { get; set; }

    [JsonProperty("sequenceid")]
    public int? SequenceId { get; set; }

    /// <summary>The Halo item (InvoiceDetail calls it "_itemid").</summary>
    [JsonProperty("_itemid")]
    public int? ItemId { get; set; }

    [JsonProperty("item_code")]
    public string? ItemCode { get; set; }

    [JsonProperty("item_shortdescription")]
    public string? ShortDescription { get; set; }

    [JsonProperty("item_longdescription")]
    public string? LongDescription { get; set; }

    [JsonProperty("qty_order")]
    public decimal? Quantity { get; set; }

    [JsonProperty("unit_price")]
    public decimal? UnitPrice { get; set; }

    [JsonProperty("unit_cost")]
    public decimal? UnitCost { get; set; }

    [JsonProperty("startdate")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? StartDate { get; set; }

    [JsonProperty("enddate")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? EndDate { get; set; }

    [JsonProperty("isinactive")]
    public bool? IsInactive { get; set; }

    /// <summary>0 = quantity typed on the line, 1 = taken from linked licences.</summary>
    [JsonProperty("recurring_invoice_quantity_type")]
    public int? QuantityType { get; set; }

    [JsonProperty("quantity_licences")]
    public List<HaloLicenceLink>? LicenceLinks { get; set; }

    /// <summary>
    /// The seats the line bills: a line whose quantity HaloPSA takes from its linked subscriptions (quantity type 1)
    /// bills the seats of those that are active (<paramref name="activeLicenceSeats"/>, by id); any other, its quantity.
    /// </summary>
    public decimal SeatsBilled(IReadOnlyDictionary<int, decimal> activeLicenceSeats)
        => QuantityType == 1 && LicenceLinks is { Count: > 0 } links
            ? links.Sum(l => l.LicenceId is { } id && activeLicenceSeats.TryGetValue(id, out var seats) ? seats : 0m)
            : Quantity ?? 0m;

    [JsonProperty("prorata_data")]
    public List<HaloProRata>? ProRata { get; set; }

    /// <summary>On an invoice's line: the recurring-invoice line it was generated from. Read only.</summary>
    [JsonProperty("recurring_invoice_line_id")]
    public int? RecurringInvoiceLineId { get; set; }

    /// <summary>On an invoice's line that bills a pro-rata entry: the recurring-invoice line the entry belongs to. Read only.</summary>
    [JsonProperty("pro_rata_line_id")]
    public int? ProRataLineId { get; set; }

    public bool ShouldSerializeRecurringInvoiceLineId() => false;

    public bool ShouldSerializeProRataLineId() => false;

    /// <summary>A copy to change: its own lists of licence links and pro-rata entries (the entries themselves are shared).</summary>
    public HaloInvoiceLine Copy()
    {
        var copy = (HaloInvoiceLine)MemberwiseClone();
        copy.LicenceLinks = LicenceLinks?.ToList();
        copy.ProRata = ProRata?.ToList();
        return copy;
    }

    public override string ToString() => $"line {Id}: {ShortDescription} x {Quantity}";
}
