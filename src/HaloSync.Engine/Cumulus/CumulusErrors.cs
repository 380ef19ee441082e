using System;
using System.Net;
using System.Net.Http;
using HaloSync.Engine.Http;
using Newtonsoft.Json.Linq;

namespace HaloSync.Engine.Cumulus;

/// <summary>Turns Sherweb's refusals into errors that say what to do. Never quotes a secret or key: only server text.</summary>
internal static class CumulusErrors
{
    private const string Service = "Sherweb";
    private const string ApiPage = "Cumulus (cumulus.sherweb.com) > Security > APIs";

    public static HaloSyncException FromTokenResponse(HttpResponseMessage response, string? body, DateTimeOffset now)
    {
        if (SubscriptionKeyProblem(response, body) is { } keyProblem)
        {
            return keyProblem;
        }

        var status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            var serverSays = ApiErrorMessage.Extract(body);
            if (serverSays is not null && serverSays.IndexOf("scope", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new HaloSyncException("CumulusScopeNotGranted", HaloSyncErrorKind.PermissionDenied,
                    $"Sherweb would not grant the 'service-provider' and 'distributor' scopes ({status}, Sherweb said: {serverSays}). " +
                    $"Make sure the API client in {ApiPage} has access to both the Service Provider API and the Distributor API " +
                    "(the Service Provider API may need to be enabled by your Sherweb account manager), then connect again.");
            }

            return new HaloSyncException("CumulusCredentialsRejected", HaloSyncErrorKind.Authentication,
                $"Sherweb refused the client id or client secret ({status}{Said(serverSays)}). Copy both again from {ApiPage}; " +
                "the secret is shown only once, so generate a new one if you no longer have it, then connect again.");
        }

        return HttpErrorMapper.ToException(Service, "getting an access token", response, body, now);
    }

    public static HaloSyncException FromApiResponse(HttpResponseMessage response, string? body, string operation, string scope, DateTimeOffset now)
    {
        if (SubscriptionKeyProblem(response, body) is { } keyProblem)
        {
            return keyProblem;
        }

        var serverSays = ApiErrorMessage.Extract(body);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                return new HaloSyncException("CumulusUnauthorized", HaloSyncErrorKind.Authentication,
                    $"Sherweb refused the access token while {operation}, even a fresh one (401{Said(serverSays)}). " +
                    $"Check that the API client in {ApiPage} is still active, then connect again.");
            case HttpStatusCode.Forbidden:
                return new HaloSyncException("CumulusPermissionDenied", HaloSyncErrorKind.PermissionDenied,
                    $"Sherweb denied access while {operation} (403{Said(serverSays)}). The API client needs the '{scope}' scope: " +
                    $"give it access to the {(scope == CumulusClient.DistributorScope ? "Distributor" : "Service Provider")} API in {ApiPage} " +
                    "(your Sherweb account manager may have to enable it), then connect again.");
            case HttpStatusCode.NotFound:
                return new HaloSyncException("CumulusNotFound", HaloSyncErrorKind.NotFound,
                    $"Sherweb found nothing while {operation} (404{Said(serverSays)}). The customer may have been removed; " +
                    "refresh the organizations with Get-CumulusOrganization and check the mapping.");
        }

        return HttpErrorMapper.ToException(Service, operation, response, body, now);
    }

    public static HaloSyncException InvalidResponse(string operation, Exception cause) =>
        new("CumulusInvalidResponse", HaloSyncErrorKind.InvalidData,
            $"Sherweb sent an answer HaloSync cannot read while {operation}. Check that the API address points at the Sherweb API " +
            "(default https://api.sherweb.com) and try again; if it persists, report it with the verbose output.", cause);

    /// <summary>The API Management gateway answers a missing or wrong key with 401 and its own {statusCode, message} body.</summary>
    private static HaloSyncException? SubscriptionKeyProblem(HttpResponseMessage response, string? body)
    {
        if (response.StatusCode != HttpStatusCode.Unauthorized || GatewayMessage(body) is not { } message
            || message.IndexOf("subscription key", StringComparison.OrdinalIgnoreCase) < 0)
        {
            return null;
        }

        return message.IndexOf("missing", StringComparison.OrdinalIgnoreCase) >= 0
            ? new HaloSyncException("CumulusSubscriptionKeyMissing", HaloSyncErrorKind.Authentication,
                $"Sherweb's gateway received no subscription key. Pass the Subscription Key from {ApiPage} with -SubscriptionKey and connect again.")
            : new HaloSyncException("CumulusSubscriptionKeyInvalid", HaloSyncErrorKind.Authentication,
                $"Sherweb's gateway rejected the subscription key. Copy the Subscription Key again from {ApiPage} (it is not the client secret) and connect again.");
    }

    private static string? GatewayMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || !body!.TrimStart().StartsWith("{", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            var message = JObject.Parse(body)["message"];
            return message?.Type == JTokenType.String ? (string?)message : null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            return null;
        }
    }

    private static string Said(string? serverSays) => serverSays is null ? string.Empty : $", Sherweb said: {serverSays}";
}
