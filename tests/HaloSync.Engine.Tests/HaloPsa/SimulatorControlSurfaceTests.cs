using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class SimulatorControlSurfaceTests : IAsyncLifetime
{
    private HaloPsaSimulator simulator = null!;
    private RawHaloHttp http = null!;
    private HttpClient control = null!;

    public async Task InitializeAsync()
    {
        simulator = await HaloPsaSimulator.StartAsync();
        http = new RawHaloHttp(simulator);
        control = new HttpClient { BaseAddress = new Uri(simulator.BaseAddress, "_sim/") };
    }

    public async Task DisposeAsync()
    {
        control.Dispose();
        http.Dispose();
        await simulator.DisposeAsync();
    }

    private async Task<JsonNode?> PostControlAsync(string path, string json)
    {
        using var response = await control.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    [Fact]
    public async Task Seeds_and_reads_state_over_http()
    {
        await PostControlAsync("seed", "{\"clients\":[{\"name\":\"Contoso\"}],\"items\":[{\"name\":\"M365\",\"baseprice\":22}],\"licences\":[{\"client_id\":1,\"name\":\"Seats\",\"count\":3}]}");

        var state = JsonNode.Parse(await control.GetStringAsync("state"))!;

        Assert.Equal("Contoso", state["clients"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(22m, state["items"]![0]!["baseprice"]!.GetValue<decimal>());
        Assert.Equal(3, simulator.Store.Licences.Single().Count);
        Assert.Empty(simulator.Store.LicenceChanges);
    }

    [Fact]
    public async Task Lists_and_clears_received_requests_with_masked_secrets()
    {
        await http.AuthorizeAsync();
        await http.GetAsync("api/Client?search=x");

        var requests = JsonNode.Parse(await control.GetStringAsync("requests"))!.AsArray();
        await control.DeleteAsync("requests");

        Assert.Equal(new[] { "/auth/token", "/api/Client" }, requests.Select(r => r!["path"]!.GetValue<string>()));
        Assert.Equal("?search=x", requests[1]!["query"]!.GetValue<string>());
        Assert.Contains("client_secret=***", requests[0]!["body"]!.GetValue<string>());
        Assert.DoesNotContain(HaloPsaSimulator.DefaultClientSecret, requests.ToJsonString());
        Assert.Equal(0, simulator.Requests.Count);
    }

    [Fact]
    public async Task Injects_faults_scoped_by_path_and_count()
    {
        await http.AuthorizeAsync();
        await PostControlAsync("faults", "{\"kind\":\"Status\",\"statusCode\":503,\"pathContains\":\"/api/Item\",\"times\":2}");

        var client = await http.GetAsync("api/Client");
        var first = await http.GetAsync("api/Item");
        var second = await http.GetAsync("api/Item");
        var third = await http.GetAsync("api/Item");

        Assert.Equal(new[] { 200, 503, 503, 200 }, new[] { client.Status, first.Status, second.Status, third.Status });
        Assert.Equal(new[] { 200, 503, 503, 200 }, simulator.Requests.Matching("/api/").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Drops_connections_on_request()
    {
        await PostControlAsync("faults", "{\"kind\":\"DropConnection\",\"pathContains\":\"authinfo\"}");

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("api/authinfo"));
        Assert.Equal(200, (await http.GetAsync("api/authinfo")).Status);
    }

    [Fact]
    public async Task Moves_the_clock_and_expires_or_revokes_tokens()
    {
        await http.AuthorizeAsync();
        var before = simulator.Clock.UtcNow;

        await PostControlAsync("clock", "{\"advanceSeconds\":120}");
        var afterAdvance = (await http.GetAsync("api/Client")).Status;
        await PostControlAsync("tokens/expire", "{}");
        var afterExpire = (await http.GetAsync("api/Client")).Status;
        await http.AuthorizeAsync();
        await PostControlAsync("tokens/revoke", "{}");
        var afterRevoke = (await http.GetAsync("api/Client")).Status;

        Assert.Equal(before.AddSeconds(120), simulator.Clock.UtcNow);
        Assert.Equal(new[] { 200, 401, 401 }, new[] { afterAdvance, afterExpire, afterRevoke });
    }

    [Fact]
    public async Task Changes_settings_applications_and_latency()
    {
        await PostControlAsync("settings", "{\"rateLimit\":1,\"expiredTokenAnswers400\":true,\"maxPageSizes\":{\"Client\":5}}");
        await PostControlAsync("applications", "{\"clientId\":\"reader\",\"clientSecret\":\"s\",\"permissions\":[\"read:customers\",\"read:items\"]}");
        await PostControlAsync("applications/reader/revoke/read:items", "{}");
        await PostControlAsync("latency", "{\"milliseconds\":50}");
        await http.AuthorizeAsync("reader", "s");

        var started = DateTime.UtcNow;
        var first = (await http.GetAsync("api/Client")).Status;
        var elapsed = DateTime.UtcNow - started;
        var second = (await http.GetAsync("api/Client")).Status;

        Assert.Equal(200, first);
        Assert.Equal(429, second);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(45));
        Assert.True(simulator.Options.ExpiredTokenAnswers400);
        Assert.Equal(5, simulator.Options.MaxPageSizeFor("client"));
        Assert.Equal(new[] { "read:customers" }, simulator.Application("reader").Permissions);
    }
}
