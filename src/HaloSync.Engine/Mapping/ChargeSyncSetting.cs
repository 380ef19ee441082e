namespace HaloSync.Engine.Mapping;

/// <summary>The sync switch of one subscription or charge of one organization.</summary>
public sealed record ChargeSyncSetting(string OrganizationId, string OrganizationName, string ChargeKey, bool SyncEnabled);
