using System;
using System.Globalization;

namespace HaloSync.Engine.Billing;

public static class Money
{
    /// <summary>Unit amounts sent to HaloPSA: 4 decimals, half away from zero (never banker's rounding).</summary>
    public static decimal RoundUnit(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    /// <summary>The same amount without trailing zeros (HaloPSA sends 12.0 for 12), so it reads as people write it.</summary>
    public static decimal Plain(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>What a recurring-invoice line bills per invoice period: quantity times unit price, in cents, half away from zero.</summary>
    public static decimal LineAmount(decimal quantity, decimal unitPrice) => Math.Round(quantity * unitPrice, 2, MidpointRounding.AwayFromZero);

    /// <summary>An amount as the event log words it: at least two decimals, at most four (30.00, 0.1234); "none" for none.</summary>
    public static string Text(decimal? value) => value?.ToString("0.00##", CultureInfo.InvariantCulture) ?? "none";

    /// <summary>An amount: to the cent, half away from zero, and always written with two decimals (220.00, not 220).</summary>
    public static decimal Cents(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
