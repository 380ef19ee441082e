using System;
using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Sync;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// Payable charges name no subscription: how one SKU's recurring charges are shared out among an organization's
/// subscriptions of it, each cost hand-set (Net basis, no deductions; item 30.00; pre-bill, invoice day 15, run 2026-11-20).
/// Subscription A has the smallest id, so it chooses first where choosing comes into it.
/// </summary>
public sealed class ChargeSharingTests
{
    private static readonly Guid Customer = new("11111111-0000-4000-8000-000000000001");
    private static readonly Guid A = new("22222222-0000-4000-8000-000000000001"); // smallest id: claims first
    private static readonly Guid B = new("22222222-0000-4000-8000-00000000000b");
    private static readonly Guid C = new("22222222-0000-4000-8000-00000000000c");
    private static readonly DateTime Nov20 = new(2026, 11, 20);

    private static SyncConfiguration Settings => new() { InvoiceDay = 15, BillingMethod = BillingMethod.PreBill, Proration = true, SyncEnabled = true, CostBasis = CostBasis.Net };

    private static OrganizationMapping Org(int client = 12)
        => new() { OrganizationId = Customer.ToString("D"), Name = "Contoso Ltd", HaloClientId = client, HaloClientName = "Contoso", SyncEnabled = true, FirstSyncedOn = new DateTime(2026, 10, 1) };

    private static CumulusSubscription Sub(Guid id, int quantity, SubscriptionBillingCycle cycle = SubscriptionBillingCycle.Monthly, DateTime? purchased = null, decimal fee = 21.00m)
        => new(Customer,
            new SubscriptionDetails { Id = id, Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", Quantity = quantity, PurchaseDate = purchased ?? new DateTime(2026, 3, 4) },
            new SubscriptionPricingInformation { Id = id, BillingCycle = cycle, Fees = new SubscriptionFees { RecurringFee = fee, Currency = "USD" } });

    private static PayableCharge Charge(decimal quantity, decimal net, BillingCycleType cycle = BillingCycleType.Monthly, string sku = "MS-BP-NCE", DateTime? from = null)
        => new()
        {
            Sku = sku, ProductName = "Microsoft 365 Business Premium", ChargeName = "Monthly fee", ChargeType = ChargeType.Recurring,
            BillingCycleType = cycle, Quantity = quantity, ListPrice = net, NetPrice = net,
            PeriodFrom = from ?? new DateTime(2026, 11, 1), PeriodTo = new DateTime(2026, 11, 30),
        };

    private static SyncedSubscription Row(Guid id, int quantity, decimal cost, int client = 12)
        => new()
        {
            OrganizationId = Customer.ToString("D"), HaloClientId = client, SubscriptionId = id, Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium",
            HaloItemId = 7, Quantity = quantity, BillingCycle = SubscriptionBillingCycle.Monthly, UnitPrice = 30.00m, UnitCost = cost, LineStart = new DateTime(2026, 10, 1),
        };

    private static PlanInput Input(IEnumerable<CumulusSubscription> subscriptions, IEnumerable<PayableCharge> charges, IEnumerable<SyncedSubscription> synced,
        int client = 12, IReadOnlyDictionary<string, bool>? flags = null)
        => new()
        {
            RunId = "run-1",
            AsOf = Nov20,
            Now = DateTimeOffset.UtcNow,
            Settings = Settings,
            Organizations = new[] { new OrganizationInput { Mapping = Org(client), Subscriptions = subscriptions.ToList(), Charges = charges.ToList(), ChargeFlags = flags ?? new Dictionary<string, bool>() } },
            Products = new Dictionary<string, ProductMapping>(StringComparer.OrdinalIgnoreCase)
            {
                ["MS-BP-NCE"] = new() { Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", HaloItemId = 7, Source = MappingSource.Manual, SyncEnabled = true },
            },
            Items = new Dictionary<int, HaloItem> { [7] = new() { Id = 7, Name = "M365 BP", BasePrice = 30.00m, CostPrice = 0m } },
            Synced = synced.ToList(),
            SyncedChargeKeys = new List<string>(),
        };

    private static SyncEvent Create(SyncPlan plan, Guid id)
        => plan.Actions.Select(a => a.Event).Single(e => e.Kind == SyncEventKind.CreateSubscription && e.CumulusKey == "sub-" + id.ToString("D"));

    /// <summary>
    /// A (5 seats at 22.00) is cancelled (listed at 0; Sherweb no longer lists its charge). B, bought 11-18 with 5 seats,
    /// has its own charge 5 at 22.00; C keeps 10 at 26.40. A cancelled claims no charge, so B's create is costed at 22.00
    /// (A taking the charge of its last-synced seats and cost left B C's 26.40).
    /// </summary>
    [Fact]
    public void A_cancelled_subscription_does_not_take_the_charge_of_another_subscription()
    {
        var input = Input(
            new[] { Sub(A, 0), Sub(B, 5, purchased: new DateTime(2026, 11, 18)), Sub(C, 10) },
            new[] { Charge(5m, 22.00m), Charge(10m, 26.40m) },
            new[] { Row(A, 5, 22.00m), Row(C, 10, 26.40m) });

        var plan = SyncPlanner.Plan(input);

        Assert.Equal(22.00m, Create(plan, B).UnitCost);
        Assert.Equal(22.00m, plan.Subscriptions.Single(s => s.SubscriptionId == B).UnitCost);
    }

    /// <summary>
    /// A has an Unknown billing cycle (not synced, warned) and 6 seats; B, monthly, bought 11-18 with 6 seats, has its
    /// monthly charge 6 at 22.00; C keeps 10 at 26.40. A, not billed, claims no charge: B is created at 22.00, not C's 26.40.
    /// </summary>
    [Fact]
    public void A_subscription_of_unknown_cycle_does_not_take_a_monthly_subscription_s_charge()
    {
        var input = Input(
            new[] { Sub(A, 6, SubscriptionBillingCycle.Unknown), Sub(B, 6, purchased: new DateTime(2026, 11, 18)), Sub(C, 10) },
            new[] { Charge(6m, 22.00m), Charge(10m, 26.40m) },
            new[] { Row(C, 10, 26.40m) });

        var plan = SyncPlanner.Plan(input);

        Assert.Contains(plan.Warnings, w => w.Contains("not synced until Sherweb gives Monthly or Yearly"));
        Assert.Equal(22.00m, Create(plan, B).UnitCost);
    }

    /// <summary>
    /// Same with A switched off with Set-CumulusChargeSync (billed by hand, 6 seats): HaloSync never touches it, so it
    /// claims no charge, and B is created at 22.00.
    /// </summary>
    [Fact]
    public void A_subscription_switched_off_does_not_take_another_subscription_s_charge()
    {
        var input = Input(
            new[] { Sub(A, 6), Sub(B, 6, purchased: new DateTime(2026, 11, 18)), Sub(C, 10) },
            new[] { Charge(6m, 22.00m), Charge(10m, 26.40m) },
            new[] { Row(C, 10, 26.40m) },
            flags: new Dictionary<string, bool> { ["sub-" + A.ToString("D")] = false });

        var plan = SyncPlanner.Plan(input);

        Assert.Equal(22.00m, Create(plan, B).UnitCost);
    }

    /// <summary>
    /// A (5 at 22.00) and B (5 at 26.40) keep their charges; C, bought 11-18 with 3 seats, has no charge yet. Its cost
    /// does not depend on the order Sherweb lists the two 5-seat charges.
    /// </summary>
    [Fact]
    public void The_same_charges_in_another_order_give_the_same_costs()
    {
        var subscriptions = new[] { Sub(A, 5), Sub(B, 5), Sub(C, 3, purchased: new DateTime(2026, 11, 18)) };
        var synced = new[] { Row(A, 5, 22.00m), Row(B, 5, 26.40m) };
        var charges = new[] { Charge(5m, 22.00m), Charge(5m, 26.40m) };

        var one = SyncPlanner.Plan(Input(subscriptions, charges, synced));
        var other = SyncPlanner.Plan(Input(subscriptions, charges.Reverse(), synced));

        Assert.Equal(Create(one, C).UnitCost, Create(other, C).UnitCost);
    }

    /// <summary>
    /// First sync of two subscriptions of 5 seats (A, B) with charges 5 at 22.00 and 5 at 26.40: which subscription gets
    /// which cost does not depend on the order Sherweb lists the charges.
    /// </summary>
    [Fact]
    public void At_a_first_sync_the_same_charges_in_another_order_give_each_subscription_the_same_cost()
    {
        var subscriptions = new[] { Sub(A, 5), Sub(B, 5) };
        var charges = new[] { Charge(5m, 22.00m), Charge(5m, 26.40m) };

        var one = SyncPlanner.Plan(Input(subscriptions, charges, Array.Empty<SyncedSubscription>()));
        var other = SyncPlanner.Plan(Input(subscriptions, charges.Reverse(), Array.Empty<SyncedSubscription>()));

        Assert.Equal((Create(one, A).UnitCost, Create(one, B).UnitCost), (Create(other, A).UnitCost, Create(other, B).UnitCost));
    }

    /// <summary>
    /// Re-mapped from client 12 to 13: A was synced at 5 x 22.00 and B at 5 x 26.40 on client 12; Sherweb lists 5 at 26.40
    /// first. The first sync on client 13 keeps what each was last synced at (A 22.00, B 26.40), as a run on client 12 would.
    /// </summary>
    [Fact]
    public void A_re_mapped_organization_keeps_each_subscription_s_cost()
    {
        var input = Input(
            new[] { Sub(A, 5), Sub(B, 5) },
            new[] { Charge(5m, 26.40m), Charge(5m, 22.00m) },
            new[] { Row(A, 5, 22.00m), Row(B, 5, 26.40m) },
            client: 13);

        var plan = SyncPlanner.Plan(input);

        Assert.Equal((22.00m, 26.40m), (Create(plan, A).UnitCost!.Value, Create(plan, B).UnitCost!.Value));
    }

    /// <summary>
    /// B (5 at 22.00) has its charge; A, bought 11-18 with 3 seats, has none yet. Per the rules A is costed at its pricing
    /// fee 21.00, provisionally, not at B's 22.00.
    /// </summary>
    [Fact]
    public void A_purchase_without_a_charge_yet_beside_one_with_a_charge_is_costed_provisionally()
    {
        var input = Input(
            new[] { Sub(A, 3, purchased: new DateTime(2026, 11, 18)), Sub(B, 5) },
            new[] { Charge(5m, 22.00m) },
            new[] { Row(B, 5, 22.00m) });

        var plan = SyncPlanner.Plan(input);

        var create = Create(plan, A);
        Assert.Equal((21.00m, true), (create.UnitCost!.Value, create.CostProvisional));
    }

    /// <summary>Control: monthly A (5 at 22.00) and yearly B (5 at 250.00) of one SKU keep their own cycle's charge.</summary>
    [Fact]
    public void Monthly_and_yearly_of_one_SKU_keep_their_own_cycle_s_charge()
    {
        var input = Input(
            new[] { Sub(A, 5), Sub(B, 5, SubscriptionBillingCycle.Yearly) },
            new[] { Charge(5m, 250.00m, BillingCycleType.Yearly), Charge(5m, 22.00m) },
            Array.Empty<SyncedSubscription>());

        var plan = SyncPlanner.Plan(input);

        Assert.Equal((22.00m, 250.00m), (Create(plan, A).UnitCost!.Value, Create(plan, B).UnitCost!.Value));
    }

    /// <summary>Control: SKUs differing in case and whitespace between subscription and charge still match.</summary>
    [Fact]
    public void SKUs_differing_in_case_and_whitespace_match()
    {
        var sub = new CumulusSubscription(Customer,
            new SubscriptionDetails { Id = A, Sku = " ms-bp-nce ", ProductName = "Microsoft 365 Business Premium", Quantity = 5, PurchaseDate = new DateTime(2026, 3, 4) },
            new SubscriptionPricingInformation { Id = A, BillingCycle = SubscriptionBillingCycle.Monthly, Fees = new SubscriptionFees { RecurringFee = 21.00m, Currency = "USD" } });
        var plan = SyncPlanner.Plan(Input(new[] { sub, Sub(B, 10) }, new[] { Charge(10m, 26.40m), Charge(5m, 22.00m, sku: "MS-BP-NCE\t") }, Array.Empty<SyncedSubscription>()));

        Assert.Equal((22.00m, 26.40m), (Create(plan, A).UnitCost!.Value, Create(plan, B).UnitCost!.Value));
    }

    /// <summary>
    /// B went 5 -> 8 mid-period: Sherweb lists its full month (5 at 22.00) and a prorated increase (3 at 11.00, half a
    /// month), listed before C's own charge (3 at 26.40). C, bought 11-18 with 3 seats, is costed at the full-period
    /// charge's 26.40, not at B's prorated line with the same seats (11.00); B keeps 22.00.
    /// </summary>
    [Fact]
    public void A_prorated_increase_line_is_not_another_subscription_s_cost()
    {
        var prorated = Charge(3m, 11.00m, from: new DateTime(2026, 11, 16));
        var plan = SyncPlanner.Plan(Input(
            new[] { Sub(B, 8), Sub(C, 3, purchased: new DateTime(2026, 11, 18)) },
            new[] { Charge(5m, 22.00m), prorated, Charge(3m, 26.40m) },
            new[] { Row(B, 5, 22.00m) }));

        Assert.Equal(26.40m, Create(plan, C).UnitCost);
        Assert.Equal(22.00m, plan.Subscriptions.Single(s => s.SubscriptionId == B).UnitCost);
    }

    /// <summary>
    /// A, synced at 5 seats on a provisional 21.00, is cancelled this run (listed at 0) while Sherweb lists its charge,
    /// 5 at 22.00: the charge is still A's own, so the cancellation and its credit carry 22.00, not provisionally.
    /// </summary>
    [Fact]
    public void A_subscription_cancelled_this_run_is_costed_from_its_own_charge()
    {
        var plan = SyncPlanner.Plan(Input(new[] { Sub(A, 0) }, new[] { Charge(5m, 22.00m) }, new[] { Row(A, 5, 21.00m) with { CostProvisional = true } }));

        var cancel = plan.Actions.Select(a => a.Event).Single(e => e.Kind == SyncEventKind.CancelSubscription);
        Assert.Equal((22.00m, false), (cancel.UnitCost!.Value, cancel.CostProvisional));
    }

    /// <summary>
    /// A, synced monthly at 5 seats on a provisional 21.00: Sherweb now gives no pricing information (no billing cycle)
    /// but lists its charge, 5 at 22.00. A is billed as it was synced (monthly), so the charge confirms its cost: an
    /// UpdateCost to 22.00, not provisional.
    /// </summary>
    [Fact]
    public void A_kept_subscription_whose_cycle_Sherweb_no_longer_gives_still_takes_its_charge()
    {
        var hidden = new CumulusSubscription(Customer,
            new SubscriptionDetails { Id = A, Sku = "MS-BP-NCE", ProductName = "Microsoft 365 Business Premium", Quantity = 5, PurchaseDate = new DateTime(2026, 3, 4) }, null);

        var plan = SyncPlanner.Plan(Input(new[] { hidden }, new[] { Charge(5m, 22.00m) }, new[] { Row(A, 5, 21.00m) with { CostProvisional = true } }));

        var update = plan.Actions.Select(a => a.Event).Single(e => e.Kind == SyncEventKind.UpdateCost);
        Assert.Equal((22.00m, false), (update.UnitCost!.Value, update.CostProvisional));
    }
}
