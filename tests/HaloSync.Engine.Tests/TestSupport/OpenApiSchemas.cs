using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace HaloSync.Engine.Tests.TestSupport;

/// <summary>
/// The vendor's HaloPSA OpenAPI document, vendored in the repository under tests/api-specs (with its
/// licence notice), so the tests need nothing outside the clone.
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
        var path = Path.Combine(RepositoryRoot(), "tests", "api-specs", FileName);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The vendored HaloPSA OpenAPI document '{path}' is missing: it is part of the repository (tests/api-specs).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new OpenApiSchemas(document.RootElement.GetProperty("components").GetProperty("schemas").Clone());
    }

    /// <summary>The repository these test binaries were built from (the folder holding HaloSync.sln).</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HaloSync.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find HaloSync.sln above " + AppContext.BaseDirectory);
    }
}
