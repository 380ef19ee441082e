using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>A supplier entry of an item (schema ItemSupplier).</summary>
public sealed class HaloItemSupplier
{
    [JsonProperty("id")]
    public int? Id { get; set; }

    [JsonProperty("item_id")]
    public int? ItemId { get; set; }

    [JsonProperty("supplier_id")]
    public int? SupplierId { get; set; }

    [JsonProperty("supplier_name")]
    public string? SupplierName { get; set; }

    [JsonProperty("supplier_sku")]
    public string? SupplierSku { get; set; }

    [JsonProperty("price")]
    public decimal? Price { get; set; }

    [JsonProperty("cost")]
    public decimal? Cost { get; set; }
}
