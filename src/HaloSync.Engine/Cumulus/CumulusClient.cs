using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Http;
using Newtonsoft.Json;

namespace HaloSync.Engine.Cumulus;

/// <summary>
/// Reads Sherweb: customers and subscriptions from the Service Provider API, payable charges from the Distributor API.
/// One token carries both scopes; it is cached, refreshed before it expires and replaced when Sherweb rejects it.
/// Every request goes through the shared resilient transport (retries with back-off, Retry-After, pacing).
/// </summary>
public sealed class CumulusClient : ICumulusReader, IDisposable
{
    public const string ServiceProviderScope = "service-provider";
    public const string DistributorScope = "distributor";

    private const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

    private readonly CumulusCredentials credentials;
    private readonly CumulusClientOptions options;
    private readonly HttpClient httpClient;
    private readonly ResilientHttpTransport transport;
    private readonly AuthorizedSender sender;
    private readonly Func<DateTimeOffset> clock;

    public CumulusClient(CumulusCredentials credentials, CumulusClientOptions? options = null)
    {
        this.credentials = credentials;
        this.options = options ?? new CumulusClientOptions();
        ApiBaseUri = ApiEndpoint.NormalizeBaseUri(this.options.ApiBaseUri, "Sherweb");
        clock = this.options.Clock ?? (() => DateTimeOffset.UtcNow);
        httpClient = ApiHttpHandler.CreateClient(this.options.Handler, disposeHandler: true);
        transport = new ResilientHttpTransport(httpClient, this.options.Http);
        sender = new AuthorizedSender(transport, new OAuthTokenCache(RequestTokenAsync, clock));
    }

    /// <summary>The gateway address, normalised (always ends with '/').</summary>
    public Uri ApiBaseUri { get; }

    /// <summary>Requests put on the wire so far (token requests and retries included).</summary>
    public int RequestsSent => transport.RequestsSent;

    /// <summary>Access tokens fetched so far.</summary>
    public int TokensIssued => sender.Tokens.TokensIssued;

    /// <summary>Gets a token for both scopes and proves read access by listing the customers, which it returns.</summary>
    public Task<IReadOnlyList<CumulusCustomer>> ConnectAsync(CancellationToken cancellationToken = default) => GetCustomersAsync(cancellationToken);

    public async Task<IReadOnlyList<CumulusCustomer>> GetCustomersAsync(CancellationToken cancellationToken = default)
    {
        var page = await GetAsync<ItemsEnvelope<CumulusCustomer>>("service-provider/v1/customers", ServiceProviderScope, "reading customers", cancellationToken)
            .ConfigureAwait(false);
        return page.Items;
    }

    public async Task<IReadOnlyList<SubscriptionDetails>> GetSubscriptionDetailsAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        var page = await GetAsync<ItemsEnvelope<SubscriptionDetails>>(CustomerQuery("service-provider/v1/billing/subscriptions/details", customerId),
            ServiceProviderScope, $"reading the subscriptions of customer {customerId}", cancellationToken).ConfigureAwait(false);
        return page.Items;
    }

    public async Task<IReadOnlyList<SubscriptionPricingInformation>> GetSubscriptionPricingInformationAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        var page = await GetAsync<ItemsEnvelope<SubscriptionPricingInformation>>(CustomerQuery("service-provider/v1/billing/subscriptions/pricing-information", customerId),
            ServiceProviderScope, $"reading the subscription prices of customer {customerId}", cancellationToken).ConfigureAwait(false);
        return page.Items;
    }

    /// <summary>A customer's subscriptions, each with its pricing information (null when Sherweb has none for it).</summary>
    public async Task<IReadOnlyList<CumulusSubscription>> GetSubscriptionsAsync(Guid customerId, CancellationToken cancellationToken = default)
    {
        var details = await GetSubscriptionDetailsAsync(customerId, cancellationToken).ConfigureAwait(false);
        var pricing = await GetSubscriptionPricingInformationAsync(customerId, cancellationToken).ConfigureAwait(false);
        var pricingById = pricing.GroupBy(p => p.Id).ToDictionary(g => g.Key, g => g.First());
        return details.GroupBy(d => d.Id).Select(g => OneOf(g, customerId))
            .Select(d => new CumulusSubscription(customerId, d, pricingById.TryGetValue(d.Id, out var price) ? price : null))
            .ToList();
    }

    /// <summary>A subscription Sherweb lists twice: the same twice is once; told two ways, which is right is unknown, so nothing is synced on it.</summary>
    private static SubscriptionDetails OneOf(IGrouping<Guid, SubscriptionDetails> listed, Guid customerId)
    {
        var first = listed.First();
        if (listed.Any(d => d.Quantity != first.Quantity || !string.Equals(d.Sku, first.Sku, StringComparison.OrdinalIgnoreCase)))
        {
            throw new HaloSyncException("CumulusSubscriptionListedTwice", HaloSyncErrorKind.InvalidData,
                $"Sherweb lists the subscription {listed.Key} of customer {customerId} {listed.Count()} times, with different SKUs or quantities " +
                $"({string.Join(", ", listed.Select(d => $"{d.Sku} x {d.Quantity}"))}). Nothing was synced, so no quantity is guessed; try again later, or report it to Sherweb.");
        }

        return first;
    }

    /// <summary>The payable charges of the whole billing period containing <paramref name="date"/> (a calendar date, UTC).</summary>
    public async Task<PayableCharges> GetPayableChargesAsync(DateTime date, CancellationToken cancellationToken = default)
    {
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var operation = $"reading the payable charges of the billing period containing {day}";
        var charges = await GetAsync<PayableCharges>("distributor/v1/billing/payable-charges?date=" + day, DistributorScope, operation, cancellationToken)
            .ConfigureAwait(false);
        if (date.Date < charges.PeriodFrom.Date || date.Date > charges.PeriodTo.Date)
        {
            throw new HaloSyncException("CumulusUnexpectedPeriod", HaloSyncErrorKind.InvalidData,
                FormattableString.Invariant($"Sherweb answered with the billing period {charges.PeriodFrom:yyyy-MM-dd} to {charges.PeriodTo:yyyy-MM-dd} while {operation}. ") +
                "HaloSync did not use these charges, so nothing is billed for the wrong period; try again later or report it.");
        }

        return charges;
    }

    public void Dispose() => httpClient.Dispose();

    private static string CustomerQuery(string path, Guid customerId) => $"{path}?customerId={customerId:D}";

    private async Task<T> GetAsync<T>(string relativePath, string scope, string operation, CancellationToken cancellationToken)
    {
        var uri = new Uri(ApiBaseUri, relativePath);
        using var response = await sender.SendAsync(() => ApiRequest(HttpMethod.Get, uri), cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = response.Content is null ? null : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw CumulusErrors.FromApiResponse(response, Scrub(body, response), operation, scope, clock());
        }

        try
        {
            using var stream = await response.Content!.ReadAsStreamAsync().ConfigureAwait(false);
            return CumulusJson.Deserialize<T>(stream) ?? throw new JsonSerializationException("The answer is empty.");
        }
        catch (JsonException ex)
        {
            throw CumulusErrors.InvalidResponse(operation, ex);
        }
    }

    private HttpRequestMessage ApiRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Add(SubscriptionKeyHeader, credentials.SubscriptionKey);
        request.Headers.TryAddWithoutValidation("Accept-Language", options.AcceptLanguage);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    private async Task<AccessToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(ApiBaseUri, "auth/oidc/connect/token");
        // The token request is a read in effect: repeating it after a dropped connection only issues another token.
        using var response = await transport.SendAsync(() =>
        {
            var request = ApiRequest(HttpMethod.Post, uri);
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = credentials.ClientId,
                ["client_secret"] = credentials.ClientSecret,
                ["scope"] = ServiceProviderScope + " " + DistributorScope,
            });
            return request;
        }, RetrySafety.Idempotent, cancellationToken).ConfigureAwait(false);
        var body = response.Content is null ? null : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw CumulusErrors.FromTokenResponse(response, Scrub(body, response), clock());
        }

        var token = Parse<TokenAnswer>(body, "getting an access token");
        if (string.IsNullOrEmpty(token.AccessToken) || token.ExpiresIn <= 0)
        {
            throw CumulusErrors.InvalidResponse("getting an access token", new FormatException("The token answer has no access_token or expires_in."));
        }

        return new AccessToken(token.AccessToken!, clock().AddSeconds(token.ExpiresIn), token.TokenType ?? "Bearer");
    }

    /// <summary>An answer quoted in an error must not carry back what the request sent: the client secret, the subscription key or the access token.</summary>
    private string? Scrub(string? body, HttpResponseMessage response)
        => SecretText.Hide(body, credentials.ClientSecret, credentials.SubscriptionKey, SecretText.TokenSentWith(response));

    private static T Parse<T>(string? body, string operation)
    {
        try
        {
            return CumulusJson.Deserialize<T>(body ?? string.Empty)
                ?? throw new JsonSerializationException("The answer is empty.");
        }
        catch (JsonException ex)
        {
            throw CumulusErrors.InvalidResponse(operation, ex);
        }
    }

    /// <summary>
    /// Sherweb's list answer. Without "items" (or with null) it is no list: read as an empty one it would cancel every
    /// subscription of the customer, so it is refused. An empty list is a list.
    /// </summary>
    private sealed class ItemsEnvelope<T>
    {
        [JsonProperty("items", Required = Required.Always)]
        public IReadOnlyList<T> Items { get; init; } = Array.Empty<T>();
    }

    private sealed class TokenAnswer
    {
        [JsonProperty("access_token")]
        public string? AccessToken { get; init; }

        [JsonProperty("expires_in")]
        public int ExpiresIn { get; init; }

        [JsonProperty("token_type")]
        public string? TokenType { get; init; }
    }
}
