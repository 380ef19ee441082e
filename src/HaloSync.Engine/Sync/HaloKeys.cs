using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace HaloSync.Engine.Sync;

/// <summary>
/// Every key HaloSync writes into HaloPSA or stores, in one place. Records already billed carry these texts, so
/// their formats never change (golden tests pin each one).
/// </summary>
public static class HaloKeys
{
    /// <summary>The reference of a client's HaloSync recurring invoice.</summary>
    public const string InvoiceReference = "HaloSync";

    /// <summary>The links row that holds a client's HaloSync recurring invoice id.</summary>
    public const string InvoiceLinkKey = "invoice";

    private const string Prefix = "halosync:";

    /// <summary>A line marker: "[halosync:" then a subscription or charge key then "]" (a pro-rata marker goes on with ':').</summary>
    private static readonly Regex LineMarkerPattern = new(@"\[halosync:((?:sub|chg)-[0-9A-Za-z-]+)\]", RegexOptions.CultureInvariant);

    /// <summary>A subscription's Cumulus key: "sub-" and its id.</summary>
    public static string Subscription(Guid subscriptionId) => "sub-" + subscriptionId.ToString("D");

    /// <summary>An item-cost event's key: "item-" and the HaloPSA item id.</summary>
    public static string Item(int itemId) => "item-" + itemId.ToString(CultureInfo.InvariantCulture);

    /// <summary>What a HaloPSA subscription carries in <c>snowid</c>: "halosync:" and its Cumulus key.</summary>
    public static string Licence(string cumulusKey) => Prefix + cumulusKey;

    /// <summary>What a recurring-invoice line carries at the end of its long description: "[halosync:" key "]".</summary>
    public static string LineMarker(string cumulusKey) => "[" + Prefix + cumulusKey + "]";

    /// <summary>
    /// What a pro-rata entry carries in its long description: the change it bills and the event that planned it, so it is
    /// never added twice, and the same change made again on the same day (10 -> 13 -> 10 -> 13) is billed again.
    /// </summary>
    public static string ProRataMarker(string cumulusKey, DateTime date, decimal quantityBefore, decimal quantityAfter, long eventId)
        => string.Format(CultureInfo.InvariantCulture, "[{0}{1}:{2:yyyy-MM-dd}:{3}->{4}:e{5}]", Prefix, cumulusKey, date, quantityBefore, quantityAfter, eventId);

    /// <summary>Whether a pro-rata entry's text carries the marker of event <paramref name="eventId"/> on the record of <paramref name="cumulusKey"/>.</summary>
    public static bool IsProRataMarkerOf(string? text, string cumulusKey, long eventId)
        => text is not null && text.IndexOf("[" + Prefix + cumulusKey + ":", StringComparison.Ordinal) >= 0
                            && text.IndexOf(string.Format(CultureInfo.InvariantCulture, ":e{0}]", eventId), StringComparison.Ordinal) >= 0;

    /// <summary>The pro-rata marker of versions before the event was in it; entries already billed still carry it.</summary>
    public static string LegacyProRataMarker(string cumulusKey, DateTime date, decimal quantityBefore, decimal quantityAfter)
        => string.Format(CultureInfo.InvariantCulture, "[{0}{1}:{2:yyyy-MM-dd}:{3}->{4}]", Prefix, cumulusKey, date, quantityBefore, quantityAfter);

    /// <summary>Whether a subscription's <c>snowid</c> is a key HaloSync wrote.</summary>
    public static bool IsLicenceKey(string? externalKey) => externalKey?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The Cumulus key of the line marker a long description ends with (the last one); null when it carries none.</summary>
    public static string? KeyInLineMarker(string? text)
        => text is null ? null : LineMarkerPattern.Matches(text).Cast<Match>().LastOrDefault()?.Groups[1].Value;

    /// <summary>Whether a long description carries any HaloSync line marker.</summary>
    public static bool HasAnyMarker(string? text) => text?.IndexOf("[" + Prefix, StringComparison.Ordinal) >= 0;
}
