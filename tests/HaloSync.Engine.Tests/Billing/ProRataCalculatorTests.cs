using System;
using HaloSync.Engine.Billing;
using HaloSync.Engine.Configuration;

namespace HaloSync.Engine.Tests.Billing;

/// <summary>Every expected number here is computed by hand: unit x days / period days, rounded to 4 decimals half away from zero.</summary>
public sealed class ProRataCalculatorTests
{
    private static SyncConfiguration PreBill(int day) => new() { InvoiceDay = day, BillingMethod = BillingMethod.PreBill, Proration = true };

    private static SyncConfiguration PostBill(int day) => new() { InvoiceDay = day, BillingMethod = BillingMethod.PostBill, Proration = true };

    private static DateTime D(string value) => DateTime.Parse(value);

    [Fact]
    public void Pre_bill_increase_bills_the_added_seats_for_the_rest_of_the_period()
    {
        // D=15, t=2026-11-20: period 11-15..12-15 (30 days), 25 days left. 22.00 x 25/30 = 18.33333; 17.60 x 25/30 = 14.66667.
        var entry = ProRataCalculator.ForChange(5, 8, D("2026-11-20"), 22.00m, 17.60m, PreBill(15))!;

        Assert.Equal(3, entry.Quantity);
        Assert.Equal(18.3333m, entry.UnitPrice);
        Assert.Equal(14.6667m, entry.UnitCost);
        Assert.Equal(25, entry.Days);
        Assert.Equal(54.9999m, entry.Total);
        Assert.Equal(D("2026-11-20"), entry.Date);
        Assert.Equal("Quantity changed 5 -> 8 (+3) on 2026-11-20: pro-rata 25 of 30 days, 2026-11-20 to 2026-12-14", entry.Description);
    }

    [Fact]
    public void Post_bill_increase_credits_the_added_seats_for_the_days_already_passed()
    {
        // 5 days from 11-15 to 11-20. 22.00 x 5/30 = 3.66667; 17.60 x 5/30 = 2.93333.
        var entry = ProRataCalculator.ForChange(5, 8, D("2026-11-20"), 22.00m, 17.60m, PostBill(15))!;

        Assert.Equal(-3, entry.Quantity);
        Assert.Equal(3.6667m, entry.UnitPrice);
        Assert.Equal(2.9333m, entry.UnitCost);
        Assert.Equal(5, entry.Days);
        Assert.Equal("Quantity changed 5 -> 8 (+3) on 2026-11-20: pro-rata 5 of 30 days, 2026-11-15 to 2026-11-19", entry.Description);
    }

    [Fact]
    public void Pre_bill_decrease_is_a_negative_quantity_at_a_positive_price()
    {
        var entry = ProRataCalculator.ForChange(8, 5, D("2026-11-20"), 22.00m, 17.60m, PreBill(15))!;

        Assert.Equal(-3, entry.Quantity);
        Assert.Equal(18.3333m, entry.UnitPrice);
        Assert.Equal(-54.9999m, entry.Total);
    }

    [Fact]
    public void Post_bill_decrease_adds_back_the_seats_for_the_days_they_were_used()
    {
        var entry = ProRataCalculator.ForChange(8, 5, D("2026-11-20"), 22.00m, 17.60m, PostBill(15))!;

        Assert.Equal(3, entry.Quantity);
        Assert.Equal(3.6667m, entry.UnitPrice);
    }

    [Fact]
    public void Invoice_day_1_uses_calendar_months()
    {
        // 11-20 to 12-01: 11 of 30 days. 12.50 x 11/30 = 4.58333; 9.99 x 11/30 = 3.663.
        var entry = ProRataCalculator.ForChange(1, 2, D("2026-11-20"), 12.50m, 9.99m, PreBill(1))!;

        Assert.Equal(11, entry.Days);
        Assert.Equal(4.5833m, entry.UnitPrice);
        Assert.Equal(3.6630m, entry.UnitCost);
    }

    [Fact]
    public void Invoice_day_28_in_February_of_a_common_year()
    {
        // Period 2027-01-28..2027-02-28 (31 days); from 02-27 one day is left. 10.00 / 31 = 0.322580.
        var pre = ProRataCalculator.ForChange(2, 3, D("2027-02-27"), 10.00m, 8.00m, PreBill(28))!;
        Assert.Equal(1, pre.Days);
        Assert.Equal(0.3226m, pre.UnitPrice);
        Assert.Equal(0.2581m, pre.UnitCost); // 8 / 31 = 0.258064

        // Post-bill: 30 days passed. 10.00 x 30/31 = 9.677419; 8.00 x 30/31 = 7.741935.
        var post = ProRataCalculator.ForChange(2, 3, D("2027-02-27"), 10.00m, 8.00m, PostBill(28))!;
        Assert.Equal(30, post.Days);
        Assert.Equal(9.6774m, post.UnitPrice);
        Assert.Equal(7.7419m, post.UnitCost);
    }

    [Fact]
    public void Invoice_day_31_from_January_to_February()
    {
        // Spec example: period 2027-01-31..2027-02-28 (28 days). From 02-10: 18 days left, 10 passed.
        // 30.00 x 18/28 = 19.285714; 30.00 x 10/28 = 10.714285.
        var pre = ProRataCalculator.ForChange(4, 6, D("2027-02-10"), 30.00m, 24.00m, PreBill(31))!;
        Assert.Equal(18, pre.Days);
        Assert.Equal(19.2857m, pre.UnitPrice);
        Assert.Equal(15.4286m, pre.UnitCost); // 24 x 18/28 = 15.428571

        var post = ProRataCalculator.ForChange(4, 6, D("2027-02-10"), 30.00m, 24.00m, PostBill(31))!;
        Assert.Equal(10, post.Days);
        Assert.Equal(10.7143m, post.UnitPrice);
        Assert.Equal(8.5714m, post.UnitCost); // 24 x 10/28 = 8.571428
    }

    [Fact]
    public void Invoice_day_31_in_a_leap_February()
    {
        // Period 2028-01-31..2028-02-29 (29 days). From 02-15: 14 days left. 20.00 x 14/29 = 9.655172.
        var entry = ProRataCalculator.ForChange(1, 4, D("2028-02-15"), 20.00m, 16.00m, PreBill(31))!;

        Assert.Equal(29, entry.Period.Days);
        Assert.Equal(14, entry.Days);
        Assert.Equal(9.6552m, entry.UnitPrice);
        Assert.Equal(7.7241m, entry.UnitCost); // 16 x 14/29 = 7.724137
    }

    [Fact]
    public void A_change_on_the_anchor_day_is_a_whole_period_in_pre_bill_and_nothing_in_post_bill()
    {
        var pre = ProRataCalculator.ForChange(5, 8, D("2026-11-15"), 22.00m, 17.60m, PreBill(15))!;
        Assert.Equal(30, pre.Days);
        Assert.Equal(22.0000m, pre.UnitPrice);
        Assert.Equal(17.6000m, pre.UnitCost);

        Assert.Null(ProRataCalculator.ForChange(5, 8, D("2026-11-15"), 22.00m, 17.60m, PostBill(15)));
    }

    [Fact]
    public void A_change_the_day_before_the_next_anchor()
    {
        // 2026-12-14 with D=15: 1 day left, 29 passed. 22 x 1/30 = 0.73333; 22 x 29/30 = 21.26667.
        var pre = ProRataCalculator.ForChange(5, 8, D("2026-12-14"), 22.00m, 17.60m, PreBill(15))!;
        Assert.Equal(1, pre.Days);
        Assert.Equal(0.7333m, pre.UnitPrice);
        Assert.Equal(0.5867m, pre.UnitCost); // 17.6 / 30 = 0.586666

        var post = ProRataCalculator.ForChange(5, 8, D("2026-12-14"), 22.00m, 17.60m, PostBill(15))!;
        Assert.Equal(29, post.Days);
        Assert.Equal(21.2667m, post.UnitPrice);
        Assert.Equal(17.0133m, post.UnitCost); // 17.6 x 29/30 = 17.013333
    }

    [Fact]
    public void Two_changes_in_one_period_give_two_entries()
    {
        // 5 -> 8 on 11-20 (25 days left), then 8 -> 6 on 12-01 (14 days left). 22 x 14/30 = 10.26667.
        var first = ProRataCalculator.ForChange(5, 8, D("2026-11-20"), 22.00m, 17.60m, PreBill(15))!;
        var second = ProRataCalculator.ForChange(8, 6, D("2026-12-01"), 22.00m, 17.60m, PreBill(15))!;

        Assert.Equal((3, 18.3333m), (first.Quantity, first.UnitPrice));
        Assert.Equal((-2, 10.2667m), (second.Quantity, second.UnitPrice));
        Assert.Equal(first.Period, second.Period);
        Assert.Equal(54.9999m - 20.5334m, first.Total + second.Total);
    }

    [Fact]
    public void Cancellation_in_pre_bill_credits_the_rest_of_the_period()
    {
        var entry = ProRataCalculator.ForChange(10, 0, D("2026-11-20"), 22.00m, 17.60m, PreBill(15))!;

        Assert.Equal(-10, entry.Quantity);
        Assert.Equal(18.3333m, entry.UnitPrice);
        Assert.StartsWith("Cancelled 10 -> 0 (-10) on 2026-11-20", entry.Description);
    }

    [Fact]
    public void Cancellation_in_post_bill_bills_the_days_used()
    {
        var entry = ProRataCalculator.ForChange(10, 0, D("2026-11-20"), 22.00m, 17.60m, PostBill(15))!;

        Assert.Equal(10, entry.Quantity);
        Assert.Equal(3.6667m, entry.UnitPrice);
        Assert.Equal(36.667m, entry.Total);
    }

    [Fact]
    public void A_new_purchase_is_a_change_from_zero()
    {
        var entry = ProRataCalculator.ForChange(0, 4, D("2026-11-20"), 22.00m, 17.60m, PreBill(15))!;

        Assert.Equal(4, entry.Quantity);
        Assert.StartsWith("Purchased 0 -> 4 (+4)", entry.Description);
    }

    [Fact]
    public void Proration_off_gives_no_entry()
        => Assert.Null(ProRataCalculator.ForChange(5, 8, D("2026-11-20"), 22.00m, 17.60m,
            new SyncConfiguration { InvoiceDay = 15, Proration = false }));

    [Fact]
    public void No_change_gives_no_entry()
        => Assert.Null(ProRataCalculator.ForChange(5, 5, D("2026-11-20"), 22.00m, 17.60m, PreBill(15)));

    [Fact]
    public void Rounding_is_half_away_from_zero_not_to_even()
    {
        // 12.3457 x 15/30 = 6.17285 exactly: half away from zero gives 6.1729 (to even would give 6.1728).
        var entry = ProRataCalculator.ForChange(1, 2, D("2026-11-30"), 12.3457m, 0.0001m, PreBill(15))!;

        Assert.Equal(15, entry.Days);
        Assert.Equal(6.1729m, entry.UnitPrice);
        Assert.Equal(0.0001m, entry.UnitCost); // 0.00005 rounds up, not to 0.0000
    }

    // HaloPSA's next invoice date (AtNextInvoice). Invoice day 15: [11-15, 12-15) is 30 days, [12-15, 01-15) 31.
    [Fact]
    public void At_the_next_invoice_the_rule_assumes_the_entry_is_the_rules()
    {
        var planned = ProRataCalculator.ForChange(10, 13, D("2026-11-20"), 30.00m, 22.00m, PreBill(15))!;

        Assert.Same(planned, ProRataCalculator.AtNextInvoice(planned, 10, 13, 30.00m, 22.00m, PreBill(15), D("2026-12-15")));
    }

    [Fact]
    public void Pre_bill_a_change_on_the_invoice_day_before_HaloPSA_generates_has_no_entry()
    {
        var planned = ProRataCalculator.ForChange(10, 13, D("2026-12-15"), 30.00m, 22.00m, PreBill(15))!;

        Assert.Null(ProRataCalculator.AtNextInvoice(planned, 10, 13, 30.00m, 22.00m, PreBill(15), D("2026-12-15")));
    }

    [Fact]
    public void A_change_written_after_the_invoice_day_is_charged_across_both_periods_each_over_its_own_length()
    {
        // Pre-bill, 10 -> 13 on 12-14, HaloPSA already generated 12-15 (at 10): +3 for 1 of 30 days and 31 of 31 days.
        // Price 30.00 x (1/30 + 31/31) = 1.00 + 30.00 = 31.0000; cost 22.00 x 1/30 + 22.00 = 0.7333... + 22.00 = 22.7333.
        var planned = ProRataCalculator.ForChange(10, 13, D("2026-12-14"), 30.00m, 22.00m, PreBill(15))!;

        var entry = ProRataCalculator.AtNextInvoice(planned, 10, 13, 30.00m, 22.00m, PreBill(15), D("2027-01-15"))!;

        Assert.Equal((3, 31.0000m, 22.7333m, 32), (entry.Quantity, entry.UnitPrice, entry.UnitCost, entry.Days));
        Assert.Equal("Quantity changed 10 -> 13 (+3) on 2026-12-14: pro-rata 32 day(s) charged, 2026-12-14 to 2027-01-14 (HaloPSA's next invoice is on 2027-01-15)", entry.Description);
    }

    [Fact]
    public void A_next_invoice_date_more_than_a_period_away_leaves_the_rules_entry()
    {
        // A paused invoice still dated 09-15: crediting three periods from it would be a guess, not what was billed.
        var planned = ProRataCalculator.ForChange(10, 13, D("2026-12-20"), 30.00m, 22.00m, PreBill(15))!;

        Assert.Same(planned, ProRataCalculator.AtNextInvoice(planned, 10, 13, 30.00m, 22.00m, PreBill(15), D("2026-09-15")));
        Assert.Same(planned, ProRataCalculator.AtNextInvoice(planned, 10, 13, 30.00m, 22.00m, PreBill(15), D("2027-03-15")));
    }

    [Fact]
    public void A_line_written_periods_after_its_purchase_is_charged_every_day_since_while_a_far_date_still_leaves_the_rules_entry()
    {
        // Post-bill, 0 -> 4 bought 11-25, its line first written on 01-20, HaloPSA's next invoice 02-15 (arrears for
        // [01-15, 02-15)): the invoices of 12-15 and 01-15 never billed it, so 11-25 to 01-14 is charged, 20 of 30 and
        // 31 of 31 days: 30.00 x (20/30 + 1) = 50.0000, cost 22.00 x (20/30 + 1) = 36.6667. For a change of a line
        // that invoices billed, the same dates are more than a period from what the rule assumes: its entry stands.
        var planned = ProRataCalculator.ForChange(0, 4, D("2026-11-25"), 30.00m, 22.00m, PostBill(15))!;

        var entry = ProRataCalculator.AtNextInvoice(planned, 0, 4, 30.00m, 22.00m, PostBill(15), D("2027-02-15"), newLineOn: D("2027-01-20"))!;

        Assert.Equal((4, 50.0000m, 36.6667m, 51), (entry.Quantity, entry.UnitPrice, entry.UnitCost, entry.Days));
        Assert.Same(planned, ProRataCalculator.AtNextInvoice(planned, 0, 4, 30.00m, 22.00m, PostBill(15), D("2027-02-15")));
        // A date more than a period from the run's own (an invoice whose schedule was moved on by hand) leaves the rule's entry.
        Assert.Same(planned, ProRataCalculator.AtNextInvoice(planned, 0, 4, 30.00m, 22.00m, PostBill(15), D("2027-04-15"), newLineOn: D("2027-01-20")));
    }

    [Fact]
    public void A_new_line_starting_after_HaloPSA_s_next_invoice_date_is_first_billed_by_the_invoice_after_it_so_the_rules_entry_stands()
    {
        // 0 -> 4 bought 12-16, written on 12-16 while HaloPSA has not generated 12-15 yet: that invoice does not bill a line
        // starting the next day, the 01-15 invoice is the first. Pre-bill, the rule's +4 for 30 of 31 days:
        // 30.00 x 30/31 = 29.0323, 22.00 x 30/31 = 21.2903. Post-bill, its -4 for 1 of 31 days (12-15): 0.9677, 0.7097.
        var preBill = ProRataCalculator.ForChange(0, 4, D("2026-12-16"), 30.00m, 22.00m, PreBill(15))!;
        var postBill = ProRataCalculator.ForChange(0, 4, D("2026-12-16"), 30.00m, 22.00m, PostBill(15))!;

        Assert.Equal((4, 29.0323m, 21.2903m, 30), (preBill.Quantity, preBill.UnitPrice, preBill.UnitCost, preBill.Days));
        Assert.Equal((-4, 0.9677m, 0.7097m, 1), (postBill.Quantity, postBill.UnitPrice, postBill.UnitCost, postBill.Days));
        foreach (var written in new[] { D("2026-12-16"), D("2026-12-14") })
        {
            Assert.Same(preBill, ProRataCalculator.AtNextInvoice(preBill, 0, 4, 30.00m, 22.00m, PreBill(15), D("2026-12-15"), newLineOn: written));
            Assert.Same(postBill, ProRataCalculator.AtNextInvoice(postBill, 0, 4, 30.00m, 22.00m, PostBill(15), D("2026-12-15"), newLineOn: written));
        }
    }

    [Fact]
    public void Post_bill_a_cancellation_on_the_invoice_day_before_HaloPSA_generates_charges_the_period_it_was_used()
    {
        // 10 -> 0 on 12-15; HaloPSA's 12-15 invoice bills [11-15, 12-15) in arrears from a line now at 0: the 10 seats used
        // all of it are charged, +10 x 30.00 x 30/30 = 30.0000 each. (The spec's rule has no entry there: f = 0.)
        var planned = new ProRataEntry(D("2026-12-15"), 10, 0m, 0m, 0, BillingPeriod.Containing(D("2026-12-15"), 15), string.Empty);

        var entry = ProRataCalculator.AtNextInvoice(planned, 10, 0, 30.00m, 22.00m, PostBill(15), D("2026-12-15"))!;

        Assert.Equal((10, 30.0000m, 22.0000m, 30), (entry.Quantity, entry.UnitPrice, entry.UnitCost, entry.Days));
        Assert.Equal("Cancelled 10 -> 0 (-10) on 2026-12-15: pro-rata 30 day(s) charged, 2026-11-15 to 2026-12-14 (HaloPSA's next invoice is on 2026-12-15)", entry.Description);
    }
}

