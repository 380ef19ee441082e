using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HaloSync.Simulators.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>The HaloPSA REST surface: /api/authinfo, /auth/token and the /api resources (routing is case-insensitive).</summary>
internal sealed class HaloPsaApi
{
    private readonly HaloPsaSimulator simulator;

    public HaloPsaApi(HaloPsaSimulator simulator)
    {
        this.simulator = simulator;
    }

    // Handlers take HttpRequest, not HttpContext: a lambda from HttpContext to Task<IResult> would bind as a
    // RequestDelegate and its result would never be written.
    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/authinfo", (HttpRequest request) => Json(new JsonObject
        {
            ["auth_url"] = BaseUrl(request.HttpContext) + "/auth",
            ["tenant_id"] = simulator.Options.Tenant,
        }));
        app.MapPost("/auth/token", IssueTokenAsync);

        foreach (var resource in HaloResource.All)
        {
            app.MapGet($"/api/{resource.Name}", (HttpRequest request) => Guarded(request.HttpContext, resource.ReadPermission, () => List(resource, request)));
            app.MapGet($"/api/{resource.Name}/{{id:int}}", (HttpRequest request, int id) => Guarded(request.HttpContext, resource.ReadPermission, () => GetOne(resource, id, request)));
            app.MapPost($"/api/{resource.Name}", (HttpRequest request) => GuardedAsync(request.HttpContext, resource.EditPermission, who => SaveAsync(resource, request, who)));
            app.MapDelete($"/api/{resource.Name}/{{id:int}}", (HttpRequest request, int id) => Guarded(request.HttpContext, resource.EditPermission, () => Json(simulator.Store.Delete(resource.Kind, id))));
        }

        app.MapPost("/api/RecurringInvoice/process", (HttpRequest request) => GuardedAsync(request.HttpContext, HaloPermissions.EditInvoices, async _ =>
        {
            var ids = (await ReadArrayAsync(request).ConfigureAwait(false))
                .Select(node => node is JsonValue value && value.TryGetValue<int>(out var id) ? id : throw HaloApiException.Validation("Send an array of recurring invoice ids."))
                .ToList();
            var generated = simulator.Store.GenerateInvoicesJson(ids, simulator.Clock.UtcNow.UtcDateTime.Date);
            return Json(new JsonArray(generated.Select(i => (JsonNode)i).ToArray()));
        }));
        app.MapPost("/api/RecurringInvoice/updatelines", (HttpRequest request) => GuardedAsync(request.HttpContext, HaloPermissions.EditInvoices, async who =>
            Reply(simulator.Store.UpdateLines(await ReadArrayAsync(request).ConfigureAwait(false), who), request)));
        app.MapGet("/api/LicenceChange", (HttpRequest request) => Guarded(request.HttpContext, HaloPermissions.ReadSoftwareLicensing, () =>
            ListHistory(EntityKind.Licence, request, ("licence_id", "licence_id"))));
        app.MapGet("/api/InvoiceChange", (HttpRequest request) => Guarded(request.HttpContext, HaloPermissions.ReadInvoices, () =>
            ListHistory(EntityKind.RecurringInvoice, request, ("invoice_id", "invoice_id"), ("line_id", "invoice_line_id"))));
    }

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private async Task<IResult> IssueTokenAsync(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return OAuthError(400, "invalid_request");
        }

        var form = await request.ReadFormAsync().ConfigureAwait(false);
        var tenant = request.Query["tenant"].FirstOrDefault() ?? form["tenant"].FirstOrDefault();
        if ((simulator.Options.RequireTenant && string.IsNullOrEmpty(tenant))
            || (!string.IsNullOrEmpty(tenant) && !string.Equals(tenant, simulator.Options.Tenant, StringComparison.OrdinalIgnoreCase)))
        {
            return OAuthError(400, "invalid_request", "Unknown tenant");
        }

        if (form["grant_type"].FirstOrDefault() != "client_credentials")
        {
            return OAuthError(400, "unsupported_grant_type");
        }

        var application = simulator.FindApplication(form["client_id"].FirstOrDefault() ?? "");
        if (application is null || application.ClientSecret != form["client_secret"].FirstOrDefault())
        {
            return OAuthError(401, "invalid_client");
        }

        var scopeText = form["scope"].FirstOrDefault();
        var scopes = (string.IsNullOrWhiteSpace(scopeText) ? "all" : scopeText!).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (scopes.Any(s => !HaloPermissions.KnownScopes.Contains(s)))
        {
            return OAuthError(400, "invalid_scope");
        }

        var token = simulator.Tokens.Issue(application.ClientId, scopes);
        return Json(new JsonObject
        {
            ["access_token"] = token.Value,
            ["token_type"] = "Bearer",
            ["expires_in"] = (int)simulator.Tokens.Lifetime.TotalSeconds,
            ["scope"] = string.Join(" ", scopes),
        });
    }

    private Task<IResult> Guarded(HttpContext context, string permission, Func<IResult> handle) =>
        GuardedAsync(context, permission, _ => Task.FromResult(handle()));

    /// <summary>Bearer token (401, or 400 for an expired one in quirk mode), then rate limit (429), then permission (403).</summary>
    private async Task<IResult> GuardedAsync(HttpContext context, string permission, Func<string, Task<IResult>> handle)
    {
        var (status, token) = simulator.Tokens.Validate(context.Request.Headers.Authorization.FirstOrDefault());
        if (status == TokenStatus.Expired && simulator.Options.ExpiredTokenAnswers400)
        {
            return Error(400, "The request is invalid.");
        }

        if (status != TokenStatus.Valid || token is null)
        {
            return OAuthError(401, "invalid_token");
        }

        if (!simulator.RateLimiter.TryAcquire(token.ClientId, out var retryAfter))
        {
            if (simulator.Options.SendRetryAfterOnRateLimit)
            {
                context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            var minutes = simulator.RateLimiter.Window.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture);
            return Json(new JsonObject { ["error"] = $"Rate Limit Reached - {simulator.RateLimiter.Limit} Requests per rolling {minutes} minute window" }, 429);
        }

        var application = simulator.FindApplication(token.ClientId);
        if (application is null || !Allows(application, token, permission))
        {
            return Error(403, "You do not have permission to access this resource.");
        }

        try
        {
            return await handle(application.AgentName).ConfigureAwait(false);
        }
        catch (HaloApiException ex)
        {
            return Error(ex.StatusCode, ex.Message);
        }
    }

    private static bool Allows(HaloApiApplication application, IssuedToken token, string permission)
    {
        var names = HaloPermissions.Equivalents(permission).ToList();
        bool applicationHas;
        lock (application.Permissions)
        {
            applicationHas = application.Permissions.Contains("all") || names.Any(application.Permissions.Contains);
        }

        var tokenHas = token.Scopes.Contains("all") || names.Any(token.Scopes.Contains);
        return applicationHas && tokenHas;
    }

    private IResult List(HaloResource resource, HttpRequest request)
    {
        var clientId = IntParam(request, "client_id");
        var search = request.Query["search"].FirstOrDefault();
        var includeInactive = Flag(request, "includeinactive");
        var topLevelId = IntParam(request, "toplevel_id");
        var isInvoice = resource.Kind is EntityKind.RecurringInvoice or EntityKind.Invoice;
        var searchField = isInvoice ? "reference" : "name";
        var clientIds = isInvoice ? IntListParam(request, "client_ids") : null;
        var invoiceMatches = resource.Kind == EntityKind.Invoice ? InvoiceFilter(request) : null;
        bool Matches(JsonObject r) =>
            resource.Kind switch
            {
                EntityKind.Client => (includeInactive || !HaloJson.GetBool(r, "inactive")) && (topLevelId is null || HaloJson.GetInt(r, "toplevel_id") == topLevelId),
                EntityKind.Licence => (includeInactive || HaloJson.GetBool(r, "is_active")) && !HaloJson.GetBool(r, "deleted"),
                EntityKind.Invoice => invoiceMatches!(r),
                _ => true,
            }
            && (clientId is null || !(isInvoice || resource.Kind == EntityKind.Licence) || HaloJson.GetInt(r, "client_id") == clientId)
            && (clientIds is null || clientIds.Contains(HaloJson.GetInt(r, "client_id") ?? 0))
            && (string.IsNullOrEmpty(search) || HaloJson.GetString(r, searchField).IndexOf(search, StringComparison.OrdinalIgnoreCase) >= 0);

        // Only the rows of the page asked for are copied out of the store.
        var (skip, take) = Window(resource.Name, request);
        var (count, page) = simulator.Store.Page(resource.Kind, Matches, skip, take);
        var shown = resource.Kind switch
        {
            EntityKind.Item => page.Select(r => WithoutDetails(r, request)),
            EntityKind.RecurringInvoice or EntityKind.Invoice when !Flag(request, "includelines") => page.Select(r => Without(r, "lines")),
            _ => page,
        };
        return simulator.Options.ListsAsBareArrays ? Json(new JsonArray(shown.Select(r => (JsonNode)r).ToArray())) : ListAnswer(resource.ListKey, count, shown);
    }

    /// <summary>recurringinvoice_id, and invoicedatestart / invoicedateend as inclusive calendar dates of invoice_date.</summary>
    private static Func<JsonObject, bool> InvoiceFilter(HttpRequest request)
    {
        var recurringId = IntParam(request, "recurringinvoice_id");
        var start = DateParam(request, "invoicedatestart");
        var end = DateParam(request, "invoicedateend");
        return r => (recurringId is null || HaloJson.GetInt(r, "recurring_invoice_id") == recurringId)
                    && (start is null || HaloJson.GetDate(r, "invoice_date") >= start)
                    && (end is null || HaloJson.GetDate(r, "invoice_date") <= end);
    }

    private IResult ListHistory(EntityKind kind, HttpRequest request, params (string Parameter, string Field)[] filters)
    {
        IEnumerable<JsonObject> rows = simulator.Store.History(kind);
        foreach (var (parameter, field) in filters)
        {
            if (IntParam(request, parameter) is { } value)
            {
                rows = rows.Where(r => HaloJson.GetInt(r, field) == value);
            }
        }

        var all = rows.ToList();
        var (skip, take) = Window(kind == EntityKind.Licence ? "LicenceChange" : "InvoiceChange", request);
        return ListAnswer("changes", all.Count, all.Skip(skip).Take(take));
    }

    /// <summary>pageinate/page_size/page_no with the endpoint's page cap, or count; everything when neither is given.</summary>
    private (int Skip, int Take) Window(string resourceName, HttpRequest request)
    {
        if (Flag(request, "pageinate"))
        {
            var pageSize = Math.Min(Math.Max(IntParam(request, "page_size") ?? 50, 1), simulator.Options.MaxPageSizeFor(resourceName));
            var pageNumber = Math.Max(IntParam(request, "page_no") ?? 1, 1);
            return ((pageNumber - 1) * pageSize, pageSize);
        }

        return (0, IntParam(request, "count") ?? int.MaxValue);
    }

    /// <summary>The list envelope; record_count is always the full count.</summary>
    private static IResult ListAnswer(string listKey, int recordCount, IEnumerable<JsonObject> page) => Json(new JsonObject
    {
        ["record_count"] = recordCount,
        [listKey] = new JsonArray(page.Select(r => (JsonNode)r).ToArray()),
    });

    private IResult GetOne(HaloResource resource, int id, HttpRequest request)
    {
        var row = simulator.Store.Get(resource.Kind, id);
        return Json(resource.Kind == EntityKind.Item ? WithoutDetails(row, request) : row);
    }

    private async Task<IResult> SaveAsync(HaloResource resource, HttpRequest request, string who)
    {
        var records = await ReadArrayAsync(request).ConfigureAwait(false);
        if (resource.Kind == EntityKind.Licence && !simulator.Options.LicencesKeepItemId)
        {
            foreach (var record in records.OfType<JsonObject>())
            {
                record.Remove("item_id");
            }
        }

        var saved = simulator.Store.Save(resource.Kind, records, who);
        return Reply(saved, request);
    }

    /// <summary>One saved object back (the last), or all of them with returnall=true.</summary>
    private static IResult Reply(IReadOnlyList<JsonObject> saved, HttpRequest request)
    {
        if (Flag(request, "returnall"))
        {
            return Json(new JsonArray(saved.Select(s => (JsonNode)s).ToArray()));
        }

        return saved.Count == 0 ? Json(new JsonObject()) : Json(saved[saved.Count - 1]);
    }

    private static async Task<JsonArray> ReadArrayAsync(HttpRequest request)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw HaloApiException.Validation("The request body is not valid JSON.");
        }

        return body as JsonArray ?? throw HaloApiException.Validation("The request body must be a JSON array of objects.");
    }

    private static JsonObject WithoutDetails(JsonObject item, HttpRequest request) =>
        Flag(request, "includedetails") ? item : Without(item, "item_suppliers");

    private static JsonObject Without(JsonObject row, string field)
    {
        row.Remove(field);
        return row;
    }

    private static bool Flag(HttpRequest request, string name) =>
        string.Equals(request.Query[name].FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);

    private static int? IntParam(HttpRequest request, string name) =>
        int.TryParse(request.Query[name].FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int[]? IntListParam(HttpRequest request, string name) =>
        request.Query[name].FirstOrDefault() is { Length: > 0 } text
            ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(part => int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw HaloApiException.Validation($"'{part}' in {name} is not an id."))
                .ToArray()
            : null;

    private static DateTime? DateParam(HttpRequest request, string name) =>
        request.Query[name].FirstOrDefault() is { Length: > 0 } text
            ? HaloJson.NormalizeDate(text) is { } date ? DateTime.Parse(date, CultureInfo.InvariantCulture).Date : throw HaloApiException.Validation($"'{text}' in {name} is not a date.")
            : null;

    private static IResult Json(JsonNode node, int status = 200) =>
        Results.Text(node.ToJsonString(), "application/json; charset=utf-8", statusCode: status);

    private static IResult Error(int status, string message) => status == 400
        ? Json(new JsonObject { ["ClassName"] = "Halo.Exceptions.HaloValidationException", ["Message"] = message }, status)
        : Json(new JsonObject { ["Message"] = message }, status);

    private static IResult OAuthError(int status, string error, string? description = null)
    {
        var body = new JsonObject { ["error"] = error };
        if (description is not null)
        {
            body["error_description"] = description;
        }

        return Json(body, status);
    }
}
