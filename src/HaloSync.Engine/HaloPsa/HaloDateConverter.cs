using System;
using System.Globalization;
using Newtonsoft.Json;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// Halo dates carry no offset ("2025-03-01T00:00:00") and are UTC. "No date" is 1899-12-30 (some scripts write
/// 1901-01-01); both read as null. Dates are written back in the same offset-less form.
/// </summary>
internal sealed class HaloDateConverter : JsonConverter<DateTime?>
{
    /// <summary>What HaloPSA stores for "no date"; written to clear a date (a null is not sent at all).</summary>
    public static readonly DateTime NoDate = new(1899, 12, 30, 0, 0, 0, DateTimeKind.Utc);

    private const string Format = "yyyy-MM-dd'T'HH:mm:ss";

    public override DateTime? ReadJson(JsonReader reader, Type objectType, DateTime? existingValue, bool hasExistingValue, JsonSerializer serializer)
    {
        if (reader.TokenType == JsonToken.Null)
        {
            return null;
        }

        if (reader.TokenType == JsonToken.Date && reader.Value is DateTime date)
        {
            return NullIfNoDate(date);
        }

        var text = reader.Value as string;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            throw new JsonSerializationException($"HaloPSA sent '{text}' where a date was expected.");
        }

        return NullIfNoDate(DateTime.SpecifyKind(parsed.UtcDateTime, DateTimeKind.Utc));
    }

    public override void WriteJson(JsonWriter writer, DateTime? value, JsonSerializer serializer)
    {
        if (value is null)
        {
            writer.WriteNull();
            return;
        }

        // HaloSync writes calendar dates: the date and time as given, whatever their kind, never moved by the host's zone.
        writer.WriteValue(value.Value.ToString(Format, CultureInfo.InvariantCulture));
    }

    private static DateTime? NullIfNoDate(DateTime value) => value.Year <= 1901 ? null : value;
}
