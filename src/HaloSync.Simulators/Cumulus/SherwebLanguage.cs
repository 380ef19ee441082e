using System;
using System.Linq;

namespace HaloSync.Simulators.Cumulus;

/// <summary>Chooses a product name from the first language of an Accept-Language header ("fr-CA;q=0.8, en").</summary>
internal static class SherwebLanguage
{
    public static string Pick(SherwebProduct product, string? acceptLanguage)
    {
        var first = acceptLanguage?.Split(',').Select(part => part.Split(';')[0].Trim()).FirstOrDefault(tag => tag.Length > 0);
        if (first is null)
        {
            return product.Name;
        }

        return NameFor(product, first) ?? NameFor(product, first.Split('-')[0]) ?? product.Name;
    }

    private static string? NameFor(SherwebProduct product, string language) =>
        product.LocalizedNames.FirstOrDefault(n => string.Equals(n.Key, language, StringComparison.OrdinalIgnoreCase)).Value;
}
