using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

/// <summary>The simulator's own wire behaviour, checked with a plain HttpClient: what a real Sherweb gateway and API answer.</summary>
public class SherwebSimulatorWireTests
{
    private const string Customers = "/service-provider/v1/customers";

    [Theory]
    [InlineData("password", "service-provider", 400, "unsupported_grant_type")]
    [InlineData("client_credentials", "service-provider billing", 400, "invalid_scope")]
    [InlineData("client_credentials", "", 400, "invalid_scope")]
    public async Task The_token_endpoint_answers_oauth_errors(string grantType, string scope, int status, string error)
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();

        using var response = await http.PostAsync(SherwebSimulator.TokenPath, SherwebTestBed.TokenForm(SherwebSampleData.ClientId, SherwebSampleData.ClientSecret, scope, grantType));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(error, (await Json(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_token_endpoint_accepts_a_single_scope_without_a_subscription_key_and_reports_its_lifetime()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();

        using var response = await http.PostAsync(SherwebSimulator.TokenPath, SherwebTestBed.TokenForm(SherwebSampleData.ClientId, SherwebSampleData.ClientSecret, "distributor"));

        var token = await Json(response);
        Assert.Equal(3600, token.GetProperty("expires_in").GetInt32());
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
        Assert.False(string.IsNullOrEmpty(token.GetProperty("access_token").GetString()));
    }

    [Fact]
    public async Task The_token_endpoint_can_be_made_to_require_the_subscription_key()
    {
        await using var bed = await SherwebTestBed.StartAsync(seed => seed with { Settings = seed.Settings with { TokenEndpointRequiresSubscriptionKey = true } });
        using var http = bed.RawHttp();

        using var response = await http.PostAsync(SherwebSimulator.TokenPath, SherwebTestBed.TokenForm(SherwebSampleData.ClientId, SherwebSampleData.ClientSecret, "distributor"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("missing subscription key", (await Json(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Without_a_subscription_key_the_gateway_answers_its_own_401_shape()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();

        using var response = await http.GetAsync(Customers);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await Json(response);
        Assert.Equal(401, body.GetProperty("statusCode").GetInt32());
        Assert.StartsWith("Access denied due to missing subscription key", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_key_in_the_query_string_is_accepted_and_then_the_bearer_token_is_required()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();

        using var response = await http.GetAsync(Customers + "?subscription-key=" + SherwebSampleData.SubscriptionKey);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(401, (await Json(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_token_without_the_apis_scope_gets_a_403_problem()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var token = await bed.RawTokenAsync("service-provider");

        using var response = await Send(bed, "/distributor/v1/billing/payable-charges", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Forbidden", (await Json(response)).GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("/service-provider/v1/billing/subscriptions/details", "The customerId query parameter is required.")]
    [InlineData("/service-provider/v1/billing/subscriptions/pricing-information?customerId=abc", "'abc' is not a valid customerId.")]
    [InlineData("/distributor/v1/billing/payable-charges?date=17/03/2026", "'17/03/2026' is not a date in the format yyyy-MM-dd.")]
    public async Task Bad_parameters_get_a_400_problem(string path, string detail)
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var token = await bed.RawTokenAsync("service-provider distributor");

        using var response = await Send(bed, path, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
        Assert.Equal(path.Split('?')[0], problem.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Payable_charges_default_to_the_period_of_the_simulated_day()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var token = await bed.RawTokenAsync("distributor");

        using var response = await Send(bed, "/distributor/v1/billing/payable-charges", token);

        var body = await Json(response);
        Assert.Equal("2026-03-01", body.GetProperty("periodFrom").GetString());
        Assert.Equal("2026-03-31", body.GetProperty("periodTo").GetString());
        var charge = body.GetProperty("charges")[0];
        Assert.Equal("Recurring", charge.GetProperty("chargeType").GetString());
        Assert.Equal("0001-01-01", charge.GetProperty("invoice").GetProperty("date").GetString());
        Assert.Equal(JsonValueKind.Null, charge.GetProperty("invoice").GetProperty("number").ValueKind);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_gateway_rate_limit_answers_429_try_again_in_n_seconds(bool withHeader)
    {
        await using var bed = await SherwebTestBed.StartAsync(seed => seed with
        {
            Settings = seed.Settings with { RateLimit = 1, RateLimitWindow = TimeSpan.FromSeconds(45), RateLimitSendsRetryAfterHeader = withHeader },
        });
        var token = await bed.RawTokenAsync("service-provider");
        (await Send(bed, Customers, token)).Dispose();
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(5));

        using var response = await Send(bed, Customers, token);

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("Rate limit is exceeded. Try again in 40 seconds.", (await Json(response)).GetProperty("message").GetString());
        Assert.Equal(withHeader ? TimeSpan.FromSeconds(40) : null, response.Headers.RetryAfter?.Delta);
        bed.Simulator.Clock.Advance(TimeSpan.FromSeconds(40));
        using var later = await Send(bed, Customers, token);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task The_request_log_masks_the_client_secret()
    {
        await using var bed = await SherwebTestBed.StartAsync();

        await bed.RawTokenAsync("distributor");

        var logged = bed.Simulator.Requests.Matching(SherwebSimulator.TokenPath).Single();
        Assert.Contains("client_secret=***", logged.Body);
        Assert.DoesNotContain(SherwebSampleData.ClientSecret, logged.Body);
    }

    private static async Task<HttpResponseMessage> Send(SherwebTestBed bed, string path, string token)
    {
        using var http = bed.RawHttp();
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(SherwebSimulator.SubscriptionKeyHeader, SherwebSampleData.SubscriptionKey);
        request.Headers.Add("Authorization", "Bearer " + token);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
