using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using HaloSync.Simulators.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Builder;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>
/// HaloPSA-specific control routes under the control prefix: POST seed, GET state, POST reset,
/// POST invoices/generate, POST tokens/expire, POST tokens/revoke, GET/POST applications, POST applications/{clientId}/revoke/{permission},
/// GET/POST settings. Requests, faults, clock and latency come from <see cref="SimulatorHost"/>.
/// </summary>
internal sealed class HaloPsaControlRoutes
{
    private readonly HaloPsaSimulator simulator;

    public HaloPsaControlRoutes(HaloPsaSimulator simulator)
    {
        this.simulator = simulator;
    }

    public void Map(RouteGroupBuilder control)
    {
        control.MapPost("/seed", async (HttpRequest request) =>
        {
            if (await JsonNode.ParseAsync(request.Body) is not JsonObject seed)
            {
                return Results.BadRequest(new { error = "Send {\"clients\":[],\"items\":[],\"licences\":[],\"invoices\":[]}." });
            }

            simulator.Store.Seed(seed);
            return State();
        });
        control.MapGet("/state", State);
        control.MapPost("/reset", () =>
        {
            simulator.Store.Reset();
            return Results.NoContent();
        });
        control.MapPost("/invoices/generate", async (HttpRequest request) =>
        {
            var generation = request.ContentLength is null or 0
                ? new InvoiceGeneration()
                : await JsonSerializer.DeserializeAsync<InvoiceGeneration>(request.Body, SimulatorHost.ControlJson) ?? new InvoiceGeneration();
            var date = generation.Date?.Date ?? simulator.Clock.UtcNow.UtcDateTime.Date;
            try
            {
                var generated = simulator.Store.GenerateInvoicesJson(generation.RecurringInvoiceIds ?? Array.Empty<int>(), date);
                return Results.Text(new JsonArray(generated.Select(i => (JsonNode)i).ToArray()).ToJsonString(), "application/json");
            }
            catch (HaloApiException ex)
            {
                return Results.Json(new { error = ex.Message }, statusCode: ex.StatusCode);
            }
        });
        control.MapPost("/tokens/expire", () =>
        {
            simulator.Tokens.ExpireAll();
            return Results.NoContent();
        });
        control.MapPost("/tokens/revoke", () =>
        {
            simulator.Tokens.RevokeAll();
            return Results.NoContent();
        });
        control.MapGet("/applications", () => Results.Json(
            simulator.Applications.Select(a => new { a.ClientId, a.AgentName, Permissions = a.Permissions.ToArray() }), SimulatorHost.ControlJson));
        control.MapPost("/applications", async (HttpRequest request) =>
        {
            var change = await JsonSerializer.DeserializeAsync<HaloApplicationChange>(request.Body, SimulatorHost.ControlJson);
            if (change is null || string.IsNullOrEmpty(change.ClientId))
            {
                return Results.BadRequest(new { error = "Send {\"clientId\":…,\"clientSecret\":…,\"permissions\":[…]}." });
            }

            simulator.AddApplication(new HaloApiApplication(change.ClientId, change.ClientSecret, change.Permissions, change.AgentName ?? "API (HaloSync)"));
            return Results.NoContent();
        });
        control.MapPost("/applications/{clientId}/revoke/{permission}", (string clientId, string permission) =>
        {
            simulator.RevokePermission(clientId, permission);
            return Results.NoContent();
        });
        control.MapGet("/settings", () => Results.Json(simulator.Options, SimulatorHost.ControlJson));
        control.MapPost("/settings", async (HttpRequest request) =>
        {
            var change = await JsonSerializer.DeserializeAsync<HaloPsaSettingsChange>(request.Body, SimulatorHost.ControlJson);
            if (change is not null)
            {
                simulator.ApplySettings(change);
            }

            return Results.Json(simulator.Options, SimulatorHost.ControlJson);
        });
    }

    private IResult State() => Results.Text(simulator.Store.ToJson().ToJsonString(), "application/json");
}

/// <summary>Body of POST {prefix}/invoices/generate: the invoice date (default: the simulated today) and the recurring invoices (default: all).</summary>
public sealed record InvoiceGeneration(DateTime? Date = null, int[]? RecurringInvoiceIds = null);
