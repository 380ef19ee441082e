using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>The billing rules, planner only. Item price 30.00; Sherweb net 19.80 + performance tier 2.20 = cost 22.00.</summary>
public sealed class SyncPlannerTests
{
    private static readonly Guid Customer = new("11111111-0000-4000-8000-000000000001");
    private static readonly Guid SubscriptionId = new("22222222-0000-4000-8000-000000000001");
    private static readonly DateTime Nov20 = new(2026, 11, 20);

    private static SyncConfiguration PreBill15 => new() { InvoiceDay = 15, BillingMethod = BillingMethod.PreBill, Proration = true, SyncEnabled = true };

    private static OrganizationMapping Org(DateTime? firstSynced = null)
        => new() { OrganizationId = Customer.ToString("D"), Name = "Contoso Ltd", HaloClientId = 12, HaloClientName = "Contoso", SyncEnabled = true, FirstSyncedOn = firstSynced };

    private static CumulusSubscription Subscription(int quantity, SubscriptionBillingCycle cycle = SubscriptionBillingCycle.Monthly, DateTime? purchased = null, decimal fee = 21.00m, Guid? id = null)
        => new(Customer,
            new SubscriptionDetails { Id = id ?? SubscriptionId, Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", Quantity = quantity, PurchaseDate = purchased ?? new DateTime(2026, 3, 4) },
            new SubscriptionPricingInformation { Id = id ?? SubscriptionId, BillingCycle = cycle, Fees = new SubscriptionFees { RecurringFee = fee, Currency = "USD" } });

    private static PayableCharge Recurring(decimal quantity = 10m, decimal net = 19.80m, decimal list = 24.00m, decimal performanceTier = 2.20m, DateTime? from = null)
        => new()
        {
            Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", ChargeName = "Monthly fee", ChargeType = ChargeType.Recurring,
            BillingCycleType = BillingCycleType.Monthly, Quantity = quantity, ListPrice = list, NetPrice = net,
            PeriodFrom = from ?? new DateTime(2026, 11, 1), PeriodTo = new DateTime(2026, 11, 30),
            Deductions = new[] { new ChargeDeduction { DeductionType = DeductionType.PerformancePercentage, UnitValue = performanceTier } },
        };

    private static PlanInput Input(OrganizationMapping org, IEnumerable<CumulusSubscription> subscriptions, IEnumerable<PayableCharge>? charges = null,
        SyncedSubscription? synced = null, SyncConfiguration? settings = null, DateTime? asOf = null, string? itemSku = "MS-BP-NCE",
        IReadOnlyDictionary<string, bool>? flags = null, IEnumerable<string>? syncedCharges = null)
        => new()
        {
            RunId = "run-1",
            AsOf = asOf ?? Nov20,
            Now = DateTimeOffset.UtcNow,
            Settings = settings ?? PreBill15,
            Organizations = new[] { new OrganizationInput { Mapping = org, Subscriptions = subscriptions.ToList(), Charges = (charges ?? Array.Empty<PayableCharge>()).ToList(), ChargeFlags = flags ?? new Dictionary<string, bool>() } },
            Products = new Dictionary<string, ProductMapping>(StringComparer.OrdinalIgnoreCase)
            {
                ["MS-BP-NCE"] = new() { Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", HaloItemId = itemSku is null ? null : 7, Source = MappingSource.Manual, SyncEnabled = true },
                ["MS-AZURE"] = new() { Sku = "MS-AZURE", ProductName = "Azure plan", HaloItemId = 8, Source = MappingSource.Manual, SyncEnabled = true },
            },
            Items = new Dictionary<int, HaloItem> { [7] = new() { Id = 7, Name = "M365 BP", BasePrice = 30.00m, CostPrice = 0m }, [8] = new() { Id = 8, Name = "Azure", BasePrice = 0m, CostPrice = 0m } },
            Synced = synced is null ? Array.Empty<SyncedSubscription>() : new[] { synced },
            SyncedChargeKeys = (syncedCharges ?? Array.Empty<string>()).ToList(),
        };

    private static SyncedSubscription Synced(int quantity, SubscriptionBillingCycle cycle = SubscriptionBillingCycle.Monthly, int client = 12)
        => new()
        {
            OrganizationId = Customer.ToString("D"), HaloClientId = client, SubscriptionId = SubscriptionId, Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium",
            HaloItemId = 7, Quantity = quantity, BillingCycle = cycle, UnitPrice = 30.00m, UnitCost = 22.00m, LineStart = new DateTime(2026, 10, 1),
        };

    [Fact]
    public void First_sync_creates_the_subscription_and_line_from_the_run_date_without_pro_rata_and_updates_the_item_cost()
    {
        var plan = SyncPlanner.Plan(Input(Org(), new[] { Subscription(10) }, new[] { Recurring() }));

        var create = plan.Actions.Single(a => a.Event.Kind == SyncEventKind.CreateSubscription);
        Assert.Equal((0m, 10m), (create.Event.QuantityBefore, create.Event.QuantityAfter));
        Assert.Equal(30.00m, create.Event.UnitPrice);
        Assert.Equal(22.00m, create.Event.UnitCost);
        Assert.Equal(Nov20, create.Event.EffectiveDate);
        Assert.Equal(Nov20, create.Event.LineStart);
        Assert.True(create.HasLine);
        Assert.Null(create.Event.ProRata);
        Assert.Equal("sub-" + SubscriptionId.ToString("D"), create.Event.CumulusKey);
        var cost = plan.Actions.Single(a => a.Event.Kind == SyncEventKind.UpdateItemCost);
        Assert.Equal((7, 22.00m), (cost.Event.HaloItemId!.Value, cost.Event.UnitCost!.Value));
    }

    [Fact]
    public void A_yearly_subscription_gets_a_HaloPSA_subscription_but_no_line()
    {
        var create = SyncPlanner.Plan(Input(Org(), new[] { Subscription(5, SubscriptionBillingCycle.Yearly) })).Actions.Single();

        Assert.Equal(SyncEventKind.CreateSubscription, create.Event.Kind);
        Assert.False(create.HasLine);
        Assert.Contains("no recurring-invoice line", create.Event.Detail);
    }

    /// <summary>
    /// Without pricing information Sherweb gives no billing cycle. Taken as yearly it would get no line and never be billed;
    /// it is left alone with a warning until Sherweb names the cycle, then created as any first sync is.
    /// </summary>
    [Fact]
    public void A_subscription_without_a_billing_cycle_is_not_synced_until_Sherweb_gives_one()
    {
        var withoutPricing = new CumulusSubscription(Customer,
            new SubscriptionDetails { Id = SubscriptionId, Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", Quantity = 10, PurchaseDate = new DateTime(2026, 3, 4) },
            null);

        var first = SyncPlanner.Plan(Input(Org(), new[] { withoutPricing }));

        Assert.Empty(first.Actions);
        Assert.Empty(first.Subscriptions);
        var warning = Assert.Single(first.Warnings);
        Assert.StartsWith("Contoso Ltd: Microsoft 365 Business Premium (MS-BP-NCE): Sherweb gives no pricing information", warning);

        var daily = SyncPlanner.Plan(Input(Org(), new[] { Subscription(10, SubscriptionBillingCycle.Daily) }));
        Assert.Empty(daily.Actions);
        Assert.Contains("Sherweb gives its billing cycle as Daily; not synced until Sherweb gives Monthly or Yearly.", Assert.Single(daily.Warnings));

        var later = SyncPlanner.Plan(Input(Org(new DateTime(2026, 11, 16)), new[] { Subscription(10) }, asOf: new DateTime(2026, 11, 21)));
        var create = Assert.Single(later.Actions);
        Assert.Equal((SyncEventKind.CreateSubscription, true, new DateTime(2026, 11, 21)), (create.Event.Kind, create.HasLine, create.Event.LineStart!.Value));
        Assert.Null(create.Event.ProRata);
        Assert.Empty(later.Warnings);
    }

    [Fact]
    public void A_kept_subscription_whose_billing_cycle_changes_is_reported_every_run()
    {
        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(5, SubscriptionBillingCycle.Monthly) }, null, Synced(5, SubscriptionBillingCycle.Yearly)));

        Assert.Empty(plan.Actions);
        Assert.Equal("Contoso Ltd: Microsoft 365 Business Premium (MS-BP-NCE): Sherweb now bills it Monthly, HaloSync keeps it as Yearly " +
                     "(following a change of billing cycle is not supported yet): check its HaloPSA subscription and line.", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void A_term_that_moves_at_Sherweb_moves_the_subscription_s_end_date_and_a_monthly_term_does_not()
    {
        CumulusSubscription WithTerm(CommitmentTermType type, DateTime end)
        {
            var plain = Subscription(5, SubscriptionBillingCycle.Yearly);
            return new CumulusSubscription(Customer,
                new SubscriptionDetails
                {
                    Id = plain.Id, Sku = plain.Sku, ProductName = plain.ProductName, Quantity = plain.Quantity, PurchaseDate = plain.PurchaseDate,
                    CommitmentTerm = new SubscriptionCommitmentTerm { Type = type, TermEndDate = end },
                },
                plain.Pricing);
        }

        var kept = Synced(5, SubscriptionBillingCycle.Yearly) with { TermEndDate = new DateTime(2026, 12, 1) };
        var annual = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { WithTerm(CommitmentTermType.Annual, new DateTime(2027, 12, 1)) }, null, kept,
            asOf: new DateTime(2026, 12, 5)));

        var term = Assert.Single(annual.Actions).Event;
        Assert.Equal((SyncEventKind.UpdateTerm, 5m, 5m), (term.Kind, term.QuantityBefore!.Value, term.QuantityAfter!.Value));
        Assert.Null(term.ProRata);
        Assert.Equal("Term ends 2027-12-01 (was 2026-12-01) at Sherweb, seen 2026-12-05", term.Detail);
        Assert.Equal(new DateTime(2027, 12, 1), Assert.Single(annual.Subscriptions).TermEndDate);

        var monthly = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { WithTerm(CommitmentTermType.Monthly, new DateTime(2027, 1, 1)) }, null, kept,
            asOf: new DateTime(2026, 12, 5)));
        Assert.Empty(monthly.Actions);
    }

    /// <summary>A term renewed at Sherweb and a quantity change seen by the same run: both are followed (the term waited a run).</summary>
    [Fact]
    public void A_term_that_moves_in_the_run_of_a_quantity_change_is_followed_too()
    {
        var plain = Subscription(6, SubscriptionBillingCycle.Yearly);
        var renewed = new CumulusSubscription(Customer,
            new SubscriptionDetails
            {
                Id = plain.Id, Sku = plain.Sku, ProductName = plain.ProductName, Quantity = 6, PurchaseDate = plain.PurchaseDate,
                CommitmentTerm = new SubscriptionCommitmentTerm { Type = CommitmentTermType.Annual, TermEndDate = new DateTime(2027, 12, 1) },
            },
            plain.Pricing);
        var kept = Synced(5, SubscriptionBillingCycle.Yearly) with { TermEndDate = new DateTime(2026, 12, 1) };

        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { renewed }, null, kept, asOf: new DateTime(2026, 12, 5)));

        Assert.Equal(new[] { SyncEventKind.ChangeQuantity, SyncEventKind.UpdateTerm }, plan.Actions.Select(a => a.Event.Kind));
        var row = Assert.Single(plan.Subscriptions);
        Assert.Equal((6, (DateTime?)new DateTime(2027, 12, 1)), (row.Quantity, row.TermEndDate));
    }

    /// <summary>
    /// A subscription billed at Sherweb's provisional fee (21.00, no payable charge yet) changes 4 -> 6: the change is
    /// billed at 21.00 and still says so (the flag was dropped). When the payable charge comes and says the same 21.00,
    /// the cost is confirmed by an event, and the flag cleared (it stayed provisional for good).
    /// </summary>
    [Fact]
    public void A_provisional_cost_stays_provisional_through_a_change_and_is_confirmed_when_the_charge_agrees()
    {
        var org = Org(new DateTime(2026, 10, 1));
        var provisional = Synced(4) with { UnitCost = 21.00m, CostProvisional = true };

        var change = SyncPlanner.Plan(Input(org, new[] { Subscription(6) }, null, provisional)).Actions.Single().Event;
        var confirmed = SyncPlanner.Plan(Input(org, new[] { Subscription(4) }, new[] { Recurring(4m, net: 18.80m) }, provisional));

        Assert.Equal((SyncEventKind.ChangeQuantity, 21.00m, true), (change.Kind, change.UnitCost!.Value, change.CostProvisional));
        Assert.Contains("unit cost is provisional", change.Detail);
        var update = Assert.Single(confirmed.Actions, a => a.Event.Kind == SyncEventKind.UpdateCost).Event;
        Assert.Equal((21.00m, false), (update.UnitCost!.Value, update.CostProvisional));
        Assert.Equal("Unit cost now 21.00 from Sherweb's payable charge (it was 21.00, provisional, from Sherweb's pricing information), from 2026-11-20", update.Detail);
        Assert.False(Assert.Single(confirmed.Subscriptions).CostProvisional);
    }

    /// <summary>
    /// Payable charges name no subscription. Two Business Premium subscriptions of one organization, 10 seats at a net
    /// 22.00 (annual term) and 3 at 26.40 (monthly term): each takes the charge for its own seats, not both the larger's.
    /// </summary>
    [Fact]
    public void Two_subscriptions_of_one_SKU_each_take_the_cost_of_the_charge_for_their_seats()
    {
        var (ten, three) = (new Guid("22222222-0000-4000-8000-00000000000a"), new Guid("22222222-0000-4000-8000-00000000000b"));
        PayableCharge Charge(decimal seats, decimal net) => new()
        {
            Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", ChargeName = "Monthly fee", ChargeType = ChargeType.Recurring,
            BillingCycleType = BillingCycleType.Monthly, Quantity = seats, ListPrice = net, NetPrice = net,
            PeriodFrom = new DateTime(2026, 11, 1), PeriodTo = new DateTime(2026, 11, 30),
        };

        var plan = SyncPlanner.Plan(Input(Org(), new[] { Subscription(10, id: ten), Subscription(3, id: three) }, new[] { Charge(10, 22.00m), Charge(3, 26.40m) }));

        var costs = plan.Actions.Where(a => a.Event.Kind == SyncEventKind.CreateSubscription).ToDictionary(a => a.Event.QuantityAfter!.Value, a => a.Event.UnitCost);
        Assert.Equal((22.00m, 26.40m), (costs[10m]!.Value, costs[3m]!.Value));
    }

    /// <summary>
    /// 4 -> 2 seats on 11-20; Sherweb lists the month's 4 seats (net 19.80 + 2.20 performance tier = 22.00) and the
    /// decrease as 2 seats priced below zero. A seat still costs 22.00: the change, its pro-rata entry
    /// (-2 x 30.00 x 25/30 = 25.0000, cost 22.00 x 25/30 = 18.3333) and the item keep 22.00, never -22.00.
    /// </summary>
    [Fact]
    public void A_seat_decrease_Sherweb_prices_below_zero_is_not_taken_for_what_a_seat_costs()
    {
        var credit = Recurring(2m, -19.80m, list: -22.00m, performanceTier: -2.20m, from: Nov20);

        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(2) }, new[] { Recurring(4m), credit }, Synced(4)));

        var change = Assert.Single(plan.Actions, a => a.Event.Kind == SyncEventKind.ChangeQuantity).Event;
        Assert.Equal((22.00m, -2, 25.0000m, 18.3333m), (change.UnitCost!.Value, change.ProRata!.Quantity, change.ProRata.UnitPrice, change.ProRata.UnitCost));
        Assert.Equal(22.00m, Assert.Single(plan.Actions, a => a.Event.Kind == SyncEventKind.UpdateItemCost).Event.UnitCost);
        Assert.Equal(22.00m, Assert.Single(plan.Subscriptions).UnitCost);
    }

    /// <summary>
    /// Two subscriptions of one SKU: A 10 seats at 22.00, B 3 seats at 26.40. A goes 10 -> 3 on 11-20: its seats now
    /// equal B's, but A keeps its own 22.00 (pro-rata -7 x 25.0000, cost 22.00 x 25/30 = 18.3333), not B's 26.40.
    /// </summary>
    [Fact]
    public void A_subscription_whose_seats_fall_to_another_s_count_keeps_its_own_cost()
    {
        var (a, b) = (SubscriptionId, new Guid("22222222-0000-4000-8000-00000000000b"));
        var decrease = Recurring(-7m, from: Nov20);
        var input = Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(3, id: a), Subscription(3, id: b) },
            new[] { Recurring(10m), Recurring(3m, 24.20m), decrease });
        input = input with { Synced = new[] { Synced(10), Synced(3) with { SubscriptionId = b, UnitCost = 26.40m } } };

        var plan = SyncPlanner.Plan(input);

        var change = Assert.Single(plan.Actions, e => e.Event.Kind == SyncEventKind.ChangeQuantity).Event;
        Assert.Equal(("sub-" + a.ToString("D"), 22.00m, 18.3333m), (change.CumulusKey, change.UnitCost!.Value, change.ProRata!.UnitCost));
        Assert.DoesNotContain(plan.Actions, e => e.Event.Kind == SyncEventKind.UpdateCost);
    }

    /// <summary>
    /// A (10 seats) and B (3 seats) of one SKU both cost 22.00; A renews at 24.00: Sherweb lists 10 at 24.00 and 3 at
    /// 22.00 (net, no deductions). A's cost moves to 24.00 (UpdateCost) although B's charge still has the old 22.00; with A
    /// going 10 -> 12 on 11-20 instead, the change is costed at 24.00, its entry at 24.00 x 25/30 = 20.0000.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(12)]
    public void A_subscription_s_new_cost_is_not_hidden_by_another_subscription_s_charge_at_its_old_one(int seatsNow)
    {
        var b = new Guid("22222222-0000-4000-8000-00000000000b");
        var input = Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(seatsNow), Subscription(3, id: b) },
            new[] { Recurring(seatsNow, 24.00m, list: 24.00m, performanceTier: 0m), Recurring(3m, 22.00m, list: 22.00m, performanceTier: 0m) },
            settings: new SyncConfiguration { InvoiceDay = 15, BillingMethod = BillingMethod.PreBill, Proration = true, SyncEnabled = true, CostBasis = CostBasis.Net });
        input = input with { Synced = new[] { Synced(10), Synced(3) with { SubscriptionId = b } } };

        var plan = SyncPlanner.Plan(input);

        var a = plan.Actions.Select(x => x.Event).Where(e => e.CumulusKey == "sub-" + SubscriptionId.ToString("D")).ToList();
        if (seatsNow == 10)
        {
            Assert.Equal(24.00m, Assert.Single(a, e => e.Kind == SyncEventKind.UpdateCost).UnitCost);
        }
        else
        {
            var change = Assert.Single(a, e => e.Kind == SyncEventKind.ChangeQuantity);
            Assert.Equal((24.00m, 20.0000m), (change.UnitCost!.Value, change.ProRata!.UnitCost));
        }

        Assert.Equal(24.00m, plan.Subscriptions.Single(s => s.SubscriptionId == SubscriptionId).UnitCost);
    }

    /// <summary>
    /// A (10 seats at 22.00) and B (3 at 26.40); B goes 3 -> 10 on 12-01, so both charges are for 10 seats (net, no
    /// deductions): A keeps the one at its seats and cost, B takes the other: its change is costed at 26.40, its entry at
    /// 26.40 x 14/30 = 12.3200 (12-01 to 12-15), and no UpdateCost is planned.
    /// </summary>
    [Fact]
    public void A_subscription_whose_seats_rise_to_another_s_count_keeps_its_own_cost()
    {
        var (b, dec1) = (new Guid("22222222-0000-4000-8000-00000000000b"), new DateTime(2026, 12, 1));
        var input = Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(10), Subscription(10, id: b) },
            new[] { Recurring(10m, 22.00m, list: 22.00m, performanceTier: 0m), Recurring(10m, 26.40m, list: 26.40m, performanceTier: 0m) },
            settings: new SyncConfiguration { InvoiceDay = 15, BillingMethod = BillingMethod.PreBill, Proration = true, SyncEnabled = true, CostBasis = CostBasis.Net },
            asOf: dec1);
        input = input with { Synced = new[] { Synced(10), Synced(3) with { SubscriptionId = b, UnitCost = 26.40m } } };

        var plan = SyncPlanner.Plan(input);

        var events = plan.Actions.Select(x => x.Event).Where(e => e.CumulusKey == "sub-" + b.ToString("D")).ToList();
        var change = Assert.Single(events, e => e.Kind == SyncEventKind.ChangeQuantity);
        Assert.Equal((26.40m, 12.3200m), (change.UnitCost!.Value, change.ProRata!.UnitCost));
        Assert.DoesNotContain(events, e => e.Kind == SyncEventKind.UpdateCost);
        Assert.Equal((22.00m, 26.40m), (plan.Subscriptions.Single(s => s.SubscriptionId == SubscriptionId).UnitCost!.Value, plan.Subscriptions.Single(s => s.SubscriptionId == b).UnitCost!.Value));
    }

    /// <summary>
    /// A and B, 5 seats each, A at 22.00 and B at 26.40; A renews at 24.00: Sherweb lists 5 at 26.40 (B's, listed first)
    /// and 5 at 24.00. B keeps its own charge, so A's new cost is 24.00 (UpdateCost), not B's 26.40.
    /// </summary>
    [Fact]
    public void With_equal_seats_a_new_cost_is_not_taken_from_the_charge_another_subscription_keeps()
    {
        var b = new Guid("22222222-0000-4000-8000-00000000000b");
        var input = Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(5), Subscription(5, id: b) },
            new[] { Recurring(5m, 26.40m, list: 26.40m, performanceTier: 0m), Recurring(5m, 24.00m, list: 24.00m, performanceTier: 0m) },
            settings: new SyncConfiguration { InvoiceDay = 15, BillingMethod = BillingMethod.PreBill, Proration = true, SyncEnabled = true, CostBasis = CostBasis.Net });
        input = input with { Synced = new[] { Synced(5), Synced(5) with { SubscriptionId = b, UnitCost = 26.40m } } };

        var plan = SyncPlanner.Plan(input);

        var a = plan.Actions.Select(x => x.Event).Where(e => e.CumulusKey == "sub-" + SubscriptionId.ToString("D")).ToList();
        Assert.Equal(24.00m, Assert.Single(a, e => e.Kind == SyncEventKind.UpdateCost).UnitCost);
        Assert.Equal((24.00m, 26.40m), (plan.Subscriptions.Single(s => s.SubscriptionId == SubscriptionId).UnitCost!.Value, plan.Subscriptions.Single(s => s.SubscriptionId == b).UnitCost!.Value));
    }

    [Fact]
    public void A_yearly_quantity_change_updates_the_subscription_only()
    {
        var change = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(7, SubscriptionBillingCycle.Yearly) }, null, Synced(5, SubscriptionBillingCycle.Yearly)))
            .Actions.Single();

        Assert.Equal(SyncEventKind.ChangeQuantity, change.Event.Kind);
        Assert.Equal((5m, 7m), (change.Event.QuantityBefore, change.Event.QuantityAfter));
        Assert.False(change.HasLine);
        Assert.Null(change.Event.ProRata);
    }

    [Fact]
    public void A_quantity_increase_in_pre_bill_adds_the_pro_rata_of_the_rest_of_the_period()
    {
        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(13) }, new[] { Recurring(13) }, Synced(10)));

        var change = plan.Actions.Single(a => a.Event.Kind == SyncEventKind.ChangeQuantity);
        Assert.Equal((10m, 13m), (change.Event.QuantityBefore, change.Event.QuantityAfter));
        // 25 of 30 days: 30.00 x 25/30 = 25.0000; 22.00 x 25/30 = 18.3333.
        Assert.Equal((3, 25.0000m, 18.3333m), (change.Event.ProRata!.Quantity, change.Event.ProRata.UnitPrice, change.Event.ProRata.UnitCost));
        Assert.StartsWith("Quantity changed 10 -> 13 (+3) on 2026-11-20", change.Event.Detail);
    }

    [Fact]
    public void A_cancellation_in_post_bill_bills_the_days_used_and_ends_the_line()
    {
        var settings = new SyncConfiguration { InvoiceDay = 15, BillingMethod = BillingMethod.PostBill, Proration = true };
        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(0) }, null, Synced(10), settings));

        var cancel = plan.Actions.Single();
        Assert.Equal(SyncEventKind.CancelSubscription, cancel.Event.Kind);
        // Post-bill: quantity -(0 - 10) = +10 for the 5 days from 11-15: 30.00 x 5/30 = 5.0000; 22.00 x 5/30 = 3.6667.
        Assert.Equal((10, 5.0000m, 3.6667m), (cancel.Event.ProRata!.Quantity, cancel.Event.ProRata.UnitPrice, cancel.Event.ProRata.UnitCost));
        Assert.Equal(Nov20, cancel.Event.LineEnd);
    }

    [Fact]
    public void A_subscription_no_longer_listed_is_cancelled()
    {
        var other = Subscription(2, purchased: new DateTime(2026, 3, 4), id: new Guid("22222222-0000-4000-8000-000000000002"));
        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { other }, null, Synced(4)));

        var cancel = plan.Actions.Single(a => a.Event.Kind == SyncEventKind.CancelSubscription);
        Assert.Equal((4m, 0m, Nov20), (cancel.Event.QuantityBefore, cancel.Event.QuantityAfter, cancel.Event.EffectiveDate));
        Assert.Equal(-4, cancel.Event.ProRata!.Quantity);
        Assert.Contains("no longer listed", cancel.Event.Detail);
        Assert.Empty(plan.ListedEmptySince);
    }

    /// <summary>
    /// Sherweb lists nothing for an organization HaloSync keeps two subscriptions of: the first run cancels nothing and
    /// remembers its date; a later run that finds the list empty too cancels both from that date (pre-bill, 11-18: -4
    /// for 27 of 30 days, 30.00 x 27/30 = 27.0000) and forgets it. The one subscription of an organization vanishing is
    /// its cancellation, that run.
    /// </summary>
    [Fact]
    public void An_empty_list_cancels_several_subscriptions_only_when_a_later_run_finds_it_empty_too()
    {
        var org = Org(new DateTime(2026, 10, 1));
        var second = Synced(2) with { SubscriptionId = new Guid("22222222-0000-4000-8000-000000000002") };
        PlanInput Empty() => Input(org, Array.Empty<CumulusSubscription>(), null, Synced(4)) with { Synced = new[] { Synced(4), second } };

        var first = SyncPlanner.Plan(Empty());
        var later = SyncPlanner.Plan(Empty() with { ListedEmptySince = new Dictionary<string, DateTime> { [Customer.ToString("D")] = new DateTime(2026, 11, 18) } });
        var alone = SyncPlanner.Plan(Input(org, Array.Empty<CumulusSubscription>(), null, Synced(4)));

        Assert.Empty(first.Actions);
        Assert.Equal(Nov20, first.ListedEmptySince[Customer.ToString("D")]);
        Assert.StartsWith("Contoso Ltd: Sherweb lists no subscription for this customer, while HaloSync keeps 2 active", Assert.Single(first.Warnings));
        Assert.Equal(2, later.Actions.Count);
        Assert.All(later.Actions, a => Assert.Equal((SyncEventKind.CancelSubscription, new DateTime(2026, 11, 18)), (a.Event.Kind, a.Event.EffectiveDate!.Value)));
        var four = later.Actions.Single(a => a.Event.QuantityBefore == 4m).Event;
        Assert.Equal((-4, 27.0000m), (four.ProRata!.Quantity, four.ProRata.UnitPrice));
        Assert.Null(later.ListedEmptySince[Customer.ToString("D")]);
        Assert.Equal((SyncEventKind.CancelSubscription, Nov20), (Assert.Single(alone.Actions).Event.Kind, alone.Actions[0].Event.EffectiveDate!.Value));
        Assert.Empty(alone.ListedEmptySince);
    }

    /// <summary>An empty list found more than 31 days ago (the organization switched off since) is no evidence: the run waits again from its own date.</summary>
    [Fact]
    public void An_empty_list_found_long_ago_does_not_confirm_one_found_today()
    {
        var second = Synced(2) with { SubscriptionId = new Guid("22222222-0000-4000-8000-000000000002") };
        var input = Input(Org(new DateTime(2026, 10, 1)), Array.Empty<CumulusSubscription>(), null, Synced(4)) with
        {
            Synced = new[] { Synced(4), second },
            ListedEmptySince = new Dictionary<string, DateTime> { [Customer.ToString("D")] = new DateTime(2026, 10, 19) },
        };

        var plan = SyncPlanner.Plan(input);

        Assert.Empty(plan.Actions);
        Assert.Equal(Nov20, plan.ListedEmptySince[Customer.ToString("D")]);
    }

    [Fact]
    public void A_purchase_after_the_first_sync_starts_on_its_purchase_date_with_pro_rata_from_zero_and_a_provisional_cost()
    {
        var purchased = new DateTime(2026, 11, 18);
        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(4, purchased: purchased, fee: 21.00m) }));

        var create = plan.Actions.Single();
        Assert.Equal(purchased, create.Event.LineStart);
        // 27 of 30 days left from 11-18: 30.00 x 27/30 = 27.0000; 21.00 x 27/30 = 18.9000.
        Assert.Equal((4, 27.0000m, 18.9000m), (create.Event.ProRata!.Quantity, create.Event.ProRata.UnitPrice, create.Event.ProRata.UnitCost));
        Assert.Equal(21.00m, create.Event.UnitCost);
        Assert.Contains("provisional", create.Event.Detail);
    }

    [Fact]
    public void Proration_off_changes_quantities_without_pro_rata()
    {
        var settings = new SyncConfiguration { InvoiceDay = 15, Proration = false };
        var change = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(12) }, null, Synced(10), settings)).Actions.Single();

        Assert.Equal(SyncEventKind.ChangeQuantity, change.Event.Kind);
        Assert.Null(change.Event.ProRata);
    }

    [Fact]
    public void A_new_Sherweb_cost_with_the_same_quantity_updates_the_cost_without_pro_rata()
    {
        var cheaper = Recurring();
        var charge = new PayableCharge
        {
            Sku = cheaper.Sku, ProductName = cheaper.ProductName, ChargeName = cheaper.ChargeName, ChargeType = ChargeType.Recurring, BillingCycleType = BillingCycleType.Monthly,
            Quantity = 10m, ListPrice = 22.00m, NetPrice = 18.00m, PeriodFrom = cheaper.PeriodFrom, PeriodTo = cheaper.PeriodTo,
            Deductions = new[] { new ChargeDeduction { DeductionType = DeductionType.PerformancePercentage, UnitValue = 2.00m } },
        };

        var update = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(10) }, new[] { charge }, Synced(10)))
            .Actions.Single(a => a.Event.Kind == SyncEventKind.UpdateCost);

        Assert.Equal(20.00m, update.Event.UnitCost); // 18.00 net + 2.00 performance tier
        Assert.Equal((10m, 10m), (update.Event.QuantityBefore, update.Event.QuantityAfter));
        Assert.Null(update.Event.ProRata);
        Assert.True(update.HasLine);
    }

    [Fact]
    public void A_provisional_cost_never_replaces_a_billed_one()
        => Assert.Empty(SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(10, fee: 19.00m) }, null, Synced(10))).Actions);

    [Fact]
    public void Azure_reserved_instances_are_recognised_and_left_alone()
    {
        var reservation = new PayableCharge
        {
            Sku = "MS-AZURE", ProductName = "Azure Reserved VM Instance D2s v5 (1 year)", ChargeName = "Reservation", ChargeType = ChargeType.Usage,
            BillingCycleType = BillingCycleType.Monthly, Quantity = 1m, NetPrice = 70m, PeriodFrom = new DateTime(2026, 10, 1), PeriodTo = new DateTime(2026, 10, 31),
        };

        var plan = SyncPlanner.Plan(Input(Org(), Array.Empty<CumulusSubscription>(), new[] { reservation }));

        Assert.Empty(plan.Actions);
        Assert.Equal("Contoso Ltd: Azure Reserved VM Instance D2s v5 (1 year) (MS-AZURE)", Assert.Single(plan.SkippedReservedInstances));
        Assert.False(SyncPlanner.IsReservedInstance("Azure plan"));
    }

    [Fact]
    public void Nothing_changed_plans_nothing()
    {
        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(10) }, null, Synced(10)));

        Assert.Empty(plan.Actions);
    }

    [Fact]
    public void Unmapped_products_and_switched_off_subscriptions_are_skipped_and_counted()
    {
        var unmapped = SyncPlanner.Plan(Input(Org(), new[] { Subscription(10) }, itemSku: null));
        var switchedOff = SyncPlanner.Plan(Input(Org(), new[] { Subscription(10) },
            flags: new Dictionary<string, bool> { ["sub-" + SubscriptionId.ToString("D")] = false }));

        Assert.Empty(unmapped.Actions);
        Assert.Equal(1, unmapped.SkippedUnmapped);
        Assert.Empty(switchedOff.Actions);
        Assert.Equal(1, switchedOff.SkippedUnmapped);
        // Each skip says why, for Invoke-HaloSync -Verbose.
        Assert.Equal(new[] { "Contoso Ltd: Microsoft 365 Business Premium (MS-BP-NCE): product not mapped" }, unmapped.Skipped);
        Assert.Equal(new[] { "Contoso Ltd: Microsoft 365 Business Premium (MS-BP-NCE): switched off with Set-CumulusChargeSync" }, switchedOff.Skipped);
    }

    [Fact]
    public void A_usage_charge_is_added_once_as_a_one_off_line_until_the_period_end()
    {
        var usage = new PayableCharge
        {
            Sku = "MS-AZURE", ProductName = "Azure plan", ChargeName = "Consumption", ChargeType = ChargeType.Usage, BillingCycleType = BillingCycleType.Monthly,
            Quantity = 1m, ListPrice = 143.27m, NetPrice = 143.27m, PeriodFrom = new DateTime(2026, 10, 1), PeriodTo = new DateTime(2026, 10, 31),
        };

        var first = SyncPlanner.Plan(Input(Org(), Array.Empty<CumulusSubscription>(), new[] { usage }));
        var add = first.Actions.Single(a => a.Event.Kind == SyncEventKind.AddCharge);
        Assert.Equal(143.27m, add.Event.UnitCost);
        Assert.Equal(1m, add.Event.QuantityAfter);
        Assert.Equal(new DateTime(2026, 12, 14), add.Event.LineEnd);
        Assert.Equal("Azure plan - Consumption (Usage) 2026-10-01 to 2026-10-31", add.Event.Detail);

        var again = SyncPlanner.Plan(Input(Org(), Array.Empty<CumulusSubscription>(), new[] { usage }, syncedCharges: new[] { add.Event.CumulusKey! }));
        Assert.DoesNotContain(again.Actions, a => a.Event.Kind == SyncEventKind.AddCharge);
    }

    private static PayableCharge Usage(decimal quantity, decimal price, Guid? chargeId = null) => new()
    {
        ChargeId = chargeId, Sku = "MS-AZURE", ProductName = "Azure plan", ChargeName = "Consumption", ChargeType = ChargeType.Usage,
        BillingCycleType = BillingCycleType.Monthly, Quantity = quantity, ListPrice = price, NetPrice = price, PeriodFrom = new DateTime(2026, 10, 1), PeriodTo = new DateTime(2026, 10, 31),
    };

    /// <summary>
    /// Sherweb's credits carry a minus on the quantity or on the price. A credit of 1 at -40.00 was added as +1 at the
    /// item's price: a charge. Both forms are a line of -1 (the item's price credited), with the cost 40.00 per unit.
    /// </summary>
    [Theory]
    [InlineData(1, -40)]
    [InlineData(-1, 40)]
    public void A_credit_is_added_as_a_negative_quantity_however_Sherweb_signs_it(int quantity, int price)
    {
        var plan = SyncPlanner.Plan(Input(Org(), Array.Empty<CumulusSubscription>(), new[] { Usage(quantity, price, Guid.NewGuid()) }));

        var add = plan.Actions.Single(a => a.Event.Kind == SyncEventKind.AddCharge).Event;
        Assert.Equal((-1m, 40m), (add.QuantityAfter!.Value, add.UnitCost!.Value));
        Assert.Equal(-1m, Assert.Single(plan.Charges).Quantity);
    }

    /// <summary>
    /// A promotional credit Sherweb bills at net -40.00 (list 0.00, a 40.00 promotional deduction) is a credit whatever
    /// cost basis chooses the cost: with the List basis (unit cost 0.00) it was billed as +1 at the item's price.
    /// </summary>
    [Theory]
    [InlineData(CostBasis.Net, 40.00)]
    [InlineData(CostBasis.List, 0.00)]
    public void A_credit_is_a_credit_whatever_the_cost_basis(CostBasis basis, double cost)
    {
        var credit = new PayableCharge
        {
            ChargeId = Guid.NewGuid(), Sku = "MS-AZURE", ProductName = "Azure plan", ChargeName = "Promotional credit", ChargeType = ChargeType.Usage,
            BillingCycleType = BillingCycleType.OneTime, Quantity = 1m, ListPrice = 0m, NetPrice = -40.00m, NetPriceProrated = -40.00m, SubTotal = -40.00m,
            PeriodFrom = new DateTime(2026, 10, 1), PeriodTo = new DateTime(2026, 10, 31),
            Deductions = new[] { new ChargeDeduction { DeductionType = DeductionType.PromotionalMoney, UnitValue = 40.00m } },
        };
        var settings = PreBill15;
        settings.CostBasis = basis;

        var add = SyncPlanner.Plan(Input(Org(), Array.Empty<CumulusSubscription>(), new[] { credit }, settings: settings)).Actions.Single(a => a.Event.Kind == SyncEventKind.AddCharge).Event;

        Assert.Equal((-1m, (decimal)cost), (add.QuantityAfter!.Value, add.UnitCost!.Value));
    }

    /// <summary>Two charges without a charge id and with the same customer, SKU, name, type, cycle and period are one to the spec's identity: the first is added, the run warns of the other.</summary>
    [Fact]
    public void Two_charges_nothing_tells_apart_are_added_once_with_a_warning()
    {
        var plan = SyncPlanner.Plan(Input(Org(), Array.Empty<CumulusSubscription>(), new[] { Usage(2m, 61.725m), Usage(1m, 60.00m), Usage(3m, 10m, Guid.NewGuid()) }));

        Assert.Equal(new[] { 2m, 3m }, plan.Actions.Where(a => a.Event.Kind == SyncEventKind.AddCharge).Select(a => a.Event.QuantityAfter!.Value));
        var warning = Assert.Single(plan.Warnings);
        Assert.Equal("Contoso Ltd: Azure plan (MS-AZURE): Sherweb lists 2 charges 'Consumption' for 2026-10-01 to 2026-10-31 without a charge id, which nothing tells " +
                     "apart (quantities 2, 1); HaloSync bills the first only. Bill the others in HaloPSA by hand.", warning);
    }

    /// <summary>An Azure charge added on 11-20 at the item's 150.00, its line active to 12-14 for the 12-15 invoice.</summary>
    private static SyncedCharge AddedCharge(DateTime? lineEnd = null) => new()
    {
        CumulusKey = "chg-azure-oct", OrganizationId = Customer.ToString("D"), HaloClientId = 12, Sku = "MS-AZURE", HaloItemId = 8,
        Quantity = 2m, UnitPrice = 150.00m, UnitCost = 61.725m, LineEnd = lineEnd ?? new DateTime(2026, 12, 14),
    };

    private static PlanInput WithAzurePrice(PlanInput input, decimal price)
        => input with { Items = new Dictionary<int, HaloItem>(input.Items.ToDictionary(p => p.Key, p => p.Value)) { [8] = new() { Id = 8, Name = "Azure", BasePrice = price } } };

    /// <summary>Spec section 4: "the next run puts the new price on every active line HaloSync keeps" for the item; a charge's line the 12-15 invoice is still to bill is one.</summary>
    [Fact]
    public void A_new_item_price_reaches_the_line_of_a_charge_still_to_be_invoiced_and_only_its_price()
    {
        var input = WithAzurePrice(Input(Org(new DateTime(2026, 10, 1)), Array.Empty<CumulusSubscription>()), 160.00m) with { ChargesToInvoice = new[] { AddedCharge() } };

        var plan = SyncPlanner.Plan(input);

        var update = Assert.Single(plan.Actions).Event;
        Assert.Equal((SyncEventKind.UpdatePrice, HaloEntity.RecurringInvoice, "chg-azure-oct", 12), (update.Kind, update.Entity, update.CumulusKey, update.HaloClientId!.Value));
        Assert.Equal((2m, 2m, 160.00m, Nov20), (update.QuantityBefore!.Value, update.QuantityAfter!.Value, update.UnitPrice!.Value, update.EffectiveDate!.Value));
        Assert.Equal("Unit price 150.00 -> 160.00 from the HaloPSA item, on the line of a charge the invoice of 2026-12-15 is to bill (no pro-rata)", update.Detail);
        Assert.Null(update.ProRata);
        var target = Assert.Single(plan.Charges);
        Assert.Equal((160.00m, (decimal?)null, 2m), (target.UnitPrice, target.UnitCost, target.Quantity));
    }

    [Fact]
    public void A_charge_keeps_its_price_when_the_item_is_unchanged_missing_or_its_sync_is_off()
    {
        var org = Org(new DateTime(2026, 10, 1));
        var unchanged = WithAzurePrice(Input(org, Array.Empty<CumulusSubscription>()), 150.00m) with { ChargesToInvoice = new[] { AddedCharge() } };
        var missing = Input(org, Array.Empty<CumulusSubscription>()) with { Items = new Dictionary<int, HaloItem>(), ChargesToInvoice = new[] { AddedCharge() } };
        var off = WithAzurePrice(Input(org, Array.Empty<CumulusSubscription>(), flags: new Dictionary<string, bool> { ["chg-azure-oct"] = false }), 160.00m)
            with { ChargesToInvoice = new[] { AddedCharge() } };

        foreach (var input in new[] { unchanged, missing, off })
        {
            var plan = SyncPlanner.Plan(input);
            Assert.Empty(plan.Actions);
            Assert.Empty(plan.Charges);
        }
    }

    /// <summary>A reprice that failed is finished by the next run while the invoice is still to come; once HaloPSA generated it (the charge no longer to invoice), it is superseded.</summary>
    [Fact]
    public void A_failed_charge_reprice_is_finished_before_the_invoice_and_superseded_after_it()
    {
        var org = Org(new DateTime(2026, 10, 1));
        var failed = SyncPlanner.Plan(WithAzurePrice(Input(org, Array.Empty<CumulusSubscription>()), 160.00m) with { ChargesToInvoice = new[] { AddedCharge() } })
            .Actions.Single().Event;
        failed.Status = SyncEventStatus.Failed;

        var before = SyncPlanner.Plan(WithAzurePrice(Input(org, Array.Empty<CumulusSubscription>()), 160.00m) with { ChargesToInvoice = new[] { AddedCharge() }, Unfinished = new[] { failed } });
        var after = SyncPlanner.Plan(WithAzurePrice(Input(org, Array.Empty<CumulusSubscription>(), asOf: new DateTime(2026, 12, 15)), 160.00m) with { Unfinished = new[] { failed } });

        var finishing = Assert.Single(before.Actions);
        Assert.True(finishing.Finishes);
        Assert.Same(failed, finishing.Event);
        Assert.Equal(160.00m, Assert.Single(before.Charges).UnitPrice);
        Assert.Empty(after.Actions);
        Assert.Same(failed, Assert.Single(after.Superseded));
    }

    /// <summary>The item's price moved again (170.00) since the reprice to 160.00 failed: the run finishing it puts 170.00 on the line, not 160.00.</summary>
    [Fact]
    public void A_failed_charge_reprice_is_finished_at_the_item_price_of_the_run_that_finishes_it()
    {
        var org = Org(new DateTime(2026, 10, 1));
        var failed = SyncPlanner.Plan(WithAzurePrice(Input(org, Array.Empty<CumulusSubscription>()), 160.00m) with { ChargesToInvoice = new[] { AddedCharge() } })
            .Actions.Single().Event;
        failed.Status = SyncEventStatus.Failed;

        var next = SyncPlanner.Plan(WithAzurePrice(Input(org, Array.Empty<CumulusSubscription>()), 170.00m) with { ChargesToInvoice = new[] { AddedCharge() }, Unfinished = new[] { failed } });

        Assert.Equal(170.00m, Assert.Single(next.Charges).UnitPrice);
        Assert.Equal(new[] { 160.00m, 170.00m }, next.Actions.Select(a => a.Event.UnitPrice!.Value));
    }

    [Fact]
    public void A_switched_off_subscription_no_longer_listed_is_left_alone()
    {
        var plan = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), Array.Empty<CumulusSubscription>(), null, Synced(4),
            flags: new Dictionary<string, bool> { ["sub-" + SubscriptionId.ToString("D")] = false }));

        Assert.Empty(plan.Actions);
        Assert.Equal(1, plan.SkippedUnmapped);
        Assert.Empty(plan.Subscriptions);
    }

    [Fact]
    public void A_purchase_is_dated_in_the_configured_time_zone_not_by_its_UTC_date()
    {
        // 2026-11-17 23:30 UTC is 2026-11-18 00:30 in Paris: the line starts on the 18th and bills 27 of 30 days.
        var settings = new SyncConfiguration { InvoiceDay = 15, BillingMethod = BillingMethod.PreBill, Proration = true, TimeZone = "Europe/Paris" };
        var purchased = DateTime.SpecifyKind(new DateTime(2026, 11, 17, 23, 30, 0), DateTimeKind.Utc);
        var create = SyncPlanner.Plan(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(4, purchased: purchased, fee: 21.00m) }, settings: settings)).Actions.Single();

        Assert.Equal(new DateTime(2026, 11, 18), create.Event.LineStart);
        // 30.00 x 27/30 = 27.0000; 21.00 x 27/30 = 18.9000.
        Assert.Equal((4, 27.0000m, 18.9000m, 27), (create.Event.ProRata!.Quantity, create.Event.ProRata.UnitPrice, create.Event.ProRata.UnitCost, create.Event.ProRata.Days));
    }

    [Fact]
    public void A_new_item_price_is_an_update_of_the_price_without_pro_rata()
    {
        var input = Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(10) }, null, Synced(10) with { UnitPrice = 27.00m });

        var update = SyncPlanner.Plan(input).Actions.Single();

        Assert.Equal((SyncEventKind.UpdatePrice, 30.00m, 22.00m), (update.Event.Kind, update.Event.UnitPrice!.Value, update.Event.UnitCost!.Value));
        Assert.Null(update.Event.ProRata);
        Assert.Contains("27.00 -> 30.00", update.Event.Detail);
    }

    [Fact]
    public void A_re_mapped_organization_ends_its_rows_on_the_old_client_and_starts_again_on_the_new_one()
    {
        var plan = SyncPlanner.Plan(Input(Org(), new[] { Subscription(10) }, null, Synced(10, client: 99)));

        var ended = plan.Actions.Single(a => a.Event.Kind == SyncEventKind.EndOnOldClient);
        var created = plan.Actions.Single(a => a.Event.Kind == SyncEventKind.CreateSubscription);
        Assert.Equal((99, Nov20), (ended.Event.HaloClientId!.Value, ended.Event.EffectiveDate!.Value));
        Assert.Equal((12, Nov20), (created.Event.HaloClientId!.Value, created.Event.LineStart!.Value));
        Assert.Null(created.Event.ProRata);
        Assert.Contains(plan.Subscriptions, s => s.HaloClientId == 99 && s.CancelledOn == Nov20 && s.Quantity == 10);
        Assert.Contains(plan.Subscriptions, s => s.HaloClientId == 12 && !s.Cancelled && s.Quantity == 10);
    }

    [Fact]
    public void An_unfinished_change_is_finished_on_its_own_date_before_the_next_change_is_planned_on_top()
    {
        // A dead run's 10 -> 13 of 11-18 is still Pending; Cumulus now says 15 on 11-20.
        var unfinished = new SyncEvent
        {
            EventId = 7, RunId = "dead", Kind = SyncEventKind.ChangeQuantity, Entity = HaloEntity.SoftwareLicence, OrganizationId = Customer.ToString("D"),
            HaloClientId = 12, Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", CumulusKey = "sub-" + SubscriptionId.ToString("D"),
            QuantityBefore = 10, QuantityAfter = 13, UnitPrice = 30.00m, UnitCost = 22.00m, EffectiveDate = new DateTime(2026, 11, 18),
            BillingCycle = SubscriptionBillingCycle.Monthly, HaloItemId = 7, Status = SyncEventStatus.Pending, Attempts = 1,
        };
        var input = Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(15) }, new[] { Recurring(15) }, Synced(10));
        var plan = SyncPlanner.Plan(new PlanInput
        {
            RunId = input.RunId, AsOf = input.AsOf, Now = input.Now, Settings = input.Settings, Organizations = input.Organizations, Products = input.Products,
            Items = input.Items, Synced = input.Synced, Unfinished = new[] { unfinished },
        });

        var changes = plan.Actions.Where(a => a.Event.Kind == SyncEventKind.ChangeQuantity).ToList();
        Assert.Equal(2, changes.Count);
        Assert.Same(unfinished, changes[0].Event);
        Assert.True(changes[0].Finishes);
        Assert.Equal((13m, 15m, Nov20), (changes[1].Event.QuantityBefore!.Value, changes[1].Event.QuantityAfter!.Value, changes[1].Event.EffectiveDate!.Value));
        // +2 for 25 of 30 days: 30.00 x 25/30 = 25.0000.
        Assert.Equal((2, 25.0000m), (changes[1].Event.ProRata!.Quantity, changes[1].Event.ProRata!.UnitPrice));
        Assert.Equal(15, plan.Subscriptions.Single().Quantity);
    }

    /// <summary>
    /// A lost state file: HaloPSA holds HaloSync's licence for the subscription on client 40 (active, 8 seats at 30.00)
    /// and its line there (9 seats, hand-edited, from 10-01), an ended copy on client 41, and on client 43 a line still
    /// billing 4 seats whose licence was set inactive by hand, while the organization is now mapped to client 12. The
    /// line's 9 seats are what client 40 bills: ended there on 11-20 with 9 (client 43 with its 4), and a first sync on
    /// client 12 from 11-20 with no pro-rata, as a re-map. A line end-dated by hand (client 44) bills nothing more.
    /// </summary>
    [Fact]
    public void At_a_first_sync_HaloSyncs_active_records_on_another_client_are_ended_there_as_a_re_map()
    {
        var key = "halosync:sub-" + SubscriptionId.ToString("D");
        var licences = new[]
        {
            new HaloLicence { Id = 5, ClientId = 40, ExternalKey = key, Count = 8, Price = 30.00m, PurchasePrice = 22.00m, ItemId = 7, IsActive = true },
            new HaloLicence { Id = 6, ClientId = 41, ExternalKey = key, Count = 8, Price = 30.00m, ItemId = 7, IsActive = false },
            new HaloLicence { Id = 7, ClientId = 42, ExternalKey = "halosync:sub-" + Guid.Empty.ToString("D"), Count = 3, IsActive = true },
            new HaloLicence { Id = 8, ClientId = 43, ExternalKey = key, Count = 4, Price = 30.00m, ItemId = 7, IsActive = false },
        };
        var line = new HaloInvoiceLine { Id = 9, Quantity = 9m, UnitPrice = 30.00m, UnitCost = 22.00m, StartDate = new DateTime(2026, 10, 1), LongDescription = $"Edited [{key}]" };
        var stillBilling = new HaloInvoiceLine { Id = 10, ItemId = 7, Quantity = 4m, UnitPrice = 30.00m, StartDate = new DateTime(2026, 9, 1), LongDescription = $"M365 [{key}]" };
        var endedByHand = new HaloInvoiceLine { Id = 11, ItemId = 7, Quantity = 2m, UnitPrice = 30.00m, EndDate = new DateTime(2026, 10, 31), LongDescription = $"M365 [{key}]" };
        var invoices = new[]
        {
            new HaloRecurringInvoice { Id = -3, ClientId = 40, Lines = new List<HaloInvoiceLine> { line } },
            new HaloRecurringInvoice { Id = -4, ClientId = 43, Lines = new List<HaloInvoiceLine> { stillBilling } },
            new HaloRecurringInvoice { Id = -5, ClientId = 44, Lines = new List<HaloInvoiceLine> { endedByHand } },
        };
        var input = Input(Org(), new[] { Subscription(10) });

        Assert.True(UnrecordedRecords.Sought(input));
        var (found, charges) = UnrecordedRecords.Find(input, licences, invoices);
        Assert.Equal(new[] { 40, 43 }, found.Select(f => f.HaloClientId));
        Assert.Empty(charges);
        var row = found[0];
        Assert.Equal((40, 9, 30.00m, 22.00m, (DateTime?)new DateTime(2026, 10, 1), false), (row.HaloClientId, row.Quantity, row.UnitPrice, row.UnitCost, row.LineStart, row.Cancelled));
        Assert.Equal((4, (int?)7, 30.00m), (found[1].Quantity, found[1].HaloItemId, found[1].UnitPrice));

        var plan = SyncPlanner.Plan(input with { UnrecordedSubscriptions = found });
        var ends = plan.Actions.Where(a => a.Event.Kind == SyncEventKind.EndOnOldClient).Select(a => a.Event).ToList();
        Assert.Equal(new[] { (40, 9m, 9m, Nov20), (43, 4m, 4m, Nov20) },
            ends.Select(e => (e.HaloClientId!.Value, e.QuantityBefore!.Value, e.QuantityAfter!.Value, e.EffectiveDate!.Value)));
        Assert.All(ends, e => Assert.Contains("which this state file did not know", e.Detail));
        var created = plan.Actions.Single(a => a.Event.Kind == SyncEventKind.CreateSubscription).Event;
        Assert.Equal((12, Nov20, (HaloSync.Engine.Billing.ProRataEntry?)null), (created.HaloClientId!.Value, created.LineStart!.Value, created.ProRata));
        Assert.Equal(Nov20, plan.Subscriptions.Single(s => s.HaloClientId == 40).CancelledOn);

        // Not sought for an organization synced before, and a key the state knows (under any organization) is not taken.
        Assert.False(UnrecordedRecords.Sought(Input(Org(new DateTime(2026, 10, 1)), new[] { Subscription(10) })));
        var known = Input(Org(), new[] { Subscription(10) }, synced: Synced(10, client: 40) with { OrganizationId = "another" });
        Assert.Empty(UnrecordedRecords.Find(known, licences, invoices).Subscriptions);
    }

    /// <summary>A usage charge already on a line of client 40 (a lost state file) is planned there, where the run adopts it, not added to client 12.</summary>
    [Fact]
    public void At_a_first_sync_a_charge_already_on_another_clients_line_is_planned_on_that_client()
    {
        var usage = new PayableCharge
        {
            Sku = "MS-AZURE", ProductName = "Azure plan", ChargeName = "Consumption", ChargeType = ChargeType.Usage, BillingCycleType = BillingCycleType.Monthly,
            Quantity = 1m, ListPrice = 143.27m, NetPrice = 143.27m, PeriodFrom = new DateTime(2026, 10, 1), PeriodTo = new DateTime(2026, 10, 31),
        };
        var input = Input(Org(), Array.Empty<CumulusSubscription>(), new[] { usage });
        var chargeKey = ChargeIdentity.Of(usage, Customer.ToString("D")).Key;
        var invoices = new[]
        {
            new HaloRecurringInvoice { Id = -3, ClientId = 40, Lines = new List<HaloInvoiceLine> { new() { Id = 9, Quantity = 1m, LongDescription = $"Azure [halosync:{chargeKey}]" } } },
        };

        var (_, charges) = UnrecordedRecords.Find(input, Array.Empty<HaloLicence>(), invoices);
        var plan = SyncPlanner.Plan(input with { UnrecordedCharges = charges });

        Assert.Equal(40, charges[chargeKey]);
        Assert.Equal(40, plan.Actions.Single(a => a.Event.Kind == SyncEventKind.AddCharge).Event.HaloClientId);
        Assert.Equal(12, SyncPlanner.Plan(input).Actions.Single(a => a.Event.Kind == SyncEventKind.AddCharge).Event.HaloClientId);
    }

    /// <summary>
    /// A run that ended records found on client 40 (a lost state file) died after it set the licence inactive: the next run
    /// no longer finds them active, and the state still has no row for them. The Pending event holds what they billed (9
    /// seats at 30.00): it is finished from itself, the row ended on 11-20, not dropped with the line left billing.
    /// </summary>
    [Fact]
    public void An_unfinished_end_on_an_old_client_the_state_has_no_row_for_is_finished_from_its_event()
    {
        var unfinished = new SyncEvent
        {
            EventId = 7, RunId = "dead", Kind = SyncEventKind.EndOnOldClient, Entity = HaloEntity.SoftwareLicence, OrganizationId = Customer.ToString("D"),
            HaloClientId = 40, Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", CumulusKey = "sub-" + SubscriptionId.ToString("D"),
            QuantityBefore = 9, QuantityAfter = 9, UnitPrice = 30.00m, UnitCost = 22.00m, EffectiveDate = Nov20, LineEnd = Nov20,
            BillingCycle = SubscriptionBillingCycle.Monthly, HaloItemId = 7, Status = SyncEventStatus.Pending, Attempts = 1,
        };

        var plan = SyncPlanner.Plan(Input(Org(), new[] { Subscription(10) }) with { Unfinished = new[] { unfinished } });

        var finished = Assert.Single(plan.Actions, a => a.Event.Kind == SyncEventKind.EndOnOldClient);
        Assert.Same(unfinished, finished.Event);
        Assert.Empty(plan.Superseded);
        var row = plan.Subscriptions.Single(s => s.HaloClientId == 40);
        Assert.Equal((9, 30.00m, (DateTime?)Nov20, SubscriptionBillingCycle.Monthly), (row.Quantity, row.UnitPrice, row.CancelledOn, row.BillingCycle));
        Assert.Equal(12, plan.Actions.Single(a => a.Event.Kind == SyncEventKind.CreateSubscription).Event.HaloClientId);
    }
}
