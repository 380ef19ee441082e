namespace HaloSync.Engine.HaloPsa;

/// <summary>What Connect-HaloPsa needs. <see cref="ToString"/> never shows the secret.</summary>
public sealed class HaloPsaCredentials
{
    public HaloPsaCredentials(string site, string clientId, string clientSecret, string? tenant = null, string scope = "all")
    {
        Site = site;
        ClientId = clientId;
        ClientSecret = clientSecret;
        Tenant = string.IsNullOrWhiteSpace(tenant) ? null : tenant!.Trim();
        Scope = string.IsNullOrWhiteSpace(scope) ? "all" : scope.Trim();
    }

    /// <summary>The HaloPSA web address; the Resource Server URL (ending in /api) is accepted too.</summary>
    public string Site { get; }

    public string ClientId { get; }

    public string ClientSecret { get; }

    public string? Tenant { get; }

    /// <summary>Space-separated scopes; "all" by default.</summary>
    public string Scope { get; }

    public override string ToString() => $"HaloPSA {Site}, client id {ClientId}{(Tenant is null ? string.Empty : ", tenant " + Tenant)} (secret hidden)";
}
