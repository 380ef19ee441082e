using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>JSON conventions of the simulated HaloPSA: snake_case names, dates without offset, value comparison for change detection.</summary>
public static class HaloJson
{
    /// <summary>Halo's "no date" value.</summary>
    public const string NoDate = "1899-12-30T00:00:00";

    private static readonly HashSet<string> DateFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "start_date", "end_date", "startdate", "enddate", "date", "datetime", "nextcreationdate", "lastcreated",
        "schedule_date", "requested_quantity_date", "duedate", "date_created", "last_modified", "lastmodified",
        "datecreated", "period_start_date", "period_end_date", "createproratadate", "invoice_date",
    };

    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    public static T ToModel<T>(JsonNode node) => node.Deserialize<T>(Options)!;

    public static JsonObject ToNode<T>(T model) => JsonSerializer.SerializeToNode(model, Options)!.AsObject();

    public static string Format(DateTime value)
    {
        var text = value.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var milliseconds = value.Millisecond;
        return milliseconds == 0 ? text : text + "." + milliseconds.ToString("000", CultureInfo.InvariantCulture).TrimEnd('0');
    }

    public static string Format(DateTimeOffset value) => Format(value.UtcDateTime);

    public static bool IsDateField(string name) => DateFields.Contains(name);

    /// <summary>Rewrites a date the way Halo returns it: UTC, no offset, no "Z". Returns null when it is not a date.</summary>
    public static string? NormalizeDate(string text)
    {
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return null;
        }

        return Format(parsed.UtcDateTime);
    }

    /// <summary>True when both values mean the same (14 equals 14.0; null equals missing).</summary>
    public static bool SameValue(JsonNode? left, JsonNode? right)
    {
        if (left is null || right is null)
        {
            return left is null && right is null;
        }

        if (left is JsonValue leftValue && right is JsonValue rightValue)
        {
            if (leftValue.GetValueKind() == JsonValueKind.Number && rightValue.GetValueKind() == JsonValueKind.Number)
            {
                return ReadNumber(leftValue) == ReadNumber(rightValue);
            }

            return leftValue.ToJsonString() == rightValue.ToJsonString();
        }

        if (left is JsonArray leftArray && right is JsonArray rightArray)
        {
            return leftArray.Count == rightArray.Count && leftArray.Zip(rightArray).All(pair => SameValue(pair.First, pair.Second));
        }

        if (left is JsonObject leftObject && right is JsonObject rightObject)
        {
            return leftObject.Count == rightObject.Count
                   && leftObject.All(p => rightObject.TryGetPropertyValue(p.Key, out var other) && SameValue(p.Value, other));
        }

        return false;
    }

    private static decimal ReadNumber(JsonValue value) =>
        decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static string Describe(JsonNode? value) => value switch
    {
        null => string.Empty,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(),
    };

    public static int? GetInt(JsonObject row, string name) =>
        row.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? (int)ReadNumber(value)
            : null;

    public static decimal GetDecimal(JsonObject row, string name) =>
        row.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? ReadNumber(value)
            : 0m;

    public static string GetString(JsonObject row, string name) =>
        row.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : string.Empty;

    /// <summary>The calendar date of a date field; null when it is missing or Halo's "no date".</summary>
    public static DateTime? GetDate(JsonObject row, string name)
    {
        var text = GetString(row, name);
        return text.Length == 0 || text == NoDate
            ? null
            : DateTime.ParseExact(text.Substring(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    public static bool GetBool(JsonObject row, string name) =>
        row.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.GetValueKind() == JsonValueKind.True;
}
