using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace HaloSync.Engine.Cumulus;

/// <summary>What the partner owes Sherweb for one billing period (Distributor API, GET /v1/billing/payable-charges).</summary>
public sealed class PayableCharges
{
    /// <summary>First day of the billing period.</summary>
    [JsonProperty("periodFrom")]
    public DateTime PeriodFrom { get; init; }

    /// <summary>Last day of the billing period (inclusive).</summary>
    [JsonProperty("periodTo")]
    public DateTime PeriodTo { get; init; }

    [JsonProperty("charges")]
    public IReadOnlyList<PayableCharge> Charges { get; init; } = Array.Empty<PayableCharge>();
}

/// <summary>One charge line; a product is made of one or more charges.</summary>
public sealed class PayableCharge
{
    [JsonProperty("productId")]
    public Guid? ProductId { get; init; }

    [JsonProperty("productName")]
    public string? ProductName { get; init; }

    [JsonProperty("sku")]
    public string? Sku { get; init; }

    [JsonProperty("chargeId")]
    public Guid? ChargeId { get; init; }

    [JsonProperty("chargeName")]
    public string? ChargeName { get; init; }

    [JsonProperty("chargeType")]
    public ChargeType ChargeType { get; init; }

    [JsonProperty("billingCycleType")]
    public BillingCycleType BillingCycleType { get; init; }

    /// <summary>First day of the service period of this line.</summary>
    [JsonProperty("periodFrom")]
    public DateTime PeriodFrom { get; init; }

    /// <summary>Last day of the service period of this line (inclusive).</summary>
    [JsonProperty("periodTo")]
    public DateTime PeriodTo { get; init; }

    /// <summary>Negative for credits; fractional for usage.</summary>
    [JsonProperty("quantity")]
    public decimal Quantity { get; init; }

    /// <summary>Unit price before deductions.</summary>
    [JsonProperty("listPrice")]
    public decimal ListPrice { get; init; }

    /// <summary>Unit price: list price minus deductions minus fees, for the whole cycle.</summary>
    [JsonProperty("netPrice")]
    public decimal NetPrice { get; init; }

    /// <summary>Unit net price for the part of the cycle this line covers.</summary>
    [JsonProperty("netPriceProrated")]
    public decimal NetPriceProrated { get; init; }

    /// <summary>Quantity × net price prorated.</summary>
    [JsonProperty("subTotal")]
    public decimal SubTotal { get; init; }

    [JsonProperty("currency")]
    public string? Currency { get; init; }

    [JsonProperty("isBilled")]
    public bool IsBilled { get; init; }

    [JsonProperty("isProratable")]
    public bool IsProratable { get; init; }

    [JsonProperty("deductions")]
    public IReadOnlyList<ChargeDeduction> Deductions { get; init; } = Array.Empty<ChargeDeduction>();

    [JsonProperty("fees")]
    public IReadOnlyList<ChargeFee> Fees { get; init; } = Array.Empty<ChargeFee>();

    [JsonProperty("invoice")]
    public ChargeInvoice? Invoice { get; init; }

    [JsonProperty("taxes")]
    public IReadOnlyList<ChargeTax> Taxes { get; init; } = Array.Empty<ChargeTax>();

    /// <summary>Extra information, including which customer the charge is for.</summary>
    [JsonProperty("tags")]
    public IReadOnlyList<ChargeTag> Tags { get; init; } = Array.Empty<ChargeTag>();

    /// <summary>Sherweb bills it below zero per unit (a credit it prices negative): by its net price, or its list price when the net is zero.</summary>
    [JsonIgnore]
    public bool IsPricedBelowZero => NetPrice < 0m || (NetPrice == 0m && ListPrice < 0m);

    /// <summary>The quantity as HaloSync bills it: a credit Sherweb prices below zero counts below zero, as one it counts below zero does.</summary>
    [JsonIgnore]
    public decimal BilledQuantity => IsPricedBelowZero ? -Quantity : Quantity;

    /// <summary>Usage, setup and one-time charges: billed once as they come, never as seats of a subscription.</summary>
    [JsonIgnore]
    public bool IsOneOff => ChargeType is ChargeType.Usage or ChargeType.Setup || BillingCycleType == BillingCycleType.OneTime;

    public override string ToString() => FormattableString.Invariant($"{Sku} {ChargeName} {ChargeType}/{BillingCycleType} {PeriodFrom:yyyy-MM-dd}..{PeriodTo:yyyy-MM-dd} x{Quantity}");
}

public sealed class ChargeDeduction
{
    [JsonProperty("code")]
    public string? Code { get; init; }

    [JsonProperty("name")]
    public string? Name { get; init; }

    [JsonProperty("deductionType")]
    public DeductionType DeductionType { get; init; }

    /// <summary>The deduction as configured: a percentage for percentage deductions, an amount otherwise.</summary>
    [JsonProperty("value")]
    public decimal Value { get; init; }

    /// <summary>Deduction per unit, on the same footing as the list and net prices.</summary>
    [JsonProperty("unitValue")]
    public decimal UnitValue { get; init; }

    /// <summary>Unit value × quantity.</summary>
    [JsonProperty("totalValue")]
    public decimal TotalValue { get; init; }
}

public sealed class ChargeFee
{
    [JsonProperty("name")]
    public string? Name { get; init; }

    [JsonProperty("unitValue")]
    public decimal UnitValue { get; init; }

    [JsonProperty("totalValue")]
    public decimal TotalValue { get; init; }

    [JsonProperty("isTaxable")]
    public bool IsTaxable { get; init; }
}

/// <summary>The invoice the charge was applied to; its number is null while the charge is not billed.</summary>
public sealed class ChargeInvoice
{
    [JsonProperty("number")]
    public string? Number { get; init; }

    [JsonProperty("date")]
    public DateTime? Date { get; init; }

    [JsonProperty("periodFrom")]
    public DateTime? PeriodFrom { get; init; }

    [JsonProperty("periodTo")]
    public DateTime? PeriodTo { get; init; }
}

public sealed class ChargeTax
{
    [JsonProperty("name")]
    public string? Name { get; init; }

    [JsonProperty("appliedRate")]
    public decimal AppliedRate { get; init; }
}

public sealed class ChargeTag
{
    [JsonProperty("name")]
    public string? Name { get; init; }

    [JsonProperty("value")]
    public string? Value { get; init; }
}
