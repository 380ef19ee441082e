using System;
using System.Collections.Generic;
using System.Linq;

namespace HaloSync.Simulators.Cumulus;

/// <summary>Commitment-term arithmetic: terms follow one another from the purchase date while the subscription auto-renews.</summary>
internal static class SherwebCommitment
{
    /// <summary>NCE lets a purchase or an increase be undone for 7 days.</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromDays(7);

    public static int Months(SherwebCommitmentTerm term) => term switch
    {
        SherwebCommitmentTerm.Annual => 12,
        SherwebCommitmentTerm.Biennial => 24,
        SherwebCommitmentTerm.Triennial => 36,
        _ => 1,
    };

    /// <summary>The term containing <paramref name="today"/>, or the first term when it has not started or will not renew.</summary>
    public static (DateTime Start, DateTime NextStart) CurrentTerm(SherwebSubscription subscription, SherwebCommitmentTerm term, DateTime today)
    {
        var purchase = subscription.PurchaseDate.UtcDateTime.Date;
        var months = Months(term);
        var index = 0;
        while (subscription.AutoRenew && purchase.AddMonths(months * (index + 1)) <= today)
        {
            index++;
        }

        return (purchase.AddMonths(months * index), purchase.AddMonths(months * (index + 1)));
    }

    public static CommitmentTermResponse? Describe(SherwebSubscription subscription, DateTime today)
    {
        if (subscription.CommitmentTerm is not { } term)
        {
            return null;
        }

        var (start, nextStart) = CurrentTerm(subscription, term, today);
        var renewal = subscription.AutoRenew && subscription.CancelledOn is null
            ? new RenewalConfigurationResponse(DateOnly.FromDateTime(nextStart), null)
            : null;
        return new CommitmentTermResponse(term, DateOnly.FromDateTime(nextStart.AddDays(-1)), renewal, MinimalQuantities(subscription, start, today));
    }

    /// <summary>Each increase in the current term may be taken back, down to the quantity before it, until its grace period ends.</summary>
    private static IReadOnlyList<CommittedMinimalQuantityResponse>? MinimalQuantities(SherwebSubscription subscription, DateTime termStart, DateTime today)
    {
        var windows = new List<CommittedMinimalQuantityResponse>();
        var before = 0;
        foreach (var change in subscription.QuantityHistory)
        {
            var until = change.EffectiveDate + GracePeriod;
            if (change.Quantity > before && change.EffectiveDate >= termStart && until >= today)
            {
                windows.Add(new CommittedMinimalQuantityResponse(DateOnly.FromDateTime(until), before));
            }

            before = change.Quantity;
        }

        return windows.Count == 0 ? null : windows;
    }
}
