using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace HaloSync.Simulators.Cumulus;

/// <summary>
/// Derives the distributor payable charges of one billing period from the state.
/// Monthly subscriptions: one full line for the quantity held when the period starts, plus one prorated line per
/// change inside the period (purchase, increase, decrease as a negative credit, cancellation).
/// Yearly subscriptions: a full-year line in the period holding the purchase anniversary, plus prorated lines for
/// changes, to the end of that subscription year. Setup fees bill with the purchase; extra charges on their date.
/// Per unit: netPrice = listPrice - deductions (the documented definition), prorated prices round to the cent.
/// </summary>
internal sealed class PayableChargeCalculator
{
    private readonly SherwebSeed data;
    private readonly SherwebBillingPeriod period;
    private readonly DateTime today;
    private readonly string? language;

    private PayableChargeCalculator(SherwebSeed data, SherwebBillingPeriod period, DateTime today, string? language)
    {
        this.data = data;
        this.period = period;
        this.today = today;
        this.language = language;
    }

    public static PayableChargesResponse Calculate(SherwebSeed data, DateTime date, DateTime today, string? language)
    {
        var period = SherwebBillingPeriod.Containing(date, data.Settings.BillingPeriodStartDay);
        var calculator = new PayableChargeCalculator(data, period, today, language);
        var charges = data.Subscriptions.SelectMany(calculator.SubscriptionCharges)
            .Concat(data.Charges.Where(c => period.Contains(c.BilledOn)).Select(calculator.ExtraCharge))
            .ToList();
        return new PayableChargesResponse(DateOnly.FromDateTime(period.From), DateOnly.FromDateTime(period.To), charges);
    }

    /// <summary>A GUID that is the same on every read, like a stored charge id.</summary>
    public static Guid StableGuid(string seed)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(seed));
        return new Guid(hash);
    }

    private IEnumerable<PayableChargeResponse> SubscriptionCharges(SherwebSubscription subscription)
    {
        var product = data.FindProduct(subscription.Sku)!;
        var lines = subscription.BillingCycle == SherwebBillingCycle.Yearly
            ? YearlyLines(subscription)
            : MonthlyLines(subscription);
        foreach (var line in lines)
        {
            var cycle = subscription.BillingCycle == SherwebBillingCycle.Yearly ? SherwebBillingCycleType.Yearly : SherwebBillingCycleType.Monthly;
            var chargeName = cycle == SherwebBillingCycleType.Yearly ? "Annual fee" : "Monthly fee";
            var chargeId = StableGuid(FormattableString.Invariant($"{subscription.Id}|{line.From:yyyy-MM-dd}|{line.To:yyyy-MM-dd}|{line.Sequence}"));
            yield return Line(subscription.CustomerId, product, chargeId, chargeName, SherwebChargeType.Recurring, cycle,
                line.From, line.To, line.Quantity, product.ListPrice(subscription.BillingCycle), line.Ratio);
        }

        var purchase = subscription.PurchaseDate.UtcDateTime.Date;
        if (product.SetupFee > 0 && period.Contains(purchase))
        {
            yield return Line(subscription.CustomerId, product, StableGuid($"{subscription.Id}|setup"), "Setup fee", SherwebChargeType.Setup,
                SherwebBillingCycleType.OneTime, purchase, purchase, subscription.QuantityHistory[0].Quantity, product.SetupFee, 1m);
        }
    }

    private IEnumerable<ServiceLine> MonthlyLines(SherwebSubscription subscription)
    {
        var held = subscription.QuantityOn(period.From.AddDays(-1));
        if (held != 0)
        {
            yield return new ServiceLine(period.From, period.To, held, 1m, 0);
        }

        var sequence = 0;
        foreach (var (date, delta) in ChangesWithin(subscription, period.From, period.End))
        {
            yield return new ServiceLine(date, period.To, delta, Ratio(date, period.End, period.Days), ++sequence);
        }
    }

    private IEnumerable<ServiceLine> YearlyLines(SherwebSubscription subscription)
    {
        var purchase = subscription.PurchaseDate.UtcDateTime.Date;
        for (var year = 0; purchase.AddYears(year) <= period.To; year++)
        {
            var yearStart = purchase.AddYears(year);
            var yearEnd = purchase.AddYears(year + 1);
            var yearDays = (yearEnd - yearStart).Days;
            if (period.Contains(yearStart) && subscription.QuantityOn(yearStart) is var held and not 0)
            {
                yield return new ServiceLine(yearStart, yearEnd.AddDays(-1), held, 1m, 0);
            }

            // Changes on the anniversary itself are already in the full-year line.
            var sequence = 0;
            var from = period.From > yearStart ? period.From : yearStart.AddDays(1);
            var to = period.End < yearEnd ? period.End : yearEnd;
            foreach (var (date, delta) in ChangesWithin(subscription, from, to))
            {
                yield return new ServiceLine(date, yearEnd.AddDays(-1), delta, Ratio(date, yearEnd, yearDays), ++sequence);
            }
        }
    }

    /// <summary>Quantity deltas of the changes dated in [from, to), in order.</summary>
    private static IEnumerable<(DateTime Date, int Delta)> ChangesWithin(SherwebSubscription subscription, DateTime from, DateTime to)
    {
        var before = 0;
        foreach (var change in subscription.QuantityHistory)
        {
            if (change.EffectiveDate >= from && change.EffectiveDate < to && change.Quantity != before)
            {
                yield return (change.EffectiveDate, change.Quantity - before);
            }

            before = change.Quantity;
        }
    }

    private static decimal Ratio(DateTime from, DateTime end, int cycleDays) => (decimal)(end - from).Days / cycleDays;

    private PayableChargeResponse ExtraCharge(SherwebExtraCharge charge)
    {
        var product = data.FindProduct(charge.Sku)!;
        return Line(charge.CustomerId, product, charge.ChargeId, charge.ChargeName, charge.ChargeType, charge.BillingCycleType,
            charge.PeriodFrom, charge.PeriodTo, charge.Quantity, charge.UnitListPrice, 1m);
    }

    private PayableChargeResponse Line(Guid customerId, SherwebProduct product, Guid? chargeId, string chargeName, SherwebChargeType chargeType,
        SherwebBillingCycleType cycle, DateTime from, DateTime to, decimal quantity, decimal listPrice, decimal ratio)
    {
        var settings = data.Settings;
        var deductions = new List<DeductionResponse>();
        if (product.PromotionalPercentage > 0)
        {
            deductions.Add(Deduction("PROMO", "Promotion", "PromotionalPercentage", product.PromotionalPercentage, listPrice, quantity));
        }

        if (settings.PerformanceTierPercentage > 0 && chargeType != SherwebChargeType.Setup)
        {
            deductions.Add(Deduction("PT", "Performance tier", "PerformancePercentage", settings.PerformanceTierPercentage, listPrice, quantity));
        }

        var netPrice = listPrice - deductions.Sum(d => d.UnitValue);
        var netPriceProrated = Cents(netPrice * ratio);
        var customer = data.Customers.First(c => c.Id == customerId);
        var tags = new List<TagResponse> { new("CustomerDisplayName", customer.DisplayName) };
        if (settings.CustomerIdTagName is { } idTag)
        {
            tags.Add(new TagResponse(idTag, customer.Id.ToString()));
        }

        var billed = period.End <= today;
        return new PayableChargeResponse
        {
            ProductId = StableGuid("product|" + product.Sku.ToUpperInvariant()),
            ProductName = SherwebLanguage.Pick(product, language),
            Sku = product.Sku,
            ChargeId = chargeId,
            ChargeName = chargeName,
            ChargeType = chargeType,
            BillingCycleType = cycle,
            PeriodFrom = DateOnly.FromDateTime(from),
            PeriodTo = DateOnly.FromDateTime(to),
            Quantity = quantity,
            ListPrice = listPrice,
            NetPrice = netPrice,
            NetPriceProrated = netPriceProrated,
            SubTotal = Cents(quantity * netPriceProrated),
            Currency = settings.Currency,
            IsBilled = billed,
            IsProratable = chargeType == SherwebChargeType.Recurring,
            Deductions = deductions,
            Fees = Array.Empty<FeeResponse>(),
            Invoice = new InvoiceResponse(
                billed ? $"INV-{period.From:yyyyMMdd}" : null,
                billed ? DateOnly.FromDateTime(period.End) : DateOnly.MinValue,
                DateOnly.FromDateTime(period.From),
                DateOnly.FromDateTime(period.To)),
            Taxes = settings.Tax is { } tax ? new[] { new TaxResponse(tax.Name, tax.AppliedRate) } : Array.Empty<TaxResponse>(),
            Tags = tags,
        };
    }

    private static DeductionResponse Deduction(string code, string name, string type, decimal percentage, decimal listPrice, decimal quantity)
    {
        var unitValue = Cents(listPrice * percentage / 100m);
        return new DeductionResponse(code, name, type, percentage, unitValue, Cents(unitValue * quantity));
    }

    private static decimal Cents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    private sealed record ServiceLine(DateTime From, DateTime To, decimal Quantity, decimal Ratio, int Sequence);
}
