using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Http;
using Newtonsoft.Json.Linq;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// Finds HaloPSA's authorisation server (GET /api/authinfo, falling back to {site}/auth/token) and gets
/// client-credentials tokens from it. Every failure names its cause and the fix; none carries the secret.
/// </summary>
internal sealed class HaloAuthenticator
{
    private readonly ResilientHttpTransport transport;
    private readonly Uri site;
    private readonly HaloPsaCredentials credentials;
    private readonly Func<DateTimeOffset> clock;
    private string? tenant;

    public HaloAuthenticator(ResilientHttpTransport transport, Uri site, HaloPsaCredentials credentials, Func<DateTimeOffset> clock)
    {
        this.transport = transport;
        this.site = site;
        this.credentials = credentials;
        this.clock = clock;
        tenant = credentials.Tenant;
    }

    public Uri? TokenEndpoint { get; private set; }

    public string? Tenant => tenant;

    public async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        var authInfoUrl = new Uri(site, "api/authinfo");
        using var response = await transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, authInfoUrl), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var authUrl = response.IsSuccessStatusCode ? ReadString(body, "auth_url") : null;
        if (authUrl is null)
        {
            transport.Options.Verbose?.Invoke($"HaloPSA: /api/authinfo answered {(int)response.StatusCode} without an auth_url; trying {site}auth/token.");
            TokenEndpoint = new Uri(site, "auth/token");
            return;
        }

        TokenEndpoint = new Uri(ApiEndpoint.NormalizeBaseUri(authUrl, "HaloPSA authorisation server"), "token");
        tenant ??= ReadString(body, "tenant_id");
    }

    public async Task<AccessToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        if (TokenEndpoint is null)
        {
            await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        }

        var tokenUrl = tenant is null ? TokenEndpoint! : new Uri(TokenEndpoint! + "?tenant=" + Uri.EscapeDataString(tenant));
        using var response = await transport.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = credentials.ClientId,
                ["client_secret"] = credentials.ClientSecret,
                ["scope"] = credentials.Scope,
            }),
        }, RetrySafety.Idempotent, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);

        var accessToken = response.IsSuccessStatusCode ? ReadString(body, "access_token") : null;
        if (accessToken is not null)
        {
            var lifetime = ReadInt(body, "expires_in") ?? 3600;
            return new AccessToken(accessToken, clock() + TimeSpan.FromSeconds(lifetime), ReadString(body, "token_type") ?? "Bearer");
        }

        throw TokenFailure(response, body);
    }

    private HaloSyncException TokenFailure(HttpResponseMessage response, string body)
    {
        var error = ReadString(body, "error");
        if (response.StatusCode == HttpStatusCode.Unauthorized || error == "invalid_client")
        {
            return new HaloSyncException("HaloPsaInvalidClient", HaloSyncErrorKind.Authentication,
                $"HaloPSA rejected client id '{credentials.ClientId}' or its secret (invalid_client). Check both under Configuration > Integrations > HaloPSA API > View Applications; " +
                "the application must use 'Client ID and Secret (services)'. A lost secret cannot be shown again: generate a new one and connect with it.");
        }

        switch (error)
        {
            case "invalid_scope":
                return new HaloSyncException("HaloPsaInvalidScope", HaloSyncErrorKind.InvalidArgument,
                    $"HaloPSA refused the scope '{credentials.Scope}' (invalid_scope). Connect with the default scope 'all', or with scopes HaloPSA knows, e.g. 'read:items edit:items'.");
            case "unsupported_grant_type":
                return new HaloSyncException("HaloPsaGrantNotAllowed", HaloSyncErrorKind.Authentication,
                    "HaloPSA does not allow client-credentials sign-in for this application (unsupported_grant_type). Set its Authentication Method to 'Client ID and Secret (services)' and connect again.");
            case "invalid_request" when ApiErrorMessage.Extract(body)?.IndexOf("tenant", StringComparison.OrdinalIgnoreCase) >= 0:
                return new HaloSyncException("HaloPsaUnknownTenant", HaloSyncErrorKind.InvalidArgument,
                    $"HaloPSA does not know the tenant '{tenant}'. Use the Tenant shown under Configuration > Integrations > HaloPSA API > API Details, or leave -Tenant out.");
        }

        // A moved site answers 3xx with an HTML page: say where it moved rather than that it is not HaloPSA.
        var redirected = (int)response.StatusCode is >= 300 and < 400;
        if (!redirected && (response.StatusCode == HttpStatusCode.NotFound || error is null && LooksLikeHtml(body)))
        {
            return NotAHaloSite();
        }

        return HttpErrorMapper.ToException("HaloPSA", "getting an access token", response, Scrub(body), clock());
    }

    public HaloSyncException NotAHaloSite() =>
        new("HaloPsaNotASite", HaloSyncErrorKind.InvalidArgument,
            $"'{site}' does not answer like HaloPSA: neither /api/authinfo nor /auth/token gave a HaloPSA answer. Use your HaloPSA web address, " +
            "e.g. https://yourcompany.halopsa.com (the Resource Server URL under Configuration > Integrations > HaloPSA API, with or without /api).");

    private string Scrub(string text) => SecretText.Hide(text, credentials.ClientSecret)!;

    private static bool LooksLikeHtml(string body) => body.TrimStart().StartsWith("<", StringComparison.Ordinal);

    private static JObject? TryParseObject(string body)
    {
        try
        {
            return HaloJsonSerializer.Parse(body) as JObject;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private static string? ReadString(string body, string name) =>
        TryParseObject(body)?[name] is { Type: JTokenType.String } value && !string.IsNullOrEmpty(value.Value<string>()) ? value.Value<string>() : null;

    private static int? ReadInt(string body, string name) =>
        TryParseObject(body)?[name] is { } value && (value.Type == JTokenType.Integer || value.Type == JTokenType.Float) ? (int)value.Value<decimal>() : null;
}
