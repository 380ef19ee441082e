using System;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace HaloSync.Engine.Cumulus;

/// <summary>Reads enum names case-insensitively and turns names it does not know into the enum's zero value (Unknown).</summary>
internal sealed class TolerantEnumConverter : StringEnumConverter
{
    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        var enumType = Nullable.GetUnderlyingType(objectType) ?? objectType;
        if (reader.TokenType == JsonToken.Null)
        {
            return enumType == objectType ? Enum.ToObject(enumType, 0) : null;
        }

        if (reader.TokenType == JsonToken.String)
        {
            var text = ((string)reader.Value!).Trim();
            foreach (var name in Enum.GetNames(enumType))
            {
                if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return Enum.Parse(enumType, name);
                }
            }
        }

        return Enum.ToObject(enumType, 0);
    }
}
