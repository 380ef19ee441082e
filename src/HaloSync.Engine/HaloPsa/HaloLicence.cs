using System;
using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// A subscription (schema Licence_List, endpoint /api/SoftwareLicence). Only fields that are set are sent on save,
/// so an update can carry just the id and what changed.
/// </summary>
public sealed class HaloLicence
{
    [JsonProperty("id")]
    public int Id { get; set; }

    /// <summary>1 for a subscription-style record.</summary>
    [JsonProperty("type")]
    public int? Type { get; set; }

    [JsonProperty("client_id")]
    public int? ClientId { get; set; }

    [JsonProperty("client_name")]
    public string? ClientName { get; set; }

    [JsonProperty("name")]
    public string? Name { get; set; }

    /// <summary>Seats.</summary>
    [JsonProperty("count")]
    public int? Count { get; set; }

    /// <summary>e.g. "Monthly".</summary>
    [JsonProperty("billing_cycle")]
    public string? BillingCycle { get; set; }

    /// <summary>e.g. "Monthly", "Annual".</summary>
    [JsonProperty("term_duration")]
    public string? TermDuration { get; set; }

    /// <summary>e.g. "Active", "Cancelled".</summary>
    [JsonProperty("status")]
    public string? Status { get; set; }

    [JsonProperty("is_active")]
    public bool? IsActive { get; set; }

    [JsonProperty("autorenew")]
    public bool? AutoRenew { get; set; }

    [JsonProperty("start_date")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? StartDate { get; set; }

    [JsonProperty("end_date")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? EndDate { get; set; }

    private int? itemId;

    /// <summary>The linked Halo item (a newer field, not in the 2024 schema; see <see cref="CarriesItemId"/>).</summary>
    [JsonProperty("item_id")]
    public int? ItemId
    {
        get => itemId;
        set
        {
            itemId = value;
            CarriesItemId = true;
        }
    }

    /// <summary>
    /// Whether <see cref="ItemId"/> was set, on reading: whether HaloPSA's answer had <c>item_id</c> at all. A tenant at
    /// the 2024 API level neither keeps nor returns it, so its absence there is no hand edit to set back.
    /// </summary>
    [JsonIgnore]
    public bool CarriesItemId { get; private set; }

    /// <summary>Sell price per seat.</summary>
    [JsonProperty("price")]
    public decimal? Price { get; set; }

    /// <summary>Cost per seat.</summary>
    [JsonProperty("purchase_price")]
    public decimal? PurchasePrice { get; set; }

    [JsonProperty("product_sku")]
    public string? ProductSku { get; set; }

    [JsonProperty("supplier_id")]
    public int? SupplierId { get; set; }

    /// <summary>
    /// HaloSync's own key for the record (the Cumulus subscription key), kept in <c>snowid</c>: a free-text field of
    /// Licence_List that no Sherweb or billing flow uses and that Halo returns as written, so a run can find what an
    /// earlier, interrupted run created.
    /// </summary>
    [JsonProperty("snowid")]
    public string? ExternalKey { get; set; }

    [JsonProperty("notes")]
    public string? Notes { get; set; }

    public bool ShouldSerializeClientName() => false;

    public override string ToString() => $"{Name} ({Id}), {Count} seats";
}
