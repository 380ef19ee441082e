using System.Globalization;
using Newtonsoft.Json;

namespace HaloSync.Engine.Cumulus;

/// <summary>How Sherweb answers are read.</summary>
internal static class CumulusJson
{
    /// <summary>
    /// Money is parsed straight from the JSON text into decimal (never through double). Sherweb writes UTC
    /// times without an offset, so times without one are taken as UTC. Unknown fields are ignored and JSON
    /// nulls keep the model's default (an empty list rather than null).
    /// </summary>
    public static readonly JsonSerializerSettings Settings = new()
    {
        FloatParseHandling = FloatParseHandling.Decimal,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        DateParseHandling = DateParseHandling.None,
        NullValueHandling = NullValueHandling.Ignore,
        MissingMemberHandling = MissingMemberHandling.Ignore,
        Culture = CultureInfo.InvariantCulture,
        ContractResolver = new TolerantEnumConverter.ContractResolver(),
    };

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(Settings);

    /// <returns>Null for an empty answer.</returns>
    public static T? Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, Settings);

    /// <summary>Reads an answer as it streams in, without first making one large string of it (payable charges can be megabytes).</summary>
    /// <returns>Null for an empty answer.</returns>
    public static T? Deserialize<T>(System.IO.Stream json)
    {
        using var text = new System.IO.StreamReader(json);
        using var reader = new JsonTextReader(text) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
        return Serializer.Deserialize<T>(reader);
    }
}
