using System;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.HaloPsa;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class HaloPsaConnectTests : IAsyncLifetime
{
    private HaloTestBed bed = null!;

    public async Task InitializeAsync() => bed = await HaloTestBed.StartAsync();

    public async Task DisposeAsync() => await bed.DisposeAsync();

    /// <summary>Issue 9, point 7: Connect-HaloPsa's quick check (3 tries) still sits out rate limiting within its 2-minute bound.</summary>
    [Fact]
    public async Task Connecting_waits_out_rate_limiting_within_its_bound_without_using_up_its_tries()
    {
        bed.Simulator.Faults.Enqueue(FaultRule.Status(429, "{\"error\":\"Rate Limit Reached\"}", retryAfter: "5", pathContains: "/api/Client", times: 4));

        using var client = await bed.ConnectAsync(o =>
        {
            o.MaxAttempts = 3;
            o.BaseDelay = TimeSpan.FromSeconds(1);
            o.RateLimitBudget = TimeSpan.FromMinutes(2);
        });

        Assert.Equal(new[] { 5.0, 5.0, 5.0, 5.0 }, bed.Delay.Waits.Select(w => w.TotalSeconds));
        Assert.Equal(5, bed.Simulator.Requests.Matching("/api/Client").Count);
    }

    [Fact]
    public async Task Connecting_gives_up_when_rate_limiting_outlasts_its_bound()
    {
        bed.Simulator.Faults.Enqueue(FaultRule.Status(429, "{\"error\":\"Rate Limit Reached\"}", retryAfter: "50", pathContains: "/api/Client", times: 10));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(o =>
        {
            o.MaxAttempts = 3;
            o.RateLimitBudget = TimeSpan.FromMinutes(2);
        }));

        Assert.Equal(HaloSyncErrorKind.RateLimited, error.Kind);
        Assert.Equal(new[] { 50.0, 50.0 }, bed.Delay.Waits.Select(w => w.TotalSeconds)); // a third 50 s would pass the 2 minutes
    }

    [Fact]
    public async Task Discovers_the_auth_server_gets_a_token_and_probes_read_access()
    {
        using var client = await bed.ConnectAsync();

        var paths = bed.Simulator.Requests.Snapshot().Select(r => r.Method + " " + r.Path + r.Query).ToList();
        Assert.Equal(new[]
        {
            "GET /api/authinfo",
            "POST /auth/token?tenant=halosync-sim",
            "GET /api/Client?pageinate=true&page_size=1&page_no=1",
            "GET /api/Item?pageinate=true&page_size=1&page_no=1",
            "GET /api/RecurringInvoice?pageinate=true&page_size=1&page_no=1",
            "GET /api/SoftwareLicence?pageinate=true&page_size=1&page_no=1",
        }, paths);
        Assert.Equal(6, client.RequestsSent);
        Assert.Equal(new Uri(bed.Simulator.BaseAddress, "auth/token"), client.TokenEndpoint);
        Assert.Equal("halosync-sim", client.Tenant);
        Assert.Contains("grant_type=client_credentials", bed.Simulator.Requests.Snapshot()[1].Body);
        Assert.Contains("scope=all", bed.Simulator.Requests.Snapshot()[1].Body);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("api/")]
    [InlineData("API")]
    public async Task Accepts_the_resource_server_url_ending_in_api(string suffix)
    {
        using var client = await bed.ConnectAsync(credentials: bed.Credentials(site: bed.Site + suffix));

        Assert.Equal(bed.Simulator.BaseAddress, client.Site);
    }

    [Fact]
    public async Task Falls_back_to_auth_token_when_authinfo_is_missing()
    {
        bed.Simulator.Faults.Enqueue(FaultRule.Status(404, pathContains: "authinfo"));

        using var client = await bed.ConnectAsync(credentials: bed.Credentials(tenant: "halosync-sim"));

        Assert.Equal(new Uri(bed.Simulator.BaseAddress, "auth/token"), client.TokenEndpoint);
        Assert.Contains(bed.Simulator.Requests.Snapshot(), r => r.Path == "/auth/token" && r.Query == "?tenant=halosync-sim");
    }

    [Fact]
    public async Task A_wrong_secret_says_to_check_the_client_id_and_secret()
    {
        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: bed.Credentials(secret: "not-the-secret")));

        Assert.Equal("HaloPsaInvalidClient", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.Authentication, error.Kind);
        Assert.Contains("Check both under Configuration > Integrations > HaloPSA API > View Applications", error.Message);
        Assert.DoesNotContain("not-the-secret", error.Message);
        Assert.DoesNotContain("not-the-secret", bed.Verbose.Text);
    }

    [Fact]
    public async Task A_wrong_client_id_is_named()
    {
        var credentials = new HaloPsaCredentials(bed.Site, "someone-else", HaloPsaSimulator.DefaultClientSecret);

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: credentials));

        Assert.Equal("HaloPsaInvalidClient", error.ErrorId);
        Assert.Contains("client id 'someone-else'", error.Message);
    }

    [Fact]
    public async Task A_missing_read_permission_is_named_in_the_setup_guides_words()
    {
        bed.Simulator.RevokePermission(HaloPsaSimulator.DefaultClientId, "read:items");

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync());

        Assert.Equal("HaloPsaPermissionMissing", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("'Read: items' (read:items)", error.Message);
        Assert.Contains("Items Access Level: Read and Modify", error.Message);
        Assert.DoesNotContain("customers", error.Message);
    }

    [Fact]
    public async Task Every_missing_read_permission_is_named_at_once()
    {
        bed.Simulator.RevokePermission(HaloPsaSimulator.DefaultClientId, "read:invoices");
        bed.Simulator.RevokePermission(HaloPsaSimulator.DefaultClientId, "read:softwarelicensing");

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync());

        Assert.Contains("'Read: invoices' (read:invoices)", error.Message);
        Assert.Contains("Invoice Access Level: Read, Create, Modify, and Delete", error.Message);
        Assert.Contains("'Read: softwarelicensing' (read:softwarelicensing)", error.Message);
        Assert.Contains("Software Access Level: Read and Modify", error.Message);
    }

    [Fact]
    public async Task A_narrow_scope_shows_up_as_missing_permissions()
    {
        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: bed.Credentials(scope: "read:customers read:items")));

        Assert.Contains("read:invoices", error.Message);
        Assert.Contains("If you connected with -Scope", error.Message);
    }

    [Fact]
    public async Task An_unknown_scope_says_which_scope_to_use()
    {
        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: bed.Credentials(scope: "read:nothing")));

        Assert.Equal("HaloPsaInvalidScope", error.ErrorId);
        Assert.Contains("'read:nothing'", error.Message);
        Assert.Contains("default scope 'all'", error.Message);
    }

    [Fact]
    public async Task An_application_without_client_credentials_says_which_authentication_method_to_pick()
    {
        bed.Simulator.Faults.Enqueue(FaultRule.Status(400, "{\"error\":\"unsupported_grant_type\"}", pathContains: "/auth/token"));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync());

        Assert.Equal("HaloPsaGrantNotAllowed", error.ErrorId);
        Assert.Contains("'Client ID and Secret (services)'", error.Message);
    }

    [Fact]
    public async Task An_unknown_tenant_says_where_to_find_the_right_one()
    {
        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: bed.Credentials(tenant: "nope")));

        Assert.Equal("HaloPsaUnknownTenant", error.ErrorId);
        Assert.Contains("API Details", error.Message);
    }

    [Fact]
    public async Task An_unreachable_site_says_to_check_the_address_and_network()
    {
        var site = $"http://127.0.0.1:{ClosedPort.Find()}";

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(o => o.MaxAttempts = 2, bed.Credentials(site: site)));

        Assert.Equal("HttpConnectionFailed", error.ErrorId);
        Assert.Contains("Could not reach HaloPSA at " + site, error.Message);
        Assert.Contains("Check the site address", error.Message);
    }

    [Fact]
    public async Task A_site_that_is_not_halo_is_recognised()
    {
        await using var website = await SimulatorHost.StartAsync((app, _) =>
            app.MapFallback(() => Results.Content("<html><body>Welcome to our website</body></html>", "text/html")));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: bed.Credentials(site: website.BaseAddress.ToString())));

        Assert.Equal("HaloPsaNotASite", error.ErrorId);
        Assert.Contains("Use your HaloPSA web address", error.Message);
    }

    [Fact]
    public async Task A_site_that_redirects_names_the_address_it_redirects_to()
    {
        // As IIS answers a moved site: 301 with an HTML page, which must not pass for "not a HaloPSA site".
        await using var vanity = await SimulatorHost.StartAsync((app, _) =>
            app.MapFallback((HttpContext context) =>
            {
                var target = "https://contoso.halopsa.com" + context.Request.Path;
                context.Response.Headers.Location = target;
                return Results.Content($"<html><head><title>Object moved</title></head><body><a href=\"{target}\">here</a></body></html>", "text/html",
                    statusCode: StatusCodes.Status301MovedPermanently);
            }));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(o => o.MaxAttempts = 1, bed.Credentials(site: vanity.BaseAddress.ToString())));

        Assert.Equal("HttpRedirected", error.ErrorId);
        Assert.Contains("HaloPSA answered 301 while getting an access token, sending the request on to https://contoso.halopsa.com/auth/token.", error.Message);
        Assert.Contains("connect with that address", error.Message);
    }

    [Fact]
    public async Task A_site_that_answers_404_everywhere_is_recognised()
    {
        await using var website = await SimulatorHost.StartAsync((_, _) => { });

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.ConnectAsync(credentials: bed.Credentials(site: website.BaseAddress.ToString())));

        Assert.Equal("HaloPsaNotASite", error.ErrorId);
    }

    [Fact]
    public void Plain_http_to_a_real_host_is_refused_before_anything_is_sent()
    {
        var error = Assert.Throws<HaloSyncException>(() => HaloPsaClient.Create(bed.Credentials(site: "http://contoso.halopsa.com")));

        Assert.Equal("EndpointNotHttps", error.ErrorId);
    }

    [Fact]
    public void A_site_without_scheme_is_https()
    {
        using var client = HaloPsaClient.Create(bed.Credentials(site: "contoso.halopsa.com/api"));

        Assert.Equal(new Uri("https://contoso.halopsa.com/"), client.Site);
    }

    [Fact]
    public void Credentials_never_show_the_secret()
    {
        var credentials = bed.Credentials(secret: "top-secret-value");

        Assert.DoesNotContain("top-secret-value", credentials.ToString());
        Assert.Contains("secret hidden", credentials.ToString());
    }
}
