using System;

namespace HaloSync.Engine.Billing;

public static class Money
{
    /// <summary>Unit amounts sent to HaloPSA: 4 decimals, half away from zero (never banker's rounding).</summary>
    public static decimal RoundUnit(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    /// <summary>An amount: to the cent, half away from zero, and always written with two decimals (220.00, not 220).</summary>
    public static decimal Cents(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m;
}
