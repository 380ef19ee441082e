using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace HaloSync.Engine.Cumulus;

/// <summary>Reads enum names case-insensitively and turns names it does not know into the enum's zero value (Unknown).</summary>
internal sealed class TolerantEnumConverter : StringEnumConverter
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, object>> ValuesByName = new();

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        var enumType = Nullable.GetUnderlyingType(objectType) ?? objectType;
        if (reader.TokenType == JsonToken.Null)
        {
            return enumType == objectType ? Enum.ToObject(enumType, 0) : null;
        }

        if (reader.TokenType == JsonToken.String
            && ValuesByName.GetOrAdd(enumType, NamesOf).TryGetValue(((string)reader.Value!).Trim(), out var value))
        {
            return value;
        }

        return Enum.ToObject(enumType, 0);
    }

    private static IReadOnlyDictionary<string, object> NamesOf(Type enumType) =>
        Enum.GetNames(enumType).ToDictionary(name => name, name => Enum.Parse(enumType, name), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gives every enum type this converter once, when its contract is made. A converter in the settings' list would
    /// instead be asked about every value Sherweb sends.
    /// </summary>
    internal sealed class ContractResolver : DefaultContractResolver
    {
        private static readonly TolerantEnumConverter Converter = new();

        protected override JsonContract CreateContract(Type objectType)
        {
            var contract = base.CreateContract(objectType);
            if ((Nullable.GetUnderlyingType(objectType) ?? objectType).IsEnum)
            {
                contract.Converter = Converter;
            }

            return contract;
        }
    }
}
