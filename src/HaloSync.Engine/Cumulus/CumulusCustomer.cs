using System;
using System.Collections.Generic;
using Newtonsoft.Json;

namespace HaloSync.Engine.Cumulus;

/// <summary>A Sherweb customer (Service Provider API, GET /v1/customers).</summary>
public sealed class CumulusCustomer
{
    [JsonProperty("id")]
    public Guid Id { get; init; }

    [JsonProperty("displayName")]
    public string DisplayName { get; init; } = string.Empty;

    /// <summary>The reseller hierarchy of display names (undocumented by Sherweb).</summary>
    [JsonProperty("path")]
    public IReadOnlyList<string> Path { get; init; } = Array.Empty<string>();

    /// <summary>When the customer was suspended (UTC); null while active.</summary>
    [JsonProperty("suspendedOn")]
    public DateTime? SuspendedOn { get; init; }

    [JsonIgnore]
    public bool IsSuspended => SuspendedOn is not null;

    public override string ToString() => $"{DisplayName} ({Id})";
}
