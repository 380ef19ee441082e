using System.Collections.Generic;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>Body of POST {prefix}/settings; only the fields sent change.</summary>
public sealed class HaloPsaSettingsChange
{
    public int? RateLimit { get; set; }

    public double? RateWindowSeconds { get; set; }

    public bool? SendRetryAfterOnRateLimit { get; set; }

    public bool? ExpiredTokenAnswers400 { get; set; }

    public int? DefaultMaxPageSize { get; set; }

    public Dictionary<string, int>? MaxPageSizes { get; set; }

    public double? TokenLifetimeSeconds { get; set; }

    public bool? LicencesKeepItemId { get; set; }

    public bool? ListsAsBareArrays { get; set; }
}
