using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HaloSync.Simulators.Cumulus;

// The JSON shapes Sherweb sends, named as in its OpenAPI documents (camelCase on the wire).

public sealed record ItemsResponse<T>(IReadOnlyList<T> Items);

public sealed record CustomerResponse(Guid Id, string DisplayName, IReadOnlyList<string> Path, DateTime? SuspendedOn);

public sealed record SubscriptionDetailsResponse(
    Guid Id,
    string ProductName,
    string Description,
    string Sku,
    int Quantity,
    bool RenewalSettingsConfigurable,
    DateTime PurchaseDate,
    CommitmentTermResponse? CommitmentTerm)
{
    /// <summary>Fields the live API sends beyond its spec.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Undocumented { get; init; }
}

public sealed record CommitmentTermResponse(
    SherwebCommitmentTerm Type,
    DateOnly TermEndDate,
    RenewalConfigurationResponse? RenewalConfiguration,
    IReadOnlyList<CommittedMinimalQuantityResponse>? CommittedMinimalQuantities);

public sealed record RenewalConfigurationResponse(DateOnly RenewalDate, int? ScheduledQuantity);

public sealed record CommittedMinimalQuantityResponse(DateOnly CommittedUntil, int Quantity);

public sealed record PricingInformationResponse(Guid Id, string BillingCycle, FeesResponse? Fees, CommitmentTermResponse? CommitmentTerm);

public sealed record FeesResponse(decimal RecurringFee, decimal SetupFee, string Currency);

public sealed record PayableChargesResponse(DateOnly PeriodFrom, DateOnly PeriodTo, IReadOnlyList<PayableChargeResponse> Charges);

public sealed record PayableChargeResponse
{
    public Guid? ProductId { get; init; }
    public required string ProductName { get; init; }
    public required string Sku { get; init; }
    public Guid? ChargeId { get; init; }
    public required string ChargeName { get; init; }
    public SherwebChargeType ChargeType { get; init; }
    public SherwebBillingCycleType BillingCycleType { get; init; }
    public DateOnly PeriodFrom { get; init; }
    public DateOnly PeriodTo { get; init; }
    public decimal Quantity { get; init; }
    public decimal ListPrice { get; init; }
    public decimal NetPrice { get; init; }
    public decimal NetPriceProrated { get; init; }
    public decimal SubTotal { get; init; }
    public required string Currency { get; init; }
    public bool IsBilled { get; init; }
    public bool IsProratable { get; init; }
    public required IReadOnlyList<DeductionResponse> Deductions { get; init; }
    public required IReadOnlyList<FeeResponse> Fees { get; init; }
    public required InvoiceResponse Invoice { get; init; }
    public required IReadOnlyList<TaxResponse> Taxes { get; init; }
    public required IReadOnlyList<TagResponse> Tags { get; init; }
}

public sealed record DeductionResponse(string Code, string Name, string DeductionType, decimal Value, decimal UnitValue, decimal TotalValue);

public sealed record FeeResponse(string Name, decimal UnitValue, decimal TotalValue, bool IsTaxable);

public sealed record InvoiceResponse(string? Number, DateOnly Date, DateOnly PeriodFrom, DateOnly PeriodTo);

public sealed record TaxResponse(string Name, decimal AppliedRate);

public sealed record TagResponse(string Name, string Value);

/// <summary>RFC 7807 error body of the Sherweb APIs.</summary>
public sealed record ProblemDetailsResponse(string Type, string Title, int Status, string Detail, string Instance, IReadOnlyDictionary<string, object> Extensions);

/// <summary>Error body of the API Management gateway in front of the APIs (subscription key, rate limit).</summary>
public sealed record GatewayErrorResponse(int StatusCode, string Message);

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string TokenType);

public sealed record OAuthErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);
