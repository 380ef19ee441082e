namespace HaloSync.Engine.State;

/// <summary>Where and as whom a service is reached; deliberately has no place for a secret.</summary>
public sealed record ConnectionRecord(string Service, string BaseUri, string ClientId, string? Tenant, string? Scope);
