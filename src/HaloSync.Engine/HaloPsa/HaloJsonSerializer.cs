using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace HaloSync.Engine.HaloPsa;

/// <summary>Halo's JSON: unset (null) fields are left out so that saves only touch what was set; numbers read as decimal.</summary>
internal static class HaloJsonSerializer
{
    private static readonly JsonSerializerSettings Settings = new()
    {
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.None,
        FloatParseHandling = FloatParseHandling.Decimal,
        MissingMemberHandling = MissingMemberHandling.Ignore,
    };

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(Settings);

    public static string Serialize(object value) => JsonConvert.SerializeObject(value, Settings);

    public static T Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, Settings)!;

    public static JToken Parse(string json) => JToken.ReadFrom(Reader(new System.IO.StringReader(json)));

    /// <summary>Reads a list answer: the envelope {"record_count": n, "&lt;key&gt;": [...]} or a bare array, in one pass (no token tree).</summary>
    public static (List<T> Rows, int? RecordCount) ReadPage<T>(System.IO.TextReader json, string listKey)
    {
        using var reader = Reader(json);
        reader.Read();
        if (reader.TokenType == JsonToken.StartArray)
        {
            return (Serializer.Deserialize<List<T>>(reader)!, null);
        }

        var rows = new List<T>();
        int? count = null;
        while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
        {
            var name = (string)reader.Value!;
            reader.Read();
            if (name == listKey && reader.TokenType == JsonToken.StartArray)
            {
                rows = Serializer.Deserialize<List<T>>(reader)!;
            }
            else if (name == "record_count" && reader.TokenType == JsonToken.Integer)
            {
                count = Convert.ToInt32(reader.Value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                reader.Skip();
            }
        }

        return (rows, count);
    }

    /// <summary>Reads a save answer: one object, or an array with returnall=true, in one pass (no token tree).</summary>
    public static List<T> ReadSaved<T>(System.IO.TextReader json)
    {
        using var reader = Reader(json);
        if (!reader.Read())
        {
            throw new JsonSerializationException("HaloPSA's answer to a save is empty.");
        }

        return reader.TokenType == JsonToken.StartArray ? Serializer.Deserialize<List<T>>(reader)! : new List<T> { Serializer.Deserialize<T>(reader)! };
    }

    private static JsonTextReader Reader(System.IO.TextReader json) =>
        new(json) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
}
