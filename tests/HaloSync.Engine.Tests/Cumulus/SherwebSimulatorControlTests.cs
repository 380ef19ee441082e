using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using HaloSync.Engine.Cumulus;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

/// <summary>The HTTP control surface under /_sim, driving the state the client then reads.</summary>
public class SherwebSimulatorControlTests
{
    [Fact]
    public async Task State_shows_everything_but_the_secrets()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();

        var state = await http.GetStringAsync("/_sim/state");

        var json = JsonDocument.Parse(state).RootElement;
        Assert.Equal("2026-03-17", json.GetProperty("today").GetString());
        Assert.Equal(3, json.GetProperty("customers").GetArrayLength());
        Assert.Equal(3, json.GetProperty("subscriptions").GetArrayLength());
        Assert.Equal(SherwebSampleData.ClientId, json.GetProperty("apiClients")[0].GetProperty("clientId").GetString());
        Assert.DoesNotContain(SherwebSampleData.ClientSecret, state);
        Assert.DoesNotContain(SherwebSampleData.SubscriptionKey, state);
    }

    [Fact]
    public async Task A_customer_removed_over_http_leaves_the_list_with_its_subscriptions_and_an_unknown_one_is_a_404()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();
        var client = bed.Client();

        (await http.DeleteAsync($"/_sim/customers/{SherwebSampleData.Fabrikam}")).EnsureSuccessStatusCode();

        var customers = await client.GetCustomersAsync();
        Assert.Equal(new[] { SherwebSampleData.Contoso, SherwebSampleData.Northwind }, customers.Select(c => c.Id).OrderBy(id => id.ToString()));
        Assert.DoesNotContain(bed.Simulator.State.Snapshot().Subscriptions, s => s.CustomerId == SherwebSampleData.Fabrikam);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.DeleteAsync($"/_sim/customers/{SherwebSampleData.Fabrikam}")).StatusCode);
    }

    [Fact]
    public async Task Purchases_quantity_changes_cancellations_and_charges_over_http_show_up_in_the_api()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();
        var client = bed.Client();

        var purchase = await http.PostAsJsonAsync("/_sim/subscriptions", new { customerId = SherwebSampleData.Fabrikam, sku = SherwebSampleData.ExchangeSku, quantity = 4 }, SimulatorHost.ControlJson);
        var purchased = JsonDocument.Parse(await purchase.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        (await http.PostAsJsonAsync($"/_sim/subscriptions/{SherwebSampleData.ContosoBusinessPremium}/quantity", new { quantity = 12 })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/_sim/subscriptions/{SherwebSampleData.FabrikamBusinessPremium}/cancel", new { })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/_sim/charges", new
        {
            customerId = SherwebSampleData.Contoso, sku = SherwebSampleData.AzureSku, chargeName = "Consumption", chargeType = "Usage", billingCycleType = "Monthly",
            periodFrom = "2026-02-01", periodTo = "2026-02-28", quantity = 2.5, unitListPrice = 10.00, billedOn = "2026-03-02",
        })).EnsureSuccessStatusCode();

        var fabrikam = await client.GetSubscriptionsAsync(SherwebSampleData.Fabrikam);
        var contoso = await client.GetSubscriptionsAsync(SherwebSampleData.Contoso);
        var charges = (await client.GetPayableChargesAsync(new DateTime(2026, 3, 17))).Charges;

        Assert.Equal(purchased, Assert.Single(fabrikam).Id);
        Assert.Equal(4, fabrikam.Single().Quantity);
        Assert.Equal(12, contoso.Single(s => s.Id == SherwebSampleData.ContosoBusinessPremium).Quantity);
        var usage = charges.Single(c => c.ChargeType == ChargeType.Usage);
        Assert.Equal(2.5m, usage.Quantity);
        Assert.Equal(22.50m, usage.SubTotal);
    }

    [Fact]
    public async Task Seeding_over_http_replaces_the_state_and_moving_the_date_changes_the_period()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();
        var seed = SherwebSampleData.Create(new DateTime(2026, 3, 17)) with
        {
            Customers = new[] { new SherwebCustomer { Id = SherwebSampleData.Contoso, DisplayName = "Contoso Renamed" } },
            Subscriptions = Array.Empty<SherwebSubscription>(),
        };

        (await http.PostAsJsonAsync("/_sim/seed", seed, SimulatorHost.ControlJson)).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/_sim/date", new { date = "2026-05-02" })).EnsureSuccessStatusCode();
        var client = bed.Client();

        Assert.Equal("Contoso Renamed", Assert.Single(await client.GetCustomersAsync()).DisplayName);
        Assert.Equal(new DateTime(2026, 5, 1), (await client.GetPayableChargesAsync(bed.Simulator.Today)).PeriodFrom.Date);
        Assert.Equal(new DateTime(2026, 5, 2), bed.Simulator.Today);
    }

    [Fact]
    public async Task Tokens_can_be_expired_over_http_and_the_client_recovers()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();
        var client = bed.Client();
        await client.ConnectAsync();

        (await http.PostAsync("/_sim/tokens/expire", null)).EnsureSuccessStatusCode();
        await client.GetCustomersAsync();

        Assert.Equal(2, client.TokensIssued);
    }

    [Fact]
    public async Task Settings_and_faults_can_be_set_over_http()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();

        (await http.PutAsJsonAsync("/_sim/settings", new SherwebSettings { PerformanceTierPercentage = 0m, Currency = "CAD" }, SimulatorHost.ControlJson)).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/_sim/faults", SherwebFaults.RateLimited(2, withRetryAfterHeader: true, "/payable-charges"), SimulatorHost.ControlJson)).EnsureSuccessStatusCode();
        var charges = (await bed.Client().GetPayableChargesAsync(new DateTime(2026, 3, 17))).Charges;

        Assert.All(charges, c => Assert.Empty(c.Deductions));
        Assert.All(charges, c => Assert.Equal("CAD", c.Currency));
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.Single(bed.Waits));
    }

    [Fact]
    public async Task Unknown_ids_and_invalid_changes_are_refused_with_a_reason()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        using var http = bed.RawHttp();

        using var unknown = await http.PostAsJsonAsync($"/_sim/subscriptions/{Guid.NewGuid()}/quantity", new { quantity = 2 });
        using var zero = await http.PostAsJsonAsync($"/_sim/subscriptions/{SherwebSampleData.ContosoBusinessPremium}/quantity", new { quantity = 0 });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Contains("cancellation", await zero.Content.ReadAsStringAsync());
        Assert.Throws<InvalidOperationException>(() =>
        {
            bed.Simulator.Cancel(SherwebSampleData.FabrikamBusinessPremium);
            bed.Simulator.ChangeQuantity(SherwebSampleData.FabrikamBusinessPremium, 5);
        });
    }

    [Fact]
    public void A_seed_that_references_unknown_customers_or_skus_is_refused()
    {
        var state = new SherwebState();
        var seed = SherwebSampleData.Create(new DateTime(2026, 3, 17));

        Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => state.Load(seed with { Customers = seed.Customers.Skip(1).ToList() }));
        Assert.Throws<System.Collections.Generic.KeyNotFoundException>(() => state.Load(seed with { Products = seed.Products.Skip(1).ToList() }));
    }
}
