using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace HaloSync.Simulators.HaloPsa;

// Typed views of the simulator state, for seeding and for assertions. Property names map to Halo's
// JSON names through snake_case; fields not listed here are still kept in the JSON state.

public sealed class SimClient
{
    public int? Id { get; set; }
    public string? Name { get; set; }
    public bool? Inactive { get; set; }
    public int? ToplevelId { get; set; }
    public string? Accountsid { get; set; }
}

public sealed class SimItem
{
    public int? Id { get; set; }
    public string? Name { get; set; }
    public decimal? Baseprice { get; set; }
    public decimal? Costprice { get; set; }
    public string? SupplierPartCode { get; set; }
    public bool? Isrecurringitem { get; set; }
    public List<SimItemSupplier>? ItemSuppliers { get; set; }
}

public sealed class SimItemSupplier
{
    public int? Id { get; set; }
    public int? ItemId { get; set; }
    public int? SupplierId { get; set; }
    public string? SupplierName { get; set; }
    public string? SupplierSku { get; set; }
    public decimal? Price { get; set; }
    public decimal? Cost { get; set; }
}

public sealed class SimLicence
{
    public int? Id { get; set; }
    public int? Type { get; set; }
    public int? ClientId { get; set; }
    public string? ClientName { get; set; }
    public string? Name { get; set; }
    public int? Count { get; set; }
    public string? BillingCycle { get; set; }
    public string? TermDuration { get; set; }
    public string? Status { get; set; }
    public bool? IsActive { get; set; }
    public bool? Autorenew { get; set; }
    public DateTime? StartDate { get; set; }
    public DateTime? EndDate { get; set; }
    public int? ItemId { get; set; }
    public decimal? Price { get; set; }
    public decimal? PurchasePrice { get; set; }
    public decimal? MonthlyCost { get; set; }
    public string? ProductSku { get; set; }
    public string? Snowid { get; set; }
    public string? Notes { get; set; }
}

public sealed class SimRecurringInvoice
{
    public int? Id { get; set; }
    public int? ClientId { get; set; }
    public string? ClientName { get; set; }
    public string? Reference { get; set; }
    public bool? IsRecurringInvoice { get; set; }
    public bool? Disabled { get; set; }
    public int? Period { get; set; }
    public DateTime? Startdate { get; set; }
    public DateTime? Nextcreationdate { get; set; }
    public DateTime? Enddate { get; set; }
    public decimal? Total { get; set; }
    public List<SimInvoiceLine>? Lines { get; set; }
}

public sealed class SimInvoiceLine
{
    public int? Id { get; set; }
    public int? Ihid { get; set; }
    public int? Sequenceid { get; set; }

    [JsonPropertyName("_itemid")]
    public int? ItemId { get; set; }

    public string? ItemCode { get; set; }
    public string? ItemShortdescription { get; set; }
    public string? ItemLongdescription { get; set; }
    public decimal? QtyOrder { get; set; }
    public decimal? UnitPrice { get; set; }
    public decimal? UnitCost { get; set; }
    public DateTime? Startdate { get; set; }
    public DateTime? Enddate { get; set; }
    public bool? Isinactive { get; set; }
    public int? RecurringInvoiceQuantityType { get; set; }
    public List<SimLicenceLink>? QuantityLicences { get; set; }
    public List<SimProRata>? ProrataData { get; set; }
    public decimal? NetAmount { get; set; }

    /// <summary>On a generated invoice's line: the recurring invoice and line it came from.</summary>
    public int? RecurringInvoiceId { get; set; }

    public int? RecurringInvoiceLineId { get; set; }

    /// <summary>On a generated invoice's line billing a pro-rata entry: the recurring line the entry belongs to.</summary>
    public int? ProRataLineId { get; set; }
}

/// <summary>A real invoice (/api/Invoice), e.g. one generated from a recurring invoice.</summary>
public sealed class SimInvoice
{
    public int? Id { get; set; }
    public int? ClientId { get; set; }
    public string? ClientName { get; set; }
    public string? Reference { get; set; }
    public int? RecurringInvoiceId { get; set; }
    public DateTime? InvoiceDate { get; set; }
    public decimal? Total { get; set; }
    public List<SimInvoiceLine>? Lines { get; set; }
}

public sealed class SimLicenceLink
{
    public int? Id { get; set; }
    public int? InvoiceLineId { get; set; }
    public int? Kind { get; set; }
    public int? LicenceId { get; set; }
    public string? LicenceName { get; set; }
    public int? ProRata { get; set; }
}

public sealed class SimProRata
{
    public int? Id { get; set; }
    public int? Invoicedetailid { get; set; }
    public int? RecurringInvoiceId { get; set; }
    public DateTime? Date { get; set; }
    public decimal? Quantity { get; set; }
    public decimal? Unitprice { get; set; }
    public decimal? Unitcost { get; set; }
    public string? Shortdescription { get; set; }
    public string? Longdescription { get; set; }
    public bool? ProrataNextInvoice { get; set; }
    public bool? Isinvoiced { get; set; }
    public int? InvoiceId { get; set; }
}

/// <summary>A LicenceChange or InvoiceChange history row.</summary>
public sealed class SimChange
{
    public int? Id { get; set; }
    public int? LicenceId { get; set; }
    public int? InvoiceId { get; set; }
    public int? InvoiceLineId { get; set; }
    public string? FieldName { get; set; }
    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public string? Who { get; set; }
    public DateTime? Datetime { get; set; }
}
