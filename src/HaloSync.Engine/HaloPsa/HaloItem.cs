using System.Collections.Generic;
using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>A HaloPSA product (schema Item, endpoint /api/Item). Only fields that are set are sent on save.</summary>
public sealed class HaloItem
{
    [JsonProperty("id")]
    public int Id { get; set; }

    [JsonProperty("name")]
    public string? Name { get; set; }

    [JsonProperty("description")]
    public string? Description { get; set; }

    /// <summary>Sell price.</summary>
    [JsonProperty("baseprice")]
    public decimal? BasePrice { get; set; }

    /// <summary>Buy cost.</summary>
    [JsonProperty("costprice")]
    public decimal? CostPrice { get; set; }

    /// <summary>The default supplier's part code; automatic mapping compares it with Sherweb SKUs.</summary>
    [JsonProperty("supplier_part_code")]
    public string? SupplierPartCode { get; set; }

    [JsonProperty("isrecurringitem")]
    public bool? IsRecurringItem { get; set; }

    [JsonProperty("item_suppliers")]
    public List<HaloItemSupplier>? ItemSuppliers { get; set; }

    /// <summary>On save: also push a changed cost price into recurring-invoice lines that use this item.</summary>
    [JsonProperty("update_recurring_invoice_cost")]
    public bool? UpdateRecurringInvoiceCost { get; set; }

    /// <summary>On save: also push a changed base price into recurring-invoice lines that use this item.</summary>
    [JsonProperty("update_recurring_invoice_price")]
    public bool? UpdateRecurringInvoicePrice { get; set; }

    public override string ToString() => $"{Name} ({Id})";
}
