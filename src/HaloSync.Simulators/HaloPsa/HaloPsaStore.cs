using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using HaloSync.Simulators.Common;

namespace HaloSync.Simulators.HaloPsa;

/// <summary>
/// The simulated HaloPSA database: clients, items, licences, recurring invoices with lines, the invoices generated
/// from them (or posted), and the LicenceChange / InvoiceChange history. Writes follow Halo's rules: upsert by id, only sent fields change,
/// arrays are replaced wholesale, a history row for every real change and none for a no-op. Thread-safe.
/// </summary>
public sealed class HaloPsaStore
{
    private static readonly HashSet<string> ComputedFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "ihid", "client_name", "total", "net_amount", "last_modified", "date_created", "lines", "add_lines",
        "update_recurring_invoice_cost", "update_recurring_invoice_price",
    };

    private readonly object gate = new();
    private readonly SimulatedClock clock;
    private readonly Dictionary<EntityKind, EntityTable> tables = new()
    {
        [EntityKind.Client] = new EntityTable(),
        [EntityKind.Item] = new EntityTable(),
        [EntityKind.Licence] = new EntityTable(),
        [EntityKind.RecurringInvoice] = new EntityTable(negativeIds: true),
        [EntityKind.Invoice] = new EntityTable(),
    };

    private readonly EntityTable licenceChanges = new();
    private readonly EntityTable invoiceChanges = new();
    private int lastLineId;
    private int lastChildId;

    public HaloPsaStore(SimulatedClock clock)
    {
        this.clock = clock;
    }

    public IReadOnlyList<SimClient> Clients => Read<SimClient>(tables[EntityKind.Client]);

    public IReadOnlyList<SimItem> Items => Read<SimItem>(tables[EntityKind.Item]);

    public IReadOnlyList<SimLicence> Licences => Read<SimLicence>(tables[EntityKind.Licence]);

    public IReadOnlyList<SimRecurringInvoice> RecurringInvoices => Read<SimRecurringInvoice>(tables[EntityKind.RecurringInvoice]);

    /// <summary>Real invoices (/api/Invoice): generated from recurring invoices, or posted.</summary>
    public IReadOnlyList<SimInvoice> Invoices => Read<SimInvoice>(tables[EntityKind.Invoice]);

    public IReadOnlyList<SimChange> LicenceChanges => Read<SimChange>(licenceChanges);

    public IReadOnlyList<SimChange> InvoiceChanges => Read<SimChange>(invoiceChanges);

    public SimClient AddClient(SimClient client) => HaloJson.ToModel<SimClient>(Seed(EntityKind.Client, HaloJson.ToNode(client)));

    public SimItem AddItem(SimItem item) => HaloJson.ToModel<SimItem>(Seed(EntityKind.Item, HaloJson.ToNode(item)));

    /// <summary>An item deleted in HaloPSA (as DELETE /api/Item/{id} does): it leaves the item list.</summary>
    public void DeleteItem(int id) => Delete(EntityKind.Item, id);

    public SimLicence AddLicence(SimLicence licence) => HaloJson.ToModel<SimLicence>(Seed(EntityKind.Licence, HaloJson.ToNode(licence)));

    public SimRecurringInvoice AddRecurringInvoice(SimRecurringInvoice invoice) =>
        HaloJson.ToModel<SimRecurringInvoice>(Seed(EntityKind.RecurringInvoice, HaloJson.ToNode(invoice)));

    /// <summary>Adds or updates raw Halo JSON records without writing history: {"clients":[…],"items":[…],"licences":[…],"invoices":[…]}.</summary>
    public void Seed(JsonObject seed)
    {
        foreach (var (key, kind) in new[] { ("clients", EntityKind.Client), ("items", EntityKind.Item), ("licences", EntityKind.Licence), ("invoices", EntityKind.RecurringInvoice) })
        {
            if (seed[key] is JsonArray records)
            {
                foreach (var record in records.OfType<JsonObject>())
                {
                    Seed(kind, record.DeepClone().AsObject());
                }
            }
        }
    }

    /// <summary>The whole state as Halo JSON, keyed like the list envelopes.</summary>
    public JsonObject ToJson()
    {
        lock (gate)
        {
            return new JsonObject
            {
                ["clients"] = ToArray(tables[EntityKind.Client].All),
                ["items"] = ToArray(tables[EntityKind.Item].All),
                ["licences"] = ToArray(tables[EntityKind.Licence].All),
                ["invoices"] = ToArray(tables[EntityKind.RecurringInvoice].All),
                ["real_invoices"] = ToArray(tables[EntityKind.Invoice].All),
                ["licence_changes"] = ToArray(licenceChanges.All),
                ["invoice_changes"] = ToArray(invoiceChanges.All),
            };
        }
    }

    public void Reset()
    {
        lock (gate)
        {
            foreach (var table in tables.Values.Concat(new[] { licenceChanges, invoiceChanges }))
            {
                table.Clear();
            }

            lastLineId = 0;
            lastChildId = 0;
        }
    }

    /// <summary>How many rows match, and copies of those from <paramref name="skip"/> on (at most <paramref name="take"/>).</summary>
    internal (int Count, List<JsonObject> Page) Page(EntityKind kind, Func<JsonObject, bool> filter, int skip, int take)
    {
        lock (gate)
        {
            var matching = tables[kind].All.Where(filter).ToList();
            return (matching.Count, matching.Skip(skip).Take(take).Select(r => r.DeepClone().AsObject()).ToList());
        }
    }

    internal IReadOnlyList<JsonObject> History(EntityKind kind)
    {
        lock (gate)
        {
            return (kind == EntityKind.Licence ? licenceChanges : invoiceChanges).All.Select(r => r.DeepClone().AsObject()).ToList();
        }
    }

    internal JsonObject Get(EntityKind kind, int id)
    {
        lock (gate)
        {
            return (tables[kind].Find(id) ?? throw HaloApiException.NotFound($"{kind} {id}")).DeepClone().AsObject();
        }
    }

    internal JsonObject Delete(EntityKind kind, int id)
    {
        lock (gate)
        {
            if (!tables[kind].Remove(id))
            {
                throw HaloApiException.NotFound($"{kind} {id}");
            }

            return new JsonObject { ["id"] = id };
        }
    }

    /// <summary>Upserts every object of a POSTed array; all are validated before any is written.</summary>
    internal IReadOnlyList<JsonObject> Save(EntityKind kind, JsonArray body, string who)
    {
        lock (gate)
        {
            var incoming = body.Select(node => node as JsonObject ?? throw HaloApiException.Validation("Each element must be a JSON object.")).ToList();
            foreach (var record in incoming)
            {
                Validate(kind, record, mayChooseId: false);
            }

            return incoming.Select(record => Upsert(kind, Normalize(record.DeepClone().AsObject()), who).DeepClone().AsObject()).ToList();
        }
    }

    /// <summary>POST /api/RecurringInvoice/updatelines: partial updates of existing lines found by id.</summary>
    internal IReadOnlyList<JsonObject> UpdateLines(JsonArray body, string who)
    {
        lock (gate)
        {
            var updated = new List<JsonObject>();
            foreach (var patch in body.OfType<JsonObject>().Select(l => Normalize(l.DeepClone().AsObject())))
            {
                var lineId = HaloJson.GetInt(patch, "id") ?? 0;
                var invoice = tables[EntityKind.RecurringInvoice].All.FirstOrDefault(i => Lines(i).Any(l => HaloJson.GetInt(l, "id") == lineId))
                              ?? throw HaloApiException.NotFound($"Invoice line {lineId}");
                var line = Lines(invoice).First(l => HaloJson.GetInt(l, "id") == lineId);
                var changed = UpdateLine(invoice, line, patch, who);
                FinishInvoiceChange(invoice, changed);
                updated.Add(line.DeepClone().AsObject());
            }

            return updated;
        }
    }

    /// <summary>
    /// Generates, as HaloPSA does when a recurring invoice's schedule is met, the invoice dated <paramref name="date"/> of
    /// each recurring invoice given (every enabled one when none is given); see README.md beside this file for the rules.
    /// </summary>
    public IReadOnlyList<SimInvoice> GenerateInvoices(DateTime date, params int[] recurringInvoiceIds)
        => GenerateInvoicesJson(recurringInvoiceIds, date).Select(HaloJson.ToModel<SimInvoice>).ToList();

    internal IReadOnlyList<JsonObject> GenerateInvoicesJson(IReadOnlyCollection<int> recurringInvoiceIds, DateTime date)
    {
        lock (gate)
        {
            var recurring = tables[EntityKind.RecurringInvoice];
            var sources = recurringInvoiceIds.Count == 0
                ? recurring.All.ToList()
                : recurringInvoiceIds.Select(id => recurring.Find(id) ?? throw HaloApiException.NotFound($"RecurringInvoice {id}")).ToList();
            var generated = new List<JsonObject>();
            foreach (var source in sources.Where(r => !HaloJson.GetBool(r, "disabled")))
            {
                if (GenerateFrom(source, date.Date) is { } invoice)
                {
                    generated.Add(invoice.DeepClone().AsObject());
                }
            }

            return generated;
        }
    }

    /// <summary>One recurring invoice's invoice for <paramref name="date"/> (null when it bills nothing); its schedule moves on either way.</summary>
    private JsonObject? GenerateFrom(JsonObject source, DateTime date)
    {
        var sourceId = HaloJson.GetInt(source, "id")!.Value;
        var windowStart = HaloJson.GetDate(source, "lastcreated") ?? date.AddMonths(-1);
        var invoices = tables[EntityKind.Invoice];
        var invoiceId = invoices.NextId();
        var lines = new JsonArray();
        foreach (var line in Lines(source))
        {
            var start = HaloJson.GetDate(line, "startdate");
            var end = HaloJson.GetDate(line, "enddate");
            if (!HaloJson.GetBool(line, "isinactive") && (start is null || start <= date) && (end is null || end >= windowStart))
            {
                lines.Add(GeneratedLine(invoiceId, sourceId, line, BilledQuantity(line), HaloJson.GetDecimal(line, "unit_price"), HaloJson.GetDecimal(line, "unit_cost"),
                    HaloJson.GetString(line, "item_shortdescription"), HaloJson.GetString(line, "item_longdescription"), proRataOf: null));
            }

            foreach (var entry in (line["prorata_data"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
            {
                var onNextInvoice = !entry.ContainsKey("prorata_next_invoice") || HaloJson.GetBool(entry, "prorata_next_invoice");
                if (HaloJson.GetBool(entry, "isinvoiced") || !onNextInvoice || HaloJson.GetDate(entry, "date") > date)
                {
                    continue;
                }

                lines.Add(GeneratedLine(invoiceId, sourceId, line, HaloJson.GetDecimal(entry, "quantity"), HaloJson.GetDecimal(entry, "unitprice"),
                    HaloJson.GetDecimal(entry, "unitcost"), HaloJson.GetString(entry, "shortdescription"), HaloJson.GetString(entry, "longdescription"),
                    proRataOf: HaloJson.GetInt(line, "id")));
                entry["isinvoiced"] = true;
                entry["invoice_id"] = invoiceId;
            }
        }

        source["lastcreated"] = HaloJson.Format(date);
        source["nextcreationdate"] = HaloJson.Format(date.AddMonths(1));
        if (lines.Count == 0)
        {
            return null;
        }

        var now = HaloJson.Format(clock.UtcNow);
        var invoice = new JsonObject
        {
            ["id"] = invoiceId, ["client_id"] = source["client_id"]!.DeepClone(), ["client_name"] = ClientName(source),
            ["reference"] = HaloJson.GetString(source, "reference"), ["recurring_invoice_id"] = sourceId, ["is_recurring_invoice"] = false,
            ["invoice_date"] = HaloJson.Format(date), ["date_created"] = now, ["last_modified"] = now,
            ["total"] = lines.OfType<JsonObject>().Sum(l => HaloJson.GetDecimal(l, "net_amount")), ["lines"] = lines,
        };
        invoices.Put(invoiceId, invoice);
        return invoice;
    }

    /// <summary>A manual line bills its qty_order; a line whose quantity comes from subscriptions (type 1) bills their active seats.</summary>
    private decimal BilledQuantity(JsonObject line)
    {
        if (HaloJson.GetInt(line, "recurring_invoice_quantity_type") != 1)
        {
            return HaloJson.GetDecimal(line, "qty_order");
        }

        return (line["quantity_licences"] as JsonArray)?.OfType<JsonObject>()
            .Select(link => tables[EntityKind.Licence].Find(HaloJson.GetInt(link, "licence_id") ?? 0))
            .Where(licence => licence is not null && HaloJson.GetBool(licence, "is_active"))
            .Sum(licence => HaloJson.GetDecimal(licence!, "count")) ?? 0m;
    }

    private JsonObject GeneratedLine(int invoiceId, int sourceId, JsonObject source, decimal quantity, decimal unitPrice, decimal unitCost,
        string shortDescription, string longDescription, int? proRataOf)
    {
        var line = new JsonObject
        {
            ["id"] = ++lastLineId, ["ihid"] = invoiceId, ["_itemid"] = source["_itemid"]?.DeepClone(), ["item_code"] = HaloJson.GetString(source, "item_code"),
            ["item_shortdescription"] = shortDescription, ["item_longdescription"] = longDescription,
            ["qty_order"] = quantity, ["unit_price"] = unitPrice, ["unit_cost"] = unitCost,
            ["net_amount"] = Math.Round(quantity * unitPrice, 2, MidpointRounding.AwayFromZero),
            ["recurring_invoice_id"] = sourceId, ["recurring_invoice_line_id"] = source["id"]!.DeepClone(),
        };
        if (proRataOf is { } parent)
        {
            line["pro_rata_line_id"] = parent;
        }

        return line;
    }

    private JsonObject Seed(EntityKind kind, JsonObject record)
    {
        lock (gate)
        {
            Validate(kind, record, mayChooseId: true);
            return Upsert(kind, Normalize(record), who: null).DeepClone().AsObject();
        }
    }

    /// <param name="mayChooseId">Seeding may create records with ids of its choosing; the API only updates known ids.</param>
    private void Validate(EntityKind kind, JsonObject record, bool mayChooseId)
    {
        var id = HaloJson.GetInt(record, "id") ?? 0;
        if (id != 0 && !mayChooseId && tables[kind].Find(id) is null)
        {
            throw HaloApiException.NotFound($"{kind} {id}");
        }

        if (id != 0)
        {
            return;
        }

        if ((kind is EntityKind.Client or EntityKind.Item or EntityKind.Licence) && string.IsNullOrWhiteSpace(HaloJson.GetString(record, "name")))
        {
            throw HaloApiException.Validation($"{kind} name is required");
        }

        if (kind is EntityKind.Licence or EntityKind.RecurringInvoice or EntityKind.Invoice)
        {
            var clientId = HaloJson.GetInt(record, "client_id") ?? 0;
            if (tables[EntityKind.Client].Find(clientId) is null)
            {
                throw HaloApiException.Validation(clientId == 0 ? "Client ID is required" : $"Client {clientId} does not exist");
            }
        }
    }

    private JsonObject Upsert(EntityKind kind, JsonObject patch, string? who)
    {
        var table = tables[kind];
        var id = HaloJson.GetInt(patch, "id") ?? 0;
        var existing = id == 0 ? null : table.Find(id);
        var isNew = existing is null;
        var row = existing ?? CreateRow(kind, id == 0 ? table.NextId() : id);
        var changes = ApplyFields(row, patch);
        if (isNew)
        {
            table.Put(HaloJson.GetInt(row, "id")!.Value, row);
        }

        switch (kind)
        {
            case EntityKind.Item:
                SaveItemSuppliers(row, patch);
                PropagateItemPrices(row, patch, changes, who);
                break;
            case EntityKind.Licence:
                row["client_name"] = ClientName(row);
                RecordLicenceHistory(row, isNew, changes, who);
                break;
            case EntityKind.RecurringInvoice:
            case EntityKind.Invoice:
                row["client_name"] = ClientName(row);
                var lineChanged = SaveLines(row, patch, who);
                RecordInvoiceHistory(row, lineId: 0, changes, who, !isNew ? null : kind == EntityKind.Invoice ? "Invoice created" : "Recurring invoice created");
                FinishInvoiceChange(row, isNew || lineChanged || changes.Count > 0);
                break;
        }

        return row;
    }

    private JsonObject CreateRow(EntityKind kind, int id)
    {
        var now = HaloJson.Format(clock.UtcNow);
        return kind switch
        {
            EntityKind.Client => new JsonObject { ["id"] = id, ["name"] = "", ["inactive"] = false, ["toplevel_id"] = 1, ["toplevel_name"] = "Main" },
            EntityKind.Item => new JsonObject
            {
                ["id"] = id, ["name"] = "", ["baseprice"] = 0m, ["costprice"] = 0m, ["supplier_part_code"] = "", ["isrecurringitem"] = false,
                ["item_suppliers"] = new JsonArray(),
            },
            EntityKind.Licence => new JsonObject
            {
                ["id"] = id, ["type"] = 0, ["name"] = "", ["client_id"] = 0, ["count"] = 0, ["status"] = "Active", ["is_active"] = true,
                ["deleted"] = false, ["start_date"] = HaloJson.NoDate, ["end_date"] = HaloJson.NoDate, ["price"] = 0m,
                ["billing_cycle"] = "", ["term_duration"] = "", ["autorenew"] = false,
            },
            EntityKind.RecurringInvoice => new JsonObject
            {
                ["id"] = id, ["client_id"] = 0, ["reference"] = "", ["is_recurring_invoice"] = true, ["disabled"] = false,
                ["period"] = 2, ["date_created"] = now, ["last_modified"] = now, ["total"] = 0m, ["lines"] = new JsonArray(),
            },
            _ => new JsonObject
            {
                ["id"] = id, ["client_id"] = 0, ["reference"] = "", ["is_recurring_invoice"] = false, ["invoice_date"] = now,
                ["date_created"] = now, ["last_modified"] = now, ["total"] = 0m, ["lines"] = new JsonArray(),
            },
        };
    }

    /// <summary>Copies every sent field onto the row and returns the ones whose value really changed.</summary>
    private static List<(string Field, JsonNode? Old, JsonNode? New)> ApplyFields(JsonObject row, JsonObject patch)
    {
        var changes = new List<(string, JsonNode?, JsonNode?)>();
        foreach (var (name, value) in patch.ToList())
        {
            if (ComputedFields.Contains(name) || name == "item_suppliers")
            {
                continue;
            }

            row.TryGetPropertyValue(name, out var old);
            if (!HaloJson.SameValue(old, value))
            {
                changes.Add((name, old?.DeepClone(), value?.DeepClone()));
                row[name] = value?.DeepClone();
            }
        }

        return changes;
    }

    private void SaveItemSuppliers(JsonObject item, JsonObject patch)
    {
        if (patch["item_suppliers"] is not JsonArray suppliers)
        {
            return;
        }

        var itemId = HaloJson.GetInt(item, "id");
        var saved = new JsonArray();
        foreach (var supplier in suppliers.OfType<JsonObject>())
        {
            var copy = supplier.DeepClone().AsObject();
            copy["id"] = (HaloJson.GetInt(copy, "id") ?? 0) > 0 ? copy["id"]!.DeepClone() : ++lastChildId;
            copy["item_id"] = itemId;
            saved.Add(copy);
        }

        item["item_suppliers"] = saved;
    }

    /// <summary>Item updates sent with update_recurring_invoice_cost/price push the new cost/price into lines that use the item.</summary>
    private void PropagateItemPrices(JsonObject item, JsonObject patch, List<(string Field, JsonNode? Old, JsonNode? New)> changes, string? who)
    {
        var itemId = HaloJson.GetInt(item, "id");
        foreach (var (flag, itemField, lineField) in new[] { ("update_recurring_invoice_cost", "costprice", "unit_cost"), ("update_recurring_invoice_price", "baseprice", "unit_price") })
        {
            if (!HaloJson.GetBool(patch, flag) || changes.All(c => c.Field != itemField))
            {
                continue;
            }

            foreach (var invoice in tables[EntityKind.RecurringInvoice].All)
            {
                var changed = false;
                foreach (var line in Lines(invoice).Where(l => HaloJson.GetInt(l, "_itemid") == itemId))
                {
                    changed |= UpdateLine(invoice, line, new JsonObject { [lineField] = item[itemField]!.DeepClone() }, who);
                }

                FinishInvoiceChange(invoice, changed);
            }
        }
    }

    /// <summary>"lines" replaces the whole set (update by id, create without id, delete the rest); "add_lines" only adds.</summary>
    private bool SaveLines(JsonObject invoice, JsonObject patch, string? who)
    {
        var changed = false;
        if (patch["lines"] is JsonArray lines)
        {
            var current = Lines(invoice).ToList();
            var keptIds = new HashSet<int>();
            foreach (var line in lines.OfType<JsonObject>())
            {
                var lineId = HaloJson.GetInt(line, "id") ?? 0;
                var existing = lineId > 0 ? current.FirstOrDefault(l => HaloJson.GetInt(l, "id") == lineId) : null;
                if (lineId > 0 && existing is null)
                {
                    throw HaloApiException.Validation($"Invoice line {lineId} does not belong to recurring invoice {HaloJson.GetInt(invoice, "id")}");
                }

                if (existing is null)
                {
                    keptIds.Add(AddLine(invoice, line, who));
                    changed = true;
                }
                else
                {
                    keptIds.Add(lineId);
                    changed |= UpdateLine(invoice, existing, line, who);
                }
            }

            foreach (var removed in current.Where(l => !keptIds.Contains(HaloJson.GetInt(l, "id") ?? 0)))
            {
                ((JsonArray)invoice["lines"]!).Remove(removed);
                RecordInvoiceHistory(invoice, HaloJson.GetInt(removed, "id") ?? 0, new(), who, "Line removed");
                changed = true;
            }
        }

        if (patch["add_lines"] is JsonArray added)
        {
            foreach (var line in added.OfType<JsonObject>())
            {
                AddLine(invoice, line, who);
                changed = true;
            }
        }

        return changed;
    }

    private int AddLine(JsonObject invoice, JsonObject incoming, string? who)
    {
        var lines = (JsonArray)invoice["lines"]!;
        var lineId = ++lastLineId;
        var line = new JsonObject
        {
            ["id"] = lineId, ["ihid"] = HaloJson.GetInt(invoice, "id"),
            ["sequenceid"] = lines.OfType<JsonObject>().Select(l => HaloJson.GetInt(l, "sequenceid") ?? 0).DefaultIfEmpty(0).Max() + 1,
            ["_itemid"] = -1, ["item_code"] = "", ["item_shortdescription"] = "", ["item_longdescription"] = "",
            ["qty_order"] = 0m, ["unit_price"] = 0m, ["unit_cost"] = 0m, ["isinactive"] = false,
            ["startdate"] = HaloJson.NoDate, ["enddate"] = HaloJson.NoDate, ["recurring_invoice_quantity_type"] = 0,
            ["quantity_licences"] = new JsonArray(), ["prorata_data"] = new JsonArray(), ["net_amount"] = 0m,
        };
        lines.Add(line);
        UpdateLine(invoice, line, incoming, who: null);
        RecordInvoiceHistory(invoice, lineId, new(), who, "Line added");
        return lineId;
    }

    private bool UpdateLine(JsonObject invoice, JsonObject line, JsonObject incoming, string? who)
    {
        var patch = incoming.DeepClone().AsObject();
        if (patch.Remove("item_id", out var itemId) && !patch.ContainsKey("_itemid"))
        {
            patch["_itemid"] = itemId;
        }

        if (patch["quantity_licences"] is JsonArray links)
        {
            patch["quantity_licences"] = MergeChildren(line["quantity_licences"] as JsonArray, links, link =>
            {
                link["invoice_line_id"] = line["id"]!.DeepClone();
                link["kind"] ??= 1;
                link["pro_rata"] ??= 0;
                var licence = tables[EntityKind.Licence].Find(HaloJson.GetInt(link, "licence_id") ?? 0);
                link["licence_name"] = licence is null ? "" : HaloJson.GetString(licence, "name");
            });
        }

        if (patch["prorata_data"] is JsonArray proRata)
        {
            patch["prorata_data"] = MergeChildren(line["prorata_data"] as JsonArray, proRata, entry =>
            {
                entry["invoicedetailid"] = line["id"]!.DeepClone();
                entry["recurring_invoice_id"] = invoice["id"]!.DeepClone();
                entry["invoiceheaderid"] = invoice["id"]!.DeepClone();
                entry["client_id"] = invoice["client_id"]!.DeepClone();
                entry["prorata_next_invoice"] ??= true;
                entry["isinvoiced"] ??= false;
            });
        }

        var changes = ApplyFields(line, patch);
        line["net_amount"] = HaloJson.GetDecimal(line, "qty_order") * HaloJson.GetDecimal(line, "unit_price");
        if (who is not null)
        {
            RecordInvoiceHistory(invoice, HaloJson.GetInt(line, "id") ?? 0, changes, who, summary: null);
        }

        return changes.Count > 0;
    }

    /// <summary>Arrays are replaced wholesale, but an element sent with a known id keeps the fields it did not send.</summary>
    private JsonArray MergeChildren(JsonArray? existing, JsonArray incoming, Action<JsonObject> complete)
    {
        var result = new JsonArray();
        foreach (var child in incoming.OfType<JsonObject>())
        {
            var childId = HaloJson.GetInt(child, "id") ?? 0;
            var merged = existing?.OfType<JsonObject>().FirstOrDefault(e => childId > 0 && HaloJson.GetInt(e, "id") == childId)?.DeepClone().AsObject()
                         ?? new JsonObject { ["id"] = ++lastChildId };
            foreach (var (name, value) in child)
            {
                if (name != "id")
                {
                    merged[name] = value?.DeepClone();
                }
            }

            complete(merged);
            result.Add(merged);
        }

        return result;
    }

    private void FinishInvoiceChange(JsonObject invoice, bool changed)
    {
        if (!changed)
        {
            return;
        }

        invoice["total"] = Lines(invoice).Where(l => !HaloJson.GetBool(l, "isinactive")).Sum(l => HaloJson.GetDecimal(l, "net_amount"));
        invoice["last_modified"] = HaloJson.Format(clock.UtcNow);
    }

    private void RecordLicenceHistory(JsonObject licence, bool isNew, List<(string Field, JsonNode? Old, JsonNode? New)> changes, string? who)
    {
        if (who is null)
        {
            return;
        }

        if (isNew)
        {
            changes = new() { ("created", null, licence["name"]) };
        }

        foreach (var (field, old, value) in changes)
        {
            AddHistory(licenceChanges, new JsonObject { ["licence_id"] = licence["id"]!.DeepClone() }, field, old, value, who);
        }
    }

    private void RecordInvoiceHistory(JsonObject invoice, int lineId, List<(string Field, JsonNode? Old, JsonNode? New)> changes, string? who, string? summary)
    {
        if (who is null)
        {
            return;
        }

        if (summary is not null)
        {
            changes = new() { (summary, null, null) };
        }

        foreach (var (field, old, value) in changes)
        {
            AddHistory(invoiceChanges, new JsonObject { ["invoice_id"] = invoice["id"]!.DeepClone(), ["invoice_line_id"] = lineId }, field, old, value, who);
        }
    }

    private void AddHistory(EntityTable history, JsonObject row, string field, JsonNode? old, JsonNode? value, string who)
    {
        var id = history.NextId();
        row["id"] = id;
        row["field_name"] = field;
        row["old_value"] = HaloJson.Describe(old);
        row["new_value"] = HaloJson.Describe(value);
        row["who"] = who;
        row["datetime"] = HaloJson.Format(clock.UtcNow);
        history.Put(id, row);
    }

    private string ClientName(JsonObject row)
    {
        var client = tables[EntityKind.Client].Find(HaloJson.GetInt(row, "client_id") ?? 0);
        return client is null ? "" : HaloJson.GetString(client, "name");
    }

    private static IEnumerable<JsonObject> Lines(JsonObject invoice) => (invoice["lines"] as JsonArray)?.OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>();

    /// <summary>Dates are stored the way Halo returns them: UTC without offset.</summary>
    private static JsonObject Normalize(JsonObject record)
    {
        NormalizeDates(record);
        return record;
    }

    private static void NormalizeDates(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (HaloJson.IsDateField(name) && value is JsonValue dateValue && dateValue.TryGetValue<string>(out var text))
                    {
                        obj[name] = HaloJson.NormalizeDate(text) ?? throw HaloApiException.Validation($"'{text}' is not a valid date for {name}");
                    }
                    else
                    {
                        NormalizeDates(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var element in array)
                {
                    NormalizeDates(element);
                }

                break;
        }
    }

    private static JsonArray ToArray(IEnumerable<JsonObject> rows) => new(rows.Select(r => (JsonNode)r.DeepClone()).ToArray());

    private IReadOnlyList<T> Read<T>(EntityTable table)
    {
        lock (gate)
        {
            return table.All.Select(HaloJson.ToModel<T>).ToList();
        }
    }
}
