using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.HaloPsa;

namespace HaloSync.Engine.Mapping;

public enum AutoMappingOutcome
{
    /// <summary>Exactly one item carries the SKU: the product is now mapped to it.</summary>
    Mapped,

    /// <summary>Already mapped automatically to the one matching item; nothing changed.</summary>
    Unchanged,

    /// <summary>Several items carry the SKU: nothing is mapped, the product's status is Error.</summary>
    Ambiguous,

    /// <summary>No item carries the SKU.</summary>
    NoMatch,

    /// <summary>Mapped by hand: automatic mapping never touches it.</summary>
    ManualKept,
}

/// <summary>What automatic mapping decided for one product; <see cref="Product"/> holds its mapping afterwards (a new copy when it changed).</summary>
public sealed class AutoMappingResult
{
    public string Sku { get; set; } = string.Empty;

    public string ProductName { get; set; } = string.Empty;

    public AutoMappingOutcome Outcome { get; set; }

    public int? HaloItemId { get; set; }

    public string? HaloItemName { get; set; }

    public string Message { get; set; } = string.Empty;

    public ProductMapping Product { get; set; } = new();

    public bool Changed { get; set; }
}

/// <summary>
/// The seed's automatic mapping: a product maps to the HaloPSA item whose supplier_part_code, or one of whose
/// item_suppliers[].supplier_sku, equals its Sherweb SKU (trimmed, case-insensitive). Two candidates are an
/// error naming both; a manual mapping is never overwritten. Pure: the products given are not changed; each result
/// carries the product's mapping afterwards, and the caller saves those that changed.
/// </summary>
public static class AutomaticMapper
{
    public static List<AutoMappingResult> Map(IEnumerable<ProductMapping> products, IReadOnlyCollection<HaloItem> items)
    {
        var bySku = new Dictionary<string, List<HaloItem>>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            foreach (var sku in SupplierSkus(item))
            {
                if (!bySku.TryGetValue(sku, out var carriers))
                {
                    bySku[sku] = carriers = new List<HaloItem>();
                }

                if (!carriers.Contains(item))
                {
                    carriers.Add(item);
                }
            }
        }

        // HaloPSA may fill item_suppliers only when an item is read on its own; a list without them hides those SKUs.
        var supplierLinesRead = items.Count == 0 || items.Any(i => i.ItemSuppliers is not null);
        return products.Select(product => Decide(product, bySku.TryGetValue(product.Sku.Trim(), out var found) ? found : new List<HaloItem>(), supplierLinesRead)).ToList();
    }

    /// <summary>The SKUs an item carries: its part code and every supplier line's SKU, trimmed, without blanks.</summary>
    public static IEnumerable<string> SupplierSkus(HaloItem item)
        => new[] { item.SupplierPartCode }
            .Concat((item.ItemSuppliers ?? new List<HaloItemSupplier>()).Select(s => s.SupplierSku))
            .Where(s => !string.IsNullOrWhiteSpace(s))
            .Select(s => s!.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase);

    private static AutoMappingResult Decide(ProductMapping product, List<HaloItem> candidates, bool supplierLinesRead)
    {
        var result = new AutoMappingResult { Sku = product.Sku, ProductName = product.ProductName, Product = product };
        if (product.Source == MappingSource.Manual && product.HaloItemId is not null)
        {
            result.Outcome = AutoMappingOutcome.ManualKept;
            result.HaloItemId = product.HaloItemId;
            result.HaloItemName = product.HaloItemName;
            result.Message = $"Mapped by hand to '{product.HaloItemName}' (id {product.HaloItemId}); automatic mapping leaves it alone.";
            return result;
        }

        switch (candidates.Count)
        {
            case 0:
                result.Outcome = AutoMappingOutcome.NoMatch;
                result.HaloItemId = product.HaloItemId;
                result.HaloItemName = product.HaloItemName;
                result.Message = $"No HaloPSA item has the supplier SKU '{product.Sku}'. Set it as the item's supplier part code, or map the product with Set-HaloProductMapping." +
                                 (supplierLinesRead ? string.Empty : " HaloPSA's item list gave no supplier lines (item_suppliers), so only each item's supplier part code was compared.");
                return result;
            case 1:
                var item = candidates[0];
                result.HaloItemId = item.Id;
                result.HaloItemName = item.Name;
                if (product.HaloItemId == item.Id && product.Source == MappingSource.Automatic && product.Error is null)
                {
                    result.Outcome = AutoMappingOutcome.Unchanged;
                    result.Message = $"Already mapped automatically to '{item.Name}' (id {item.Id}).";
                    return result;
                }

                result.Outcome = AutoMappingOutcome.Mapped;
                result.Message = $"Mapped automatically to '{item.Name}' (id {item.Id}), whose supplier SKU is '{product.Sku}'.";
                result.Changed = true;
                var wasMapped = product.HaloItemId is not null;
                product = result.Product = product.Copy();
                product.HaloItemId = item.Id;
                product.HaloItemName = item.Name;
                product.Source = MappingSource.Automatic;
                product.SyncEnabled = wasMapped ? product.SyncEnabled : true;
                product.Error = null;
                return result;
            default:
                var named = string.Join(" and ", candidates.OrderBy(c => c.Id).Select(c => $"'{c.Name}' (id {c.Id})"));
                result.Outcome = AutoMappingOutcome.Ambiguous;
                if (product.Source == MappingSource.Automatic && product.HaloItemId is { } kept)
                {
                    // Already billing through its item (one of them, or one deleted since): un-mapping it would freeze its lines
                    // (no change, no cancellation billed), and its sync switch stays as the admin left it.
                    result.HaloItemId = kept;
                    result.HaloItemName = candidates.FirstOrDefault(c => c.Id == kept)?.Name ?? product.HaloItemName;
                    result.Message = $"{candidates.Count} HaloPSA items have the supplier SKU '{product.Sku}': {named}. The product stays mapped to " +
                        $"'{result.HaloItemName}' (id {kept}), which bills it; remove the SKU from the other item(s), or map the product by hand with Set-HaloProductMapping.";
                    return result;
                }

                result.Message = $"{candidates.Count} HaloPSA items have the supplier SKU '{product.Sku}': {named}. Nothing was mapped; " +
                    "remove the SKU from all but one item, or map the product by hand with Set-HaloProductMapping.";
                result.Changed = product.Error != result.Message || product.HaloItemId is not null;
                product = result.Product = product.Copy();
                product.HaloItemId = null;
                product.HaloItemName = null;
                product.Source = null;
                product.SyncEnabled = false;
                product.Error = result.Message;
                return result;
        }
    }
}
