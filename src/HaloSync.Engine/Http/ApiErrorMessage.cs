using System;
using System.Linq;
using Newtonsoft.Json.Linq;

namespace HaloSync.Engine.Http;

/// <summary>Pulls a human-readable message out of the error body shapes APIs use (errorMessage, Message, error, errors[], plain text).</summary>
public static class ApiErrorMessage
{
    private const int MaxLength = 300;

    public static string? Extract(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var text = body!.Trim();
        if (text.StartsWith("<", StringComparison.Ordinal))
        {
            return "an HTML page instead of an API answer";
        }

        if (text.StartsWith("{", StringComparison.Ordinal) || text.StartsWith("[", StringComparison.Ordinal))
        {
            try
            {
                return Shorten(FromJson(JToken.Parse(text)) ?? text);
            }
            catch (Newtonsoft.Json.JsonException)
            {
                return Shorten(text);
            }
        }

        return Shorten(text);
    }

    private static string? FromJson(JToken token)
    {
        if (token is JArray array)
        {
            return string.Join("; ", array.Select(FromJson).Where(m => !string.IsNullOrEmpty(m)));
        }

        if (token is not JObject json)
        {
            return token.Type == JTokenType.String ? token.Value<string>() : null;
        }

        // RFC 7807 problem details (Sherweb's): the title alone ("One or more validation errors occurred.") says little.
        if (Text(json, "title") is { } title && (Text(json, "detail") is not null || json.GetValue("errors", StringComparison.OrdinalIgnoreCase) is not null))
        {
            var listed = json.GetValue("errors", StringComparison.OrdinalIgnoreCase) is { } list ? FromJson(list) : null;
            return string.Join(" ", new[] { title, Text(json, "detail"), listed }.Where(part => !string.IsNullOrWhiteSpace(part)));
        }

        foreach (var name in new[] { "errorMessage", "Message", "message", "error_description", "error", "title", "detail" })
        {
            var value = json.GetValue(name, StringComparison.OrdinalIgnoreCase);
            if (value is { Type: JTokenType.String } && !string.IsNullOrWhiteSpace(value.Value<string>()))
            {
                return value.Value<string>();
            }
        }

        if (json.GetValue("errors", StringComparison.OrdinalIgnoreCase) is { } errors)
        {
            return FromJson(errors);
        }

        // ASP.NET model-state shape: {"[0].client_id": ["The client is required"]}
        var fieldErrors = json.Properties()
            .Select(p => p.Name + ": " + FromJson(p.Value))
            .ToList();
        return fieldErrors.Count > 0 ? string.Join("; ", fieldErrors) : null;
    }

    private static string? Text(JObject json, string name)
        => json.GetValue(name, StringComparison.OrdinalIgnoreCase) is { Type: JTokenType.String } value && !string.IsNullOrWhiteSpace(value.Value<string>())
            ? value.Value<string>()
            : null;

    private static string Shorten(string text) =>
        text.Length <= MaxLength ? text : text.Substring(0, MaxLength) + "...";
}
