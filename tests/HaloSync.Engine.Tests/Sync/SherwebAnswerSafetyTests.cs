using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Sync;
using HaloSync.Engine.Tests.Cumulus;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;
using Newtonsoft.Json.Linq;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// Sherweb answers that would read as "no subscription" without being one never cancel what a customer still has:
/// a list answer without its items is refused, a subscription listed twice two ways stops the run, and an empty list
/// for a customer HaloSync keeps subscriptions of cancels them only when the next run finds it empty too, from the
/// first run's date. Bed: invoice day 15, pre-bill, Contoso's Business Premium 10 x 30.00 and a yearly Exchange.
/// </summary>
public sealed class SherwebAnswerSafetyTests
{
    private static readonly DateTime Nov20 = new(2026, 11, 20);
    private static readonly DateTime Nov21 = new(2026, 11, 21);
    private static readonly DateTime Dec15 = new(2026, 12, 15);

    /// <summary>Sherweb as it is, except that it lists no subscription for one customer.</summary>
    private sealed class ListsNothingFor : ICumulusReader
    {
        private readonly ICumulusReader inner;
        private readonly Guid customer;

        public ListsNothingFor(ICumulusReader inner, Guid customer) => (this.inner, this.customer) = (inner, customer);

        public Task<IReadOnlyList<CumulusCustomer>> GetCustomersAsync(CancellationToken cancellationToken) => inner.GetCustomersAsync(cancellationToken);

        public Task<IReadOnlyList<CumulusSubscription>> GetSubscriptionsAsync(Guid customerId, CancellationToken cancellationToken)
            => customerId == customer ? Task.FromResult<IReadOnlyList<CumulusSubscription>>(Array.Empty<CumulusSubscription>()) : inner.GetSubscriptionsAsync(customerId, cancellationToken);

        public Task<PayableCharges> GetPayableChargesAsync(DateTime date, CancellationToken cancellationToken) => inner.GetPayableChargesAsync(date, cancellationToken);
    }

    /// <summary>Sherweb as it is, except that it refuses any date before the current period (a past period it does not serve).</summary>
    private sealed class RefusesPastPeriods : ICumulusReader
    {
        private readonly ICumulusReader inner;
        private readonly DateTime currentFrom;

        public RefusesPastPeriods(ICumulusReader inner, DateTime currentFrom) => (this.inner, this.currentFrom) = (inner, currentFrom);

        public Task<IReadOnlyList<CumulusCustomer>> GetCustomersAsync(CancellationToken cancellationToken) => inner.GetCustomersAsync(cancellationToken);

        public Task<IReadOnlyList<CumulusSubscription>> GetSubscriptionsAsync(Guid customerId, CancellationToken cancellationToken) => inner.GetSubscriptionsAsync(customerId, cancellationToken);

        public Task<PayableCharges> GetPayableChargesAsync(DateTime date, CancellationToken cancellationToken)
            => date < currentFrom
                ? throw new HaloSyncException("CumulusUnexpectedPeriod", HaloSyncErrorKind.InvalidData, "Sherweb answered with another billing period.")
                : inner.GetPayableChargesAsync(date, cancellationToken);
    }

    /// <summary>The read of the period just closed only finds late one-off charges: refused, the run goes on (Fabrikam's cancellation is written) and warns.</summary>
    [Fact]
    public async Task A_refused_read_of_the_closed_period_costs_only_its_charges()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(Nov20);
        bed.Sherweb.Cancel(SherwebSampleData.FabrikamBusinessPremium, Nov20);

        var run = await bed.SyncAsync(Nov20, cumulus: new RefusesPastPeriods(bed.Cumulus, new DateTime(2026, 11, 1)));

        Assert.Equal((0, 1), (run.Failed, run.Cancelled));
        Assert.False(Assert.Single(bed.Licences(SherwebSampleData.FabrikamBusinessPremium)).IsActive ?? true);
        Assert.Contains(run.Warnings, w => w.StartsWith("Sherweb's billing period before 2026-11-01 could not be read (Sherweb answered with another billing period.)", StringComparison.Ordinal));
    }

    private static decimal Billed(SyncTestBed bed, DateTime day, int client, int item)
        => bed.Halo.Store.GenerateInvoices(day).Where(i => i.ClientId == client)
            .SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Where(l => l.ItemId == item).Sum(l => l.NetAmount ?? 0m);

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"items\":null}")]
    public async Task A_list_answer_without_its_items_is_refused_not_read_as_no_subscription(string body)
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(200, body, pathContains: "subscriptions/details"));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client().GetSubscriptionsAsync(SherwebSampleData.Contoso));

        Assert.Equal("CumulusInvalidResponse", error.ErrorId);
    }

    [Fact]
    public async Task A_subscription_listed_twice_is_one_when_alike_and_stops_the_read_when_told_two_ways()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var client = bed.Client();
        var listed = await client.GetSubscriptionDetailsAsync(SherwebSampleData.Contoso);
        var first = JObject.FromObject(listed[0]);
        var other = (JObject)first.DeepClone();
        other["quantity"] = listed[0].Quantity + 1;

        bed.Simulator.Faults.Enqueue(FaultRule.Status(200, new JObject { ["items"] = new JArray(first, first.DeepClone()) }.ToString(), pathContains: "subscriptions/details"));
        var once = await client.GetSubscriptionsAsync(SherwebSampleData.Contoso);
        bed.Simulator.Faults.Enqueue(FaultRule.Status(200, new JObject { ["items"] = new JArray(first, other) }.ToString(), pathContains: "subscriptions/details"));
        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.GetSubscriptionsAsync(SherwebSampleData.Contoso));

        Assert.Equal(listed[0].Quantity, Assert.Single(once).Quantity);
        Assert.Equal("CumulusSubscriptionListedTwice", error.ErrorId);
        Assert.Contains($"{listed[0].Sku} x {listed[0].Quantity}, {listed[0].Sku} x {listed[0].Quantity + 1}", error.Message);
    }

    /// <summary>One answer lists nothing for Contoso (cut short); the next lists its subscriptions again: nothing is cancelled, credited or ended.</summary>
    [Fact]
    public async Task An_empty_list_seen_once_cancels_nothing_and_warns()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        bed.Today(Nov20);

        var glitch = await bed.SyncAsync(Nov20, cumulus: new ListsNothingFor(bed.Cumulus, SherwebSampleData.Contoso));
        bed.Today(Nov21);
        var after = await bed.SyncAsync(Nov21);

        Assert.Equal((0, 0), (glitch.Cancelled, after.Cancelled));
        Assert.Contains("Contoso Ltd: Sherweb lists no subscription for this customer, while HaloSync keeps 2 active: nothing was cancelled, in case the answer " +
                        "was cut short. If the next run finds none listed either, they are cancelled from 2026-11-20.", glitch.Warnings);
        Assert.DoesNotContain(bed.Log(), e => e.Kind == SyncEventKind.CancelSubscription);
        var licence = bed.Licences(SherwebSampleData.ContosoBusinessPremium).Single();
        Assert.Equal((true, 10), (licence.IsActive!.Value, licence.Count!.Value));
        Assert.Equal(300.00m, Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem));
        Assert.Empty(bed.WithStore(store => new SyncState(store).LoadListedEmpty()));
    }

    /// <summary>
    /// Contoso really left on 11-20: the run of 11-20 finds its list empty and waits; the run of 11-21 finds it empty too
    /// and cancels from 11-20, as a one-run cancellation on 11-20 would: pre-bill, -10 x 30.00 x 25/30 = -10 x 25.0000,
    /// so the 12-15 invoice credits -250.00 for Business Premium and bills no line.
    /// </summary>
    [Fact]
    public async Task An_empty_list_seen_by_the_next_run_too_cancels_from_the_first_runs_date()
    {
        await using var bed = await SyncTestBed.StartAsync();
        await bed.SyncAsync(SyncTestBed.FirstSync);
        var gone = new ListsNothingFor(bed.Cumulus, SherwebSampleData.Contoso);
        bed.Today(Nov20);
        await bed.SyncAsync(Nov20, cumulus: gone);
        bed.Today(Nov21);

        var confirmed = await bed.SyncAsync(Nov21, cumulus: gone);

        Assert.Equal(2, confirmed.Cancelled);
        var cancel = Assert.Single(bed.Log(), e => e.Kind == SyncEventKind.CancelSubscription && e.ProRata is not null);
        Assert.Equal((Nov20, -10, 25.0000m), (cancel.EffectiveDate!.Value, cancel.ProRata!.Quantity, cancel.ProRata.UnitPrice));
        Assert.All(bed.Log().Where(e => e.Kind == SyncEventKind.CancelSubscription), e => Assert.Equal(Nov20, e.EffectiveDate));
        Assert.Equal(-250.00m, Billed(bed, Dec15, bed.ContosoClient, bed.PremiumItem));
        Assert.Empty(bed.WithStore(store => new SyncState(store).LoadListedEmpty()));
    }
}
