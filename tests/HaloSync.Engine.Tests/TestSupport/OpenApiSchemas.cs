using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace HaloSync.Engine.Tests.TestSupport;

/// <summary>
/// The vendor's HaloPSA OpenAPI document. It lives in shared/api-specs beside (or above) the repository,
/// found by walking up from the test binaries.
/// </summary>
public sealed class OpenApiSchemas
{
    private const string FileName = "halopsa-openapi-2024-09.json";
    private static readonly Lazy<OpenApiSchemas> Loaded = new(Load);
    private readonly JsonElement schemas;

    private OpenApiSchemas(JsonElement schemas)
    {
        this.schemas = schemas;
    }

    public static OpenApiSchemas HaloPsa => Loaded.Value;

    /// <summary>Property names of a schema; for properties whose value is a schema (or an array of one), the schema name.</summary>
    public IReadOnlyDictionary<string, string?> Properties(string schemaName)
    {
        if (!schemas.TryGetProperty(schemaName, out var schema))
        {
            throw new InvalidOperationException($"The HaloPSA OpenAPI document has no schema '{schemaName}'.");
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in schema.GetProperty("properties").EnumerateObject())
        {
            result[property.Name] = ReferencedSchema(property.Value);
        }

        return result;
    }

    private static string? ReferencedSchema(JsonElement property)
    {
        if (property.TryGetProperty("$ref", out var reference))
        {
            return reference.GetString()!.Split('/').Last();
        }

        return property.TryGetProperty("items", out var items) && items.TryGetProperty("$ref", out var itemReference)
            ? itemReference.GetString()!.Split('/').Last()
            : null;
    }

    private static OpenApiSchemas Load()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(directory.FullName, "shared", "api-specs", FileName), Path.Combine(directory.FullName, "api-specs", FileName) })
            {
                if (File.Exists(candidate))
                {
                    using var document = JsonDocument.Parse(File.ReadAllText(candidate));
                    return new OpenApiSchemas(document.RootElement.GetProperty("components").GetProperty("schemas").Clone());
                }
            }
        }

        throw new InvalidOperationException(
            $"Could not find shared/api-specs/{FileName} in any folder above {AppContext.BaseDirectory}. " +
            "Clone the shared folder beside the repository (<repo>/../shared/api-specs) so the request-field tests can check bodies against the vendor schema.");
    }
}
