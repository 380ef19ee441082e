using System;

namespace HaloSync.Engine.Billing;

public static class Money
{
    /// <summary>Unit amounts sent to HaloPSA: 4 decimals, half away from zero (never banker's rounding).</summary>
    public static decimal RoundUnit(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    /// <summary>What a recurring-invoice line bills per invoice period: quantity times unit price, in cents, half away from zero.</summary>
    public static decimal LineAmount(decimal quantity, decimal unitPrice) => Math.Round(quantity * unitPrice, 2, MidpointRounding.AwayFromZero);
}
