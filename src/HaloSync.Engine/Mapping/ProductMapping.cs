using System;

namespace HaloSync.Engine.Mapping;

/// <summary>Ordered as the seed's "show unmapped, mapped, disabled, or error first" sort expects.</summary>
public enum ProductMappingStatus
{
    Unmapped,
    Mapped,
    AutoMapped,
    Disabled,
    Error,
}

public enum MappingSource
{
    Manual,
    Automatic,
}

/// <summary>A Cumulus product (every SKU ever seen) and the HaloPSA item it bills as.</summary>
public sealed class ProductMapping
{
    public string Sku { get; set; } = string.Empty;

    public string ProductName { get; set; } = string.Empty;

    public int? HaloItemId { get; set; }

    public string? HaloItemName { get; set; }

    public MappingSource? Source { get; set; }

    public bool SyncEnabled { get; set; }

    /// <summary>Why automatic mapping could not choose an item (for example two candidates).</summary>
    public string? Error { get; set; }

    public DateTimeOffset FirstSeen { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    public ProductMappingStatus Status
        => HaloItemId is null
            ? Error is null ? ProductMappingStatus.Unmapped : ProductMappingStatus.Error
            : !SyncEnabled ? ProductMappingStatus.Disabled
            : Source == MappingSource.Automatic ? ProductMappingStatus.AutoMapped
            : ProductMappingStatus.Mapped;

    /// <summary>A copy to change without touching this one.</summary>
    public ProductMapping Copy() => (ProductMapping)MemberwiseClone();

    public override string ToString() => $"{Sku} ({ProductName}): {Status}";
}
