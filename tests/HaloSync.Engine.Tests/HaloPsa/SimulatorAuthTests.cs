using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class SimulatorAuthTests : IAsyncLifetime
{
    private HaloPsaSimulator simulator = null!;
    private RawHaloHttp http = null!;

    public async Task InitializeAsync()
    {
        simulator = await HaloPsaSimulator.StartAsync();
        http = new RawHaloHttp(simulator);
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await simulator.DisposeAsync();
    }

    [Fact]
    public async Task Authinfo_names_the_auth_server_and_tenant_without_a_token()
    {
        var (status, body) = await http.GetAsync("api/AUTHINFO");

        Assert.Equal(200, status);
        Assert.Equal(simulator.BaseAddress + "auth", body!["auth_url"]!.GetValue<string>());
        Assert.Equal("halosync-sim", body["tenant_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Issues_a_bearer_token_for_client_credentials()
    {
        var (status, body) = await http.TokenAsync(scope: "read:items edit:items");

        Assert.Equal(200, status);
        Assert.Equal("Bearer", body!["token_type"]!.GetValue<string>());
        Assert.Equal(3600, body["expires_in"]!.GetValue<int>());
        Assert.Equal("read:items edit:items", body["scope"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["access_token"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("wrong-id", HaloPsaSimulator.DefaultClientSecret)]
    [InlineData(HaloPsaSimulator.DefaultClientId, "wrong-secret")]
    public async Task Wrong_client_id_or_secret_is_invalid_client(string clientId, string secret)
    {
        var (status, body) = await http.TokenAsync(clientId, secret);

        Assert.Equal(401, status);
        Assert.Equal("invalid_client", body!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Other_grants_and_unknown_scopes_are_refused()
    {
        var (grantStatus, grantBody) = await http.TokenAsync(grantType: "password");
        var (scopeStatus, scopeBody) = await http.TokenAsync(scope: "read:everything");

        Assert.Equal(400, grantStatus);
        Assert.Equal("unsupported_grant_type", grantBody!["error"]!.GetValue<string>());
        Assert.Equal(400, scopeStatus);
        Assert.Equal("invalid_scope", scopeBody!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tenant_is_accepted_in_the_query_or_the_form_and_checked()
    {
        var (queryStatus, _) = await http.TokenAsync(path: "auth/token?tenant=halosync-sim");
        var (formStatus, _) = await http.TokenAsync(extra: new Dictionary<string, string> { ["tenant"] = "halosync-sim" });
        var (wrongStatus, wrongBody) = await http.TokenAsync(path: "auth/token?tenant=someone-else");

        Assert.Equal(200, queryStatus);
        Assert.Equal(200, formStatus);
        Assert.Equal(400, wrongStatus);
        Assert.Equal("invalid_request", wrongBody!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_calls_need_a_valid_token()
    {
        var (withoutStatus, withoutBody) = await http.GetAsync("api/Client");
        await http.AuthorizeAsync();
        var (withStatus, _) = await http.GetAsync("api/Client");
        simulator.Tokens.RevokeAll();
        var (revokedStatus, _) = await http.GetAsync("api/Client");

        Assert.Equal(401, withoutStatus);
        Assert.Equal("invalid_token", withoutBody!["error"]!.GetValue<string>());
        Assert.Equal(200, withStatus);
        Assert.Equal(401, revokedStatus);
    }

    [Fact]
    public async Task Tokens_expire_on_the_simulated_clock_and_can_answer_400()
    {
        await http.AuthorizeAsync();
        simulator.Clock.Advance(TimeSpan.FromMinutes(61));
        var (expiredStatus, _) = await http.GetAsync("api/Client");
        simulator.Options.ExpiredTokenAnswers400 = true;
        var (quirkStatus, quirkBody) = await http.GetAsync("api/Client");

        Assert.Equal(401, expiredStatus);
        Assert.Equal(400, quirkStatus);
        Assert.Equal("The request is invalid.", quirkBody!["Message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_missing_permission_answers_403()
    {
        simulator.RevokePermission(HaloPsaSimulator.DefaultClientId, "edit:invoices");
        await http.AuthorizeAsync();

        var (readStatus, _) = await http.GetAsync("api/RecurringInvoice");
        var (writeStatus, _) = await http.PostAsync("api/RecurringInvoice", "[{\"client_id\":1}]");

        Assert.Equal(200, readStatus);
        Assert.Equal(403, writeStatus);
    }

    [Fact]
    public async Task A_narrow_token_scope_limits_access_too()
    {
        await http.AuthorizeAsync(scope: "read:customers");

        Assert.Equal(200, (await http.GetAsync("api/Client")).Status);
        Assert.Equal(403, (await http.GetAsync("api/Item")).Status);
    }

    [Fact]
    public async Task The_rolling_window_answers_429_with_halos_message_until_it_frees_up()
    {
        simulator.ApplySettings(new HaloPsaSettingsChange { RateLimit = 3, RateWindowSeconds = 60 });
        await http.AuthorizeAsync();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await http.GetAsync("api/Client")).Status);
        }

        var (limitedStatus, limitedBody) = await http.GetAsync("api/Client");
        simulator.Clock.Advance(TimeSpan.FromSeconds(61));
        var (laterStatus, _) = await http.GetAsync("api/Client");

        Assert.Equal(429, limitedStatus);
        Assert.Equal("Rate Limit Reached - 3 Requests per rolling 1 minute window", limitedBody!["error"]!.GetValue<string>());
        Assert.Equal(200, laterStatus);
    }
}
