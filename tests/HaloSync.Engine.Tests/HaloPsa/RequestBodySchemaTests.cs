using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.HaloPsa;
using Newtonsoft.Json;

namespace HaloSync.Engine.Tests.HaloPsa;

/// <summary>Everything the client sends must be a field of the vendor's OpenAPI schemas (or a newer field halopsa-api.md names).</summary>
public sealed class RequestBodySchemaTests : IAsyncLifetime
{
    /// <summary>Fields newer than the 2024 spec that halopsa-api.md documents (S-SPEC25, marked ⁺).</summary>
    private static readonly Dictionary<string, string[]> DocumentedNewerFields = new()
    {
        ["Licence_List"] = new[] { "item_id" },
    };

    private static readonly Dictionary<string, string> SchemaByPath = new(StringComparer.OrdinalIgnoreCase)
    {
        ["/api/SoftwareLicence"] = "Licence_List",
        ["/api/RecurringInvoice"] = "InvoiceHeader",
        ["/api/Item"] = "Item",
    };

    private HaloTestBed bed = null!;

    public async Task InitializeAsync() => bed = await HaloTestBed.StartAsync();

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Theory]
    [InlineData(typeof(HaloLicence), "Licence_List")]
    [InlineData(typeof(HaloRecurringInvoice), "InvoiceHeader")]
    [InlineData(typeof(HaloInvoiceLine), "InvoiceDetail")]
    [InlineData(typeof(HaloLicenceLink), "InvoiceDetailQuantity")]
    [InlineData(typeof(HaloProRata), "InvoiceDetailProRata")]
    [InlineData(typeof(HaloItem), "Item")]
    [InlineData(typeof(HaloItemSupplier), "ItemSupplier")]
    public void Every_field_a_model_can_send_exists_in_its_schema(Type model, string schema)
    {
        var known = KnownFields(schema);
        var sendable = model.GetProperties()
            .Where(p => model.GetMethod("ShouldSerialize" + p.Name) is null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => p.GetCustomAttribute<JsonPropertyAttribute>()?.PropertyName)
            .ToList();

        Assert.DoesNotContain(null, sendable);
        Assert.DoesNotContain(sendable, name => !known.Contains(name!));
    }

    [Fact]
    public async Task Every_request_body_the_client_sends_uses_only_schema_fields()
    {
        var client = bed.Simulator.Store.AddClient(new SimClient { Name = "Contoso" });
        var item = bed.Simulator.Store.AddItem(new SimItem { Name = "M365" });
        using var halo = await bed.ConnectAsync();
        var date = new DateTime(2026, 11, 20);

        var licence = (await halo.SaveLicencesAsync(new[]
        {
            new HaloLicence
            {
                Type = 1, ClientId = client.Id, Name = "M365", Count = 10, BillingCycle = "Monthly", TermDuration = "Annual", Status = "Active",
                IsActive = true, AutoRenew = true, StartDate = date, EndDate = date.AddYears(1), ItemId = item.Id, Price = 22m, PurchasePrice = 18.5m,
                ProductSku = "CFQ7TTC0LCHC:0002", SupplierId = 3, ExternalKey = "cumulus:1", Notes = "HaloSync",
            },
        })).Single();
        var invoice = await halo.SaveRecurringInvoiceAsync(new HaloRecurringInvoice
        {
            ClientId = client.Id, Reference = "HaloSync", Notes = "Cumulus subscriptions", IsRecurringInvoice = true, Disabled = false, Period = 2,
            StartDate = date, EndDate = date.AddYears(5), ScheduleDate = date, NextCreationDate = date.AddMonths(1), LastCreated = date,
            Lines = new List<HaloInvoiceLine>
            {
                new()
                {
                    ItemId = item.Id, ItemCode = "M365", ShortDescription = "M365", LongDescription = "Microsoft 365", Quantity = 10, UnitPrice = 22m,
                    UnitCost = 18.5m, StartDate = date, EndDate = date.AddYears(1), IsInactive = false, QuantityType = 0, SequenceId = 1,
                    LicenceLinks = new List<HaloLicenceLink> { new() { LicenceId = licence.Id, Kind = 1, ProRata = 0 } },
                    ProRata = new List<HaloProRata>
                    {
                        new() { Date = date, Quantity = 2, UnitPrice = 18.3333m, UnitCost = 15.4167m, ShortDescription = "+2", LongDescription = "+2 seats", OnNextInvoice = true, IsInvoiced = false },
                    },
                },
            },
        });
        await halo.SaveRecurringInvoiceAsync(await halo.GetRecurringInvoiceAsync(invoice.Id));
        await halo.SaveLicencesAsync(await halo.GetLicencesAsync(client.Id));
        await halo.SaveItemsAsync(new[]
        {
            new HaloItem
            {
                Id = item.Id!.Value, Name = "M365", Description = "Microsoft 365", BasePrice = 22m, CostPrice = 18.5m, SupplierPartCode = "SKU", IsRecurringItem = true,
                UpdateRecurringInvoiceCost = true, UpdateRecurringInvoicePrice = false,
                ItemSuppliers = new List<HaloItemSupplier> { new() { SupplierId = 3, SupplierName = "Sherweb", SupplierSku = "SKU", Price = 22m, Cost = 18.5m } },
            },
        });
        await halo.SaveItemsAsync(await halo.GetItemsAsync());

        var posts = bed.Simulator.Requests.Snapshot().Where(r => r.Method == "POST" && r.Path.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, posts.Count);
        foreach (var post in posts)
        {
            var schema = SchemaByPath[post.Path];
            foreach (var record in JsonNode.Parse(post.Body)!.AsArray())
            {
                var unknown = UnknownFields(record!.AsObject(), schema, post.Path).ToList();
                Assert.True(unknown.Count == 0, $"POST {post.Path} sent fields missing from the vendor schema: {string.Join(", ", unknown)}");
            }
        }
    }

    private static IEnumerable<string> UnknownFields(JsonObject record, string schema, string where)
    {
        var properties = OpenApiSchemas.HaloPsa.Properties(schema);
        var newer = DocumentedNewerFields.TryGetValue(schema, out var fields) ? fields : Array.Empty<string>();
        foreach (var (name, value) in record)
        {
            if (!properties.TryGetValue(name, out var nested))
            {
                if (!newer.Contains(name))
                {
                    yield return $"{where}.{name} ({schema})";
                }

                continue;
            }

            var children = value switch
            {
                JsonObject child when nested is not null => new[] { child },
                JsonArray array when nested is not null => array.OfType<JsonObject>().ToArray(),
                _ => Array.Empty<JsonObject>(),
            };
            foreach (var problem in children.SelectMany(child => UnknownFields(child, nested!, $"{where}.{name}")))
            {
                yield return problem;
            }
        }
    }

    private static HashSet<string> KnownFields(string schema)
    {
        var known = new HashSet<string>(OpenApiSchemas.HaloPsa.Properties(schema).Keys);
        if (DocumentedNewerFields.TryGetValue(schema, out var newer))
        {
            known.UnionWith(newer);
        }

        return known;
    }
}
