using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using HaloSync.Simulators.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HaloSync.Simulators.Cumulus;

/// <summary>
/// A stateful Sherweb Partner API on 127.0.0.1: the token endpoint, the Service Provider reads the sync uses and the
/// Distributor payable charges, behind an API-Management-style gateway (subscription key, rate limit).
/// Control surface: the methods below, and over HTTP under the control prefix (see <see cref="MapControlRoutes"/>).
/// </summary>
public sealed class SherwebSimulator : IAsyncDisposable
{
    public const string TokenPath = "/auth/oidc/connect/token";
    public const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

    private readonly SimulatorHost host;
    private readonly RollingWindowRateLimiter rateLimiter;

    private SherwebSimulator(SimulatorHost host)
    {
        this.host = host;
        Tokens = new TokenIssuer(host.Clock);
        rateLimiter = new RollingWindowRateLimiter(host.Clock);
    }

    public Uri BaseAddress => host.BaseAddress;

    public SimulatedClock Clock => host.Clock;

    public RequestLog Requests => host.Requests;

    public FaultInjector Faults => host.Faults;

    public TokenIssuer Tokens { get; }

    public SherwebState State { get; } = new();

    /// <summary>Added to every API request.</summary>
    public TimeSpan Latency
    {
        get => host.Latency;
        set => host.Latency = value;
    }

    /// <summary>The simulated date (UTC); billing periods, isBilled and default dates follow it.</summary>
    public DateTime Today => Clock.UtcNow.UtcDateTime.Date;

    public SherwebSettings Settings
    {
        get => State.Settings;
        set
        {
            State.Settings = value;
            ApplyRateLimit(value);
        }
    }

    public static async Task<SherwebSimulator> StartAsync(SherwebSeed seed, SimulatorHostOptions? options = null)
    {
        SherwebSimulator? simulator = null;
        var host = await SimulatorHost.StartAsync((app, started) =>
        {
            simulator = new SherwebSimulator(started);
            simulator.Seed(seed);
            simulator.MapApiRoutes(app);
            simulator.MapControlRoutes(app.MapGroup(started.ControlPrefix));
        }, options).ConfigureAwait(false);
        return simulator!;
    }

    /// <summary>Replaces the whole state (and settings) with <paramref name="seed"/>.</summary>
    public void Seed(SherwebSeed seed)
    {
        State.Load(seed);
        ApplyRateLimit(seed.Settings);
    }

    /// <summary>Moves the simulated date, keeping the time of day. Moving it forward also ages tokens.</summary>
    public void SetDate(DateTime date) => Clock.Set(new DateTimeOffset(date.Date + Clock.UtcNow.UtcDateTime.TimeOfDay, TimeSpan.Zero));

    public SherwebCustomer AddCustomer(SherwebCustomer customer) => State.AddCustomer(customer);

    public SherwebCustomer RemoveCustomer(Guid customerId) => State.RemoveCustomer(customerId);

    public SherwebProduct PutProduct(SherwebProduct product) => State.PutProduct(product);

    /// <summary>A new subscription, purchased on <paramref name="purchaseDate"/> (default: now).</summary>
    public SherwebSubscription Purchase(Guid customerId, string sku, int quantity, SherwebBillingCycle billingCycle = SherwebBillingCycle.Monthly,
        SherwebCommitmentTerm? commitmentTerm = SherwebCommitmentTerm.Monthly, DateTimeOffset? purchaseDate = null) =>
        State.Purchase(customerId, sku, quantity, purchaseDate ?? Clock.UtcNow, billingCycle, commitmentTerm);

    public SherwebSubscription ChangeQuantity(Guid subscriptionId, int quantity, DateTime? effectiveDate = null) =>
        State.ChangeQuantity(subscriptionId, quantity, effectiveDate ?? Today);

    public SherwebSubscription Cancel(Guid subscriptionId, DateTime? effectiveDate = null) =>
        State.Cancel(subscriptionId, effectiveDate ?? Today);

    /// <summary>Adds a usage, setup or one-time charge to the payable charges of the period containing its BilledOn date.</summary>
    public SherwebExtraCharge AddCharge(SherwebExtraCharge charge) => State.AddCharge(charge);

    /// <summary>Every token issued so far stops working now (the client must fetch a new one).</summary>
    public void ExpireTokens() => Tokens.ExpireAll();

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private void ApplyRateLimit(SherwebSettings settings)
    {
        rateLimiter.Enabled = settings.RateLimit > 0;
        rateLimiter.Limit = Math.Max(settings.RateLimit, 1);
        rateLimiter.Window = settings.RateLimitWindow;
        rateLimiter.Reset();
    }

    private void MapApiRoutes(WebApplication app)
    {
        app.MapPost(TokenPath, (HttpRequest request) => IssueTokenAsync(request));
        app.MapGet("/service-provider/v1/customers", (HttpContext context) => Guarded(context, SherwebScopes.ServiceProvider, GetCustomers));
        app.MapGet("/service-provider/v1/billing/subscriptions/details",
            (HttpContext context) => Guarded(context, SherwebScopes.ServiceProvider, c => ForCustomer(c, GetSubscriptionDetails)));
        app.MapGet("/service-provider/v1/billing/subscriptions/pricing-information",
            (HttpContext context) => Guarded(context, SherwebScopes.ServiceProvider, c => ForCustomer(c, GetPricingInformation)));
        app.MapGet("/distributor/v1/billing/payable-charges", (HttpContext context) => Guarded(context, SherwebScopes.Distributor, GetPayableCharges));
    }

    private async Task<IResult> IssueTokenAsync(HttpRequest request)
    {
        var settings = Settings;
        var clients = State.Snapshot().ApiClients;
        var key = SubscriptionKey(request);
        if (key is not null || settings.TokenEndpointRequiresSubscriptionKey)
        {
            if (GatewayKeyError(key, clients) is { } keyError)
            {
                return keyError;
            }
        }

        var form = request.HasFormContentType ? await request.ReadFormAsync().ConfigureAwait(false) : null;
        if (form is null || form["grant_type"] != "client_credentials")
        {
            return OAuthError(400, "unsupported_grant_type");
        }

        var client = clients.FirstOrDefault(c => c.ClientId == form["client_id"].ToString());
        if (client is null || client.ClientSecret != form["client_secret"].ToString())
        {
            return OAuthError(settings.InvalidClientStatusCode, "invalid_client");
        }

        var scopes = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Length == 0 || scopes.Any(s => !client.AllowedScopes.Contains(s)))
        {
            return OAuthError(400, "invalid_scope");
        }

        var token = Tokens.Issue(client.ClientId, scopes);
        return Results.Json(new TokenResponse(token.Value, (int)Tokens.Lifetime.TotalSeconds, "Bearer"), SimulatorHost.ControlJson);
    }

    /// <summary>Gateway checks (subscription key, rate limit), then the bearer token and its scope, then the handler.</summary>
    private IResult Guarded(HttpContext context, string scope, Func<HttpContext, IResult> handler)
    {
        var key = SubscriptionKey(context.Request);
        if (GatewayKeyError(key, State.Snapshot().ApiClients) is { } keyError)
        {
            return keyError;
        }

        if (!rateLimiter.TryAcquire(key!, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            if (Settings.RateLimitSendsRetryAfterHeader)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            return Results.Json(SherwebFaults.RateLimitBody(seconds), SimulatorHost.ControlJson, statusCode: 429);
        }

        var (status, token) = Tokens.Validate(context.Request.Headers.Authorization.ToString());
        if (status != TokenStatus.Valid)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Problem(context, 401, "Unauthorized", "The access token is missing, expired or invalid.");
        }

        if (!token!.Scopes.Contains(scope))
        {
            return Problem(context, 403, "Forbidden", $"The access token does not grant the '{scope}' scope.");
        }

        return handler(context);
    }

    private static IResult? GatewayKeyError(string? key, IReadOnlyList<SherwebApiClient> clients)
    {
        if (string.IsNullOrEmpty(key))
        {
            return Results.Json(new GatewayErrorResponse(401,
                "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."),
                SimulatorHost.ControlJson, statusCode: 401);
        }

        return clients.Any(c => c.SubscriptionKey == key)
            ? null
            : Results.Json(new GatewayErrorResponse(401,
                "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."),
                SimulatorHost.ControlJson, statusCode: 401);
    }

    private static string? SubscriptionKey(HttpRequest request)
    {
        var header = request.Headers[SubscriptionKeyHeader].ToString();
        return header.Length > 0 ? header : request.Query["subscription-key"].FirstOrDefault();
    }

    /// <summary>Sherweb writes times in UTC without an offset ("2021-01-13T20:30:05.7613888", its OpenAPI's example).</summary>
    private static DateTime? WireTime(DateTimeOffset? time) => time is { } t ? DateTime.SpecifyKind(t.UtcDateTime, DateTimeKind.Unspecified) : null;

    private IResult GetCustomers(HttpContext context)
    {
        var customers = State.Snapshot().Customers
            .Select(c => new CustomerResponse(c.Id, c.DisplayName, c.Path ?? new[] { c.DisplayName }, WireTime(c.SuspendedOn)))
            .ToList();
        return Results.Json(new ItemsResponse<CustomerResponse>(customers), SimulatorHost.ControlJson);
    }

    private IResult ForCustomer(HttpContext context, Func<HttpContext, SherwebSeed, Guid, IResult> handler)
    {
        var text = context.Request.Query["customerId"].ToString();
        if (!Guid.TryParse(text, out var customerId))
        {
            return Problem(context, 400, "One or more validation errors occurred.",
                text.Length == 0 ? "The customerId query parameter is required." : $"'{text}' is not a valid customerId.");
        }

        var data = State.Snapshot();
        return data.Customers.Any(c => c.Id == customerId)
            ? handler(context, data, customerId)
            : Problem(context, 404, "Customer not found", $"No customer with id {customerId} exists for this service provider.");
    }

    private IEnumerable<SherwebSubscription> VisibleSubscriptions(SherwebSeed data, Guid customerId)
    {
        var today = Today;
        return data.Subscriptions.Where(s => s.CustomerId == customerId
            && s.PurchaseDate.UtcDateTime.Date <= today
            && (s.CancelledOn is not { } cancelled || cancelled > today || StaysVisibleAfterCancellation(s, data.Settings, today)));
    }

    private static bool StaysVisibleAfterCancellation(SherwebSubscription subscription, SherwebSettings settings, DateTime today) =>
        settings.CancelledSubscriptions == CancelledSubscriptionVisibility.ZeroQuantityUntilTermEnd
        && subscription.CommitmentTerm is { } term
        && SherwebCommitment.CurrentTerm(subscription, term, subscription.CancelledOn!.Value).NextStart > today;

    private IResult GetSubscriptionDetails(HttpContext context, SherwebSeed data, Guid customerId)
    {
        var language = context.Request.Headers.AcceptLanguage.ToString();
        var items = VisibleSubscriptions(data, customerId).Select(s =>
        {
            var product = data.FindProduct(s.Sku)!;
            return new SubscriptionDetailsResponse(s.Id, SherwebLanguage.Pick(product, language), product.Description, product.Sku,
                s.QuantityOn(Today), s.CommitmentTerm is not null, WireTime(s.PurchaseDate)!.Value, SherwebCommitment.Describe(s, Today))
            {
                Undocumented = data.Settings.IncludeUndocumentedFields
                    ? new Dictionary<string, JsonElement> { ["microsoftSkuId"] = JsonSerializer.SerializeToElement(PayableChargeCalculator.StableGuid("ms|" + product.Sku)) }
                    : null,
            };
        }).ToList();
        return Results.Json(new ItemsResponse<SubscriptionDetailsResponse>(items), SimulatorHost.ControlJson);
    }

    private IResult GetPricingInformation(HttpContext context, SherwebSeed data, Guid customerId)
    {
        var items = VisibleSubscriptions(data, customerId).Select(s =>
        {
            var product = data.FindProduct(s.Sku)!;
            var fees = product.HasCatalogItem
                ? new FeesResponse(product.ListPrice(s.BillingCycle), product.SetupFee, CurrencyEnumName(data.Settings.Currency))
                : null;
            return new PricingInformationResponse(s.Id, s.BillingCycle.ToString().ToLowerInvariant(), fees, SherwebCommitment.Describe(s, Today));
        }).ToList();
        return Results.Json(new ItemsResponse<PricingInformationResponse>(items), SimulatorHost.ControlJson);
    }

    /// <summary>Pricing information spells currencies as the enum Cad/Usd/Eur/Gbp, payable charges as free text.</summary>
    private static string CurrencyEnumName(string currency) =>
        currency.Length == 3 ? char.ToUpperInvariant(currency[0]) + currency.Substring(1).ToLowerInvariant() : "Undefined";

    private IResult GetPayableCharges(HttpContext context)
    {
        var text = context.Request.Query["date"].ToString();
        var date = Today;
        if (text.Length > 0 && !DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return Problem(context, 400, "One or more validation errors occurred.", $"'{text}' is not a date in the format yyyy-MM-dd.");
        }

        var charges = PayableChargeCalculator.Calculate(State.Snapshot(), date, Today, context.Request.Headers.AcceptLanguage.ToString());
        return Results.Json(charges, SimulatorHost.ControlJson);
    }

    private static IResult Problem(HttpContext context, int status, string title, string detail) =>
        Results.Json(new ProblemDetailsResponse($"https://httpstatuses.io/{status}", title, status, detail, context.Request.Path.Value ?? string.Empty,
            new Dictionary<string, object>()), SimulatorHost.ControlJson, "application/problem+json", status);

    private static IResult OAuthError(int status, string error) =>
        Results.Json(new OAuthErrorResponse(error, null), SimulatorHost.ControlJson, statusCode: status);

    /// <summary>
    /// HTTP control surface (besides the common requests, faults, clock and latency routes):
    /// POST seed, GET state, PUT settings, POST customers, DELETE customers/{id}, POST products, POST subscriptions (purchase),
    /// POST subscriptions/{id}/quantity, POST subscriptions/{id}/cancel, POST charges, POST date, POST tokens/expire.
    /// </summary>
    private void MapControlRoutes(RouteGroupBuilder control)
    {
        control.MapPost("/seed", (HttpRequest request) => Control<SherwebSeed>(request, seed =>
        {
            Seed(seed);
            return StateView();
        }));
        control.MapGet("/state", () => Results.Json(StateView(), SimulatorHost.ControlJson));
        control.MapPut("/settings", (HttpRequest request) => Control<SherwebSettings>(request, settings => Settings = settings));
        control.MapPost("/customers", (HttpRequest request) => Control<SherwebCustomer>(request, AddCustomer));
        control.MapDelete("/customers/{id:guid}", (Guid id) =>
        {
            try
            {
                return Results.Json(RemoveCustomer(id), SimulatorHost.ControlJson);
            }
            catch (KeyNotFoundException ex)
            {
                return Results.NotFound(new { error = ex.Message });
            }
        });
        control.MapPost("/products", (HttpRequest request) => Control<SherwebProduct>(request, PutProduct));
        control.MapPost("/subscriptions", (HttpRequest request) => Control<PurchaseCommand>(request, command =>
            Purchase(command.CustomerId, command.Sku, command.Quantity, command.BillingCycle, command.CommitmentTerm, command.PurchaseDate)));
        control.MapPost("/subscriptions/{id:guid}/quantity", (Guid id, HttpRequest request) => Control<QuantityCommand>(request, command =>
            ChangeQuantity(id, command.Quantity, command.EffectiveDate)));
        control.MapPost("/subscriptions/{id:guid}/cancel", (Guid id, HttpRequest request) => Control<CancelCommand>(request, command => Cancel(id, command.EffectiveDate)));
        control.MapPost("/charges", (HttpRequest request) => Control<SherwebExtraCharge>(request, AddCharge));
        control.MapPost("/date", (HttpRequest request) => Control<DateCommand>(request, command =>
        {
            SetDate(command.Date);
            return new { today = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        }));
        control.MapPost("/tokens/expire", () =>
        {
            ExpireTokens();
            return Results.Json(new { expired = Tokens.IssuedCount }, SimulatorHost.ControlJson);
        });
    }

    /// <summary>Reads the body with the control JSON options (enums as names), runs the action and maps state errors to 400/404.</summary>
    private static async Task<IResult> Control<TBody>(HttpRequest request, Func<TBody, object> action)
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<TBody>(request.Body, SimulatorHost.ControlJson).ConfigureAwait(false)
                ?? throw new ArgumentException($"Send a {typeof(TBody).Name} as JSON.");
            return Results.Json(action(body), SimulatorHost.ControlJson);
        }
        catch (JsonException ex)
        {
            return Results.BadRequest(new { error = ex.Message });
        }
        catch (KeyNotFoundException ex)
        {
            return Results.NotFound(new { error = ex.Message });
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return Results.BadRequest(new { error = ex.Message });
        }
    }

    /// <summary>The state as the control surface shows it: API secrets and subscription keys left out.</summary>
    private object StateView()
    {
        var data = State.Snapshot();
        return new
        {
            today = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            data.Settings,
            apiClients = data.ApiClients.Select(c => new { c.ClientId, c.AllowedScopes }),
            data.Products,
            data.Customers,
            subscriptions = data.Subscriptions.Select(s => new { subscription = s, currentQuantity = s.QuantityOn(Today) }),
            data.Charges,
        };
    }
}

public sealed record PurchaseCommand(Guid CustomerId, string Sku, int Quantity, SherwebBillingCycle BillingCycle = SherwebBillingCycle.Monthly,
    SherwebCommitmentTerm? CommitmentTerm = SherwebCommitmentTerm.Monthly, DateTimeOffset? PurchaseDate = null);

public sealed record QuantityCommand(int Quantity, DateTime? EffectiveDate = null);

public sealed record CancelCommand(DateTime? EffectiveDate = null);

public sealed record DateCommand(DateTime Date);
