using System;

namespace HaloSync.Engine.Mapping;

public enum OrganizationMappingStatus
{
    Unmapped,
    Mapped,
    Disabled,
}

/// <summary>A Cumulus organization (Sherweb customer) and the HaloPSA client it bills to.</summary>
public sealed class OrganizationMapping
{
    public string OrganizationId { get; set; } = string.Empty;

    /// <summary>A Sherweb customer as an organization with no mapping yet.</summary>
    public static OrganizationMapping Of(Cumulus.CumulusCustomer customer) => new() { OrganizationId = customer.Id.ToString("D"), Name = customer.DisplayName };

    public string Name { get; set; } = string.Empty;

    public int? HaloClientId { get; set; }

    public string? HaloClientName { get; set; }

    public bool SyncEnabled { get; set; }

    /// <summary>The date of the organization's first sync; purchases after it are new purchases.</summary>
    public DateTime? FirstSyncedOn { get; set; }

    /// <summary>The HaloPSA client of the first sync, kept while the organization is unmapped.</summary>
    internal int? FirstSyncedClientId { get; set; }

    public OrganizationMappingStatus Status
        => HaloClientId is null ? OrganizationMappingStatus.Unmapped
            : SyncEnabled ? OrganizationMappingStatus.Mapped
            : OrganizationMappingStatus.Disabled;

    public override string ToString() => $"{Name}: {Status}";
}
