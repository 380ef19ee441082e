using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HaloSync.Engine.Cumulus;

/// <summary>
/// The stable key of a payable charge, used to add each charge to HaloPSA exactly once.
/// With a chargeId: "chg-" + the id. Without one: "chg-h" + a hash of customer, SKU, charge name, type,
/// cycle and period, so the key fits any HaloPSA text field and is the same on every read.
/// </summary>
public sealed class ChargeIdentity : IEquatable<ChargeIdentity>
{
    private ChargeIdentity(string key) => Key = key;

    public string Key { get; }

    /// <param name="customerKey">The customer the charge is attributed to (its Sherweb id, see <see cref="ChargeAttribution"/>).</param>
    public static ChargeIdentity Of(PayableCharge charge, string customerKey)
    {
        if (charge.ChargeId is { } chargeId && chargeId != Guid.Empty)
        {
            return new ChargeIdentity("chg-" + chargeId.ToString("D"));
        }

        // The unit separator cannot occur in the parts, so different part boundaries never collide.
        var canonical = string.Join("\u001f",
            customerKey.Trim().ToUpperInvariant(),
            (charge.Sku ?? string.Empty).Trim().ToUpperInvariant(),
            (charge.ChargeName ?? string.Empty).Trim(),
            charge.ChargeType.ToString(),
            charge.BillingCycleType.ToString(),
            charge.PeriodFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            charge.PeriodTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        using var sha = SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(canonical));
        var hex = new StringBuilder(32);
        for (var i = 0; i < 16; i++)
        {
            hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        }

        return new ChargeIdentity("chg-h" + hex);
    }

    public bool Equals(ChargeIdentity? other) => other is not null && Key == other.Key;

    public override bool Equals(object? obj) => Equals(obj as ChargeIdentity);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    public override string ToString() => Key;
}
