using System;
using System.Collections.Generic;
using System.Globalization;
using HaloSync.Engine.Configuration;

namespace HaloSync.Engine.State;

/// <summary>Converts between the configuration object and its key/value rows.</summary>
internal static class SettingsMapping
{
    public static IEnumerable<KeyValuePair<string, string>> ToValues(SyncConfiguration configuration)
    {
        yield return Pair(nameof(SyncConfiguration.InvoiceDay), configuration.InvoiceDay.ToString(CultureInfo.InvariantCulture));
        yield return Pair(nameof(SyncConfiguration.BillingMethod), configuration.BillingMethod.ToString());
        yield return Pair(nameof(SyncConfiguration.Proration), configuration.Proration ? "true" : "false");
        yield return Pair(nameof(SyncConfiguration.MappingMode), configuration.MappingMode.ToString());
        yield return Pair(nameof(SyncConfiguration.SyncEnabled), configuration.SyncEnabled ? "true" : "false");
        yield return Pair(nameof(SyncConfiguration.TimeZone), configuration.TimeZone);
        yield return Pair(nameof(SyncConfiguration.CostBasis), configuration.CostBasis.ToString());
        yield return Pair(nameof(SyncConfiguration.HandEditCheckHours), configuration.HandEditCheckHours.ToString(CultureInfo.InvariantCulture));
    }

    public static void Apply(IReadOnlyDictionary<string, string> values, SyncConfiguration configuration)
    {
        if (values.TryGetValue(nameof(SyncConfiguration.InvoiceDay), out var day))
        {
            configuration.InvoiceDay = int.Parse(day, CultureInfo.InvariantCulture);
        }

        if (values.TryGetValue(nameof(SyncConfiguration.BillingMethod), out var method))
        {
            configuration.BillingMethod = ParseEnum<BillingMethod>(method);
        }

        if (values.TryGetValue(nameof(SyncConfiguration.Proration), out var proration))
        {
            configuration.Proration = proration == "true";
        }

        if (values.TryGetValue(nameof(SyncConfiguration.MappingMode), out var mode))
        {
            configuration.MappingMode = ParseEnum<MappingMode>(mode);
        }

        if (values.TryGetValue(nameof(SyncConfiguration.SyncEnabled), out var enabled))
        {
            configuration.SyncEnabled = enabled == "true";
        }

        if (values.TryGetValue(nameof(SyncConfiguration.TimeZone), out var timeZone))
        {
            configuration.TimeZone = timeZone;
        }

        if (values.TryGetValue(nameof(SyncConfiguration.CostBasis), out var costBasis))
        {
            configuration.CostBasis = ParseEnum<CostBasis>(costBasis);
        }

        if (values.TryGetValue(nameof(SyncConfiguration.HandEditCheckHours), out var hours))
        {
            configuration.HandEditCheckHours = int.Parse(hours, CultureInfo.InvariantCulture);
        }
    }

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);

    private static T ParseEnum<T>(string value)
        where T : struct
        => (T)Enum.Parse(typeof(T), value, ignoreCase: true);
}
