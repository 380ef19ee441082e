using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// A recurring invoice header (schema InvoiceHeader, endpoint /api/RecurringInvoice; ids are negative).
/// When saved with <see cref="Lines"/>, HaloPSA treats the list as the complete set of lines.
/// </summary>
public sealed class HaloRecurringInvoice
{
    [JsonProperty("id")]
    public int Id { get; set; }

    [JsonProperty("client_id")]
    public int? ClientId { get; set; }

    [JsonProperty("client_name")]
    public string? ClientName { get; set; }

    [JsonProperty("reference")]
    public string? Reference { get; set; }

    [JsonProperty("notes_1")]
    public string? Notes { get; set; }

    [JsonProperty("is_recurring_invoice")]
    public bool? IsRecurringInvoice { get; set; }

    [JsonProperty("disabled")]
    public bool? Disabled { get; set; }

    /// <summary>The <see cref="Period"/> of a monthly recurring invoice.</summary>
    public const int MonthlyPeriod = 2;

    /// <summary>Billing period code; 2 is monthly.</summary>
    [JsonProperty("period")]
    public int? Period { get; set; }

    [JsonProperty("startdate")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? StartDate { get; set; }

    /// <summary>The last day the recurring invoice runs; set with <see cref="Disabled"/> when it is ended.</summary>
    [JsonProperty("enddate")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? EndDate { get; set; }

    [JsonProperty("schedule_date")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? ScheduleDate { get; set; }

    [JsonProperty("nextcreationdate")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? NextCreationDate { get; set; }

    [JsonProperty("lastcreated")]
    [JsonConverter(typeof(HaloDateConverter))]
    public DateTime? LastCreated { get; set; }

    /// <summary>Computed by HaloPSA; never sent.</summary>
    [JsonProperty("total")]
    public decimal? Total { get; set; }

    [JsonProperty("lines")]
    public List<HaloInvoiceLine>? Lines { get; set; }

    public bool ShouldSerializeClientName() => false;

    public bool ShouldSerializeTotal() => false;

    public override string ToString() => $"recurring invoice {Id} '{Reference}' for client {ClientId}";
}
