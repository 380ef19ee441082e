using System;
using System.Threading.Tasks;
using HaloSync.Engine.Cumulus;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

/// <summary>Every refusal becomes an error with a stable id and a message that says what to do, and none quotes a secret.</summary>
public class CumulusClientErrorTests
{
    [Theory]
    [InlineData("wrong-client", SherwebSampleData.ClientSecret, 400)]
    [InlineData(SherwebSampleData.ClientId, "wrong-secret-7781", 400)]
    [InlineData(SherwebSampleData.ClientId, "wrong-secret-7781", 401)]
    public async Task Wrong_client_id_or_secret_says_to_copy_them_again(string clientId, string secret, int status)
    {
        await using var bed = await SherwebTestBed.StartAsync(seed => seed with { Settings = seed.Settings with { InvalidClientStatusCode = status } });

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client(SherwebTestBed.SampleCredentials(clientId, secret)).ConnectAsync());

        Assert.Equal("CumulusCredentialsRejected", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.Authentication, error.Kind);
        Assert.Contains("client id or client secret", error.Message);
        Assert.Contains("Security > APIs", error.Message);
        Assert.DoesNotContain("wrong-secret-7781", error.ToString());
        Assert.Single(bed.Simulator.Requests.Snapshot());
        bed.AssertNoSecretIn(error.ToString());
    }

    [Fact]
    public async Task A_wrong_subscription_key_is_named_as_such()
    {
        await using var bed = await SherwebTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<HaloSyncException>(() =>
            bed.Client(SherwebTestBed.SampleCredentials(subscriptionKey: "not-the-key-4411")).ConnectAsync());

        Assert.Equal("CumulusSubscriptionKeyInvalid", error.ErrorId);
        Assert.Contains("Subscription Key", error.Message);
        Assert.Contains("not the client secret", error.Message);
        Assert.DoesNotContain("not-the-key-4411", error.ToString());
        bed.AssertNoSecretIn(error.ToString());
    }

    [Fact]
    public async Task A_key_that_does_not_reach_the_gateway_is_reported_as_missing()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        const string missingKey = @"{ ""statusCode"": 401, ""message"": ""Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."" }";
        bed.Simulator.Faults.Enqueue(FaultRule.Status(401, missingKey, pathContains: "/customers", times: 2));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client().ConnectAsync());

        Assert.Equal("CumulusSubscriptionKeyMissing", error.ErrorId);
        Assert.Contains("-SubscriptionKey", error.Message);
        bed.AssertNoSecretIn(error.ToString());
    }

    [Fact]
    public async Task A_client_without_the_distributor_scope_is_told_to_enable_both_apis()
    {
        await using var bed = await SherwebTestBed.StartAsync(seed => seed with
        {
            ApiClients = new[] { SherwebSampleData.ApiClient with { AllowedScopes = new[] { SherwebScopes.ServiceProvider } } },
        });

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client().ConnectAsync());

        Assert.Equal("CumulusScopeNotGranted", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("Distributor API", error.Message);
        Assert.Contains("invalid_scope", error.Message);
        bed.AssertNoSecretIn(error.ToString());
    }

    [Fact]
    public async Task A_403_names_the_missing_scope_and_where_to_grant_it()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(403,
            @"{ ""type"": ""https://httpstatuses.io/403"", ""title"": ""Forbidden"", ""status"": 403, ""detail"": ""Not allowed."", ""instance"": """", ""extensions"": {} }",
            pathContains: "/payable-charges"));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client().GetPayableChargesAsync(new DateTime(2026, 3, 17)));

        Assert.Equal("CumulusPermissionDenied", error.ErrorId);
        Assert.Contains("'distributor' scope", error.Message);
        Assert.Contains("Distributor API", error.Message);
        Assert.Contains("Forbidden", error.Message);
    }

    /// <summary>A gateway or token endpoint that echoes what the request sent: its words are quoted, the secrets are not.</summary>
    [Theory]
    [InlineData(400, "/token", "CumulusCredentialsRejected")]
    [InlineData(401, "/customers", "CumulusUnauthorized")]
    [InlineData(403, "/customers", "CumulusPermissionDenied")]
    [InlineData(500, "/customers", "HttpServerError")]
    public async Task An_answer_that_echoes_the_secret_or_the_subscription_key_is_quoted_without_them(int status, string path, string errorId)
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var echo = $@"{{ ""title"": ""Refused key {SherwebSampleData.SubscriptionKey} with secret {SherwebSampleData.ClientSecret}"", ""status"": {status} }}";
        bed.Simulator.Faults.Enqueue(FaultRule.Status(status, echo, pathContains: path, times: 10));

        var error = await Assert.ThrowsAnyAsync<HaloSyncException>(() => bed.Client(maxAttempts: 2).GetCustomersAsync());

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains("Sherweb said: Refused key *** with secret ***", error.Message);
        bed.AssertNoSecretIn(error.Message, error.ToString());
    }

    [Fact]
    public async Task An_unknown_customer_is_not_found_with_sherwebs_own_words()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var stranger = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client().GetSubscriptionDetailsAsync(stranger));

        Assert.Equal("CumulusNotFound", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.NotFound, error.Kind);
        Assert.Contains(stranger.ToString(), error.Message);
        Assert.Contains("Customer not found", error.Message);
    }

    [Fact]
    public async Task An_unreachable_gateway_says_to_check_the_address_and_network()
    {
        await using var bed = await SherwebTestBed.StartAsync();

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client(maxAttempts: 2, apiBaseUri: "http://127.0.0.1:1").ConnectAsync());

        Assert.Equal("HttpConnectionFailed", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.ConnectionError, error.Kind);
        Assert.Contains("Could not reach Sherweb at http://127.0.0.1:1", error.Message);
        bed.AssertNoSecretIn(error.ToString());
    }

    [Fact]
    public void Plain_http_to_a_remote_host_is_refused_before_anything_is_sent()
    {
        var error = Assert.Throws<HaloSyncException>(() => new CumulusClient(SherwebTestBed.SampleCredentials(), new CumulusClientOptions { ApiBaseUri = "http://api.sherweb.com" }));

        Assert.Equal("EndpointNotHttps", error.ErrorId);
    }

    [Fact]
    public void The_default_gateway_is_sherwebs()
    {
        using var client = new CumulusClient(SherwebTestBed.SampleCredentials());

        Assert.Equal(new Uri("https://api.sherweb.com/"), client.ApiBaseUri);
    }

    [Theory]
    [InlineData("", "secret", "key", "client id")]
    [InlineData("id", " ", "key", "client secret")]
    [InlineData("id", "secret", "", "subscription key")]
    public void Empty_credentials_are_refused_with_where_to_find_them(string clientId, string secret, string key, string what)
    {
        var error = Assert.Throws<HaloSyncException>(() => new CumulusCredentials(clientId, secret, key));

        Assert.Equal("CumulusCredentialMissing", error.ErrorId);
        Assert.Contains(what, error.Message);
    }

    [Fact]
    public void Credentials_never_show_the_secret_or_key()
    {
        var credentials = SherwebTestBed.SampleCredentials();

        Assert.Equal("Sherweb client sim-client-id (secret and subscription key hidden)", credentials.ToString());
    }

    [Fact]
    public async Task An_answer_that_is_not_sherweb_json_is_reported_as_unreadable()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(new FaultRule { Kind = FaultKind.Status, StatusCode = 200, Body = "<html>proxy login</html>", ContentType = "text/html", PathContains = "/customers" });

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client().GetCustomersAsync());

        Assert.Equal("CumulusInvalidResponse", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.InvalidData, error.Kind);
    }

    [Fact]
    public async Task Charges_of_another_period_than_asked_are_refused()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(200, @"{ ""periodFrom"": ""2026-02-01"", ""periodTo"": ""2026-02-28"", ""charges"": [] }", pathContains: "/payable-charges"));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client().GetPayableChargesAsync(new DateTime(2026, 3, 17)));

        Assert.Equal("CumulusUnexpectedPeriod", error.ErrorId);
        Assert.Contains("2026-02-01 to 2026-02-28", error.Message);
    }

    [Fact]
    public async Task Verbose_output_of_a_full_session_with_retries_and_refresh_carries_no_secret()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var client = bed.Client();
        bed.Simulator.Faults.Enqueue(SherwebFaults.RateLimited(3, withRetryAfterHeader: true));
        await client.ConnectAsync();
        bed.Simulator.ExpireTokens();
        await client.GetSubscriptionsAsync(SherwebSampleData.Contoso);
        await client.GetPayableChargesAsync(new DateTime(2026, 3, 17));

        Assert.NotEmpty(bed.Verbose);
        Assert.Contains(bed.Verbose, line => line.Contains("rejected"));
        bed.AssertNoSecretIn();
        Assert.All(bed.Simulator.Requests.Snapshot(), r => Assert.DoesNotContain(SherwebSampleData.ClientSecret, r.Body + r.Query));
    }
}
