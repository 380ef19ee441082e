using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.TestSupport;

/// <summary>Plain HTTP calls to the HaloPSA simulator, for testing the simulator itself.</summary>
public sealed class RawHaloHttp : IDisposable
{
    private readonly HttpClient http;

    public RawHaloHttp(HaloPsaSimulator simulator)
    {
        http = new HttpClient { BaseAddress = simulator.BaseAddress };
    }

    public async Task<(int Status, JsonNode? Body)> TokenAsync(
        string clientId = HaloPsaSimulator.DefaultClientId, string secret = HaloPsaSimulator.DefaultClientSecret,
        string scope = "all", string grantType = "client_credentials", string path = "auth/token", Dictionary<string, string>? extra = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = grantType, ["client_id"] = clientId, ["client_secret"] = secret, ["scope"] = scope };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            form[key] = value;
        }

        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form));
        return ((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Gets a token for the default application and sends it with every following call.</summary>
    public async Task<RawHaloHttp> AuthorizeAsync(string clientId = HaloPsaSimulator.DefaultClientId, string secret = HaloPsaSimulator.DefaultClientSecret, string scope = "all")
    {
        var (_, body) = await TokenAsync(clientId, secret, scope);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body!["access_token"]!.GetValue<string>());
        return this;
    }

    public Task<(int Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<(int Status, JsonNode? Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<(int Status, JsonNode? Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync()));
    }

    public void Dispose() => http.Dispose();

    private static JsonNode? Parse(string text) => string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
}
