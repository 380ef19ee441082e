using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Cumulus;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;

namespace HaloSync.Engine.Tests.Cumulus;

/// <summary>Retries, waits and token refresh against injected faults. Waits move the simulated clock instead of sleeping.</summary>
public class CumulusClientFaultTests
{
    private const string Customers = "/service-provider/v1/customers";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_429_is_retried_after_the_wait_the_gateway_asks_for_with_or_without_Retry_After(bool withHeader)
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(SherwebFaults.RateLimited(12, withHeader, Customers));

        var customers = await bed.Client().GetCustomersAsync();

        Assert.Equal(3, customers.Count);
        Assert.Equal(new[] { 429, 200 }, bed.Simulator.Requests.Matching(Customers).Select(r => r.StatusCode));
        Assert.Equal(TimeSpan.FromSeconds(12), Assert.Single(bed.Waits));
    }

    [Fact]
    public async Task The_gateway_rate_limit_is_respected_by_waiting_until_the_window_frees_up()
    {
        await using var bed = await SherwebTestBed.StartAsync(seed => seed with { Settings = seed.Settings with { RateLimit = 3, RateLimitWindow = TimeSpan.FromSeconds(60) } });
        var client = bed.Client();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(3, (await client.GetCustomersAsync()).Count);
        }

        Assert.Contains(bed.Simulator.Requests.Matching(Customers), r => r.StatusCode == 429);
        Assert.Equal(5, bed.Simulator.Requests.Matching(Customers).Count(r => r.StatusCode == 200));
        Assert.Contains(TimeSpan.FromSeconds(60), bed.Waits);
    }

    [Fact]
    public async Task Rate_limit_waits_within_the_budget_do_not_use_up_attempts()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(SherwebFaults.RateLimited(30, withRetryAfterHeader: false, Customers, times: 3));

        var customers = await bed.Client(maxAttempts: 3).GetCustomersAsync();

        Assert.NotEmpty(customers);
        Assert.Equal(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) }, bed.Waits);
    }

    [Fact]
    public async Task A_rate_limit_wait_beyond_the_budget_fails_at_once_and_nothing_more_is_sent_until_it_is_over()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(SherwebFaults.RateLimited(600, withRetryAfterHeader: false, Customers, times: 1));
        var client = bed.Client(maxAttempts: 3);

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.GetCustomersAsync());
        var blocked = await Assert.ThrowsAsync<HaloSyncException>(() => client.GetPayableChargesAsync(new DateTime(2026, 3, 17)));

        Assert.Equal("HttpRateLimited", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.RateLimited, error.Kind);
        Assert.Contains("Wait about 600 seconds", error.Message);
        Assert.Empty(bed.Waits);
        Assert.Equal(("HttpRateLimited", HaloSyncErrorKind.RateLimited), (blocked.ErrorId, blocked.Kind));
        Assert.Contains("was not sent", blocked.Message);
        Assert.Empty(bed.Simulator.Requests.Matching("/payable-charges"));
        bed.AssertNoSecretIn(error.ToString(), blocked.ToString());
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Server_errors_on_reads_are_retried_with_back_off(int status)
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(SherwebFaults.ServerError(status, "/payable-charges", times: 2));

        var payable = await bed.Client().GetPayableChargesAsync(new DateTime(2026, 3, 17));

        Assert.Equal(2, payable.Charges.Count);
        Assert.Equal(new[] { status, status, 200 }, bed.Simulator.Requests.Matching("/payable-charges").Select(r => r.StatusCode));
        Assert.Equal(2, bed.Waits.Count);
        Assert.True(bed.Waits.Last() > bed.Waits.First(), "the back-off grows");
    }

    [Fact]
    public async Task Persistent_server_errors_end_in_an_error_that_says_to_try_later()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(SherwebFaults.ServerError(503, "/details", times: 5));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => bed.Client(maxAttempts: 2).GetSubscriptionDetailsAsync(SherwebSampleData.Contoso));

        Assert.Equal("HttpServerError", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.ResourceUnavailable, error.Kind);
        Assert.Contains("try again later", error.Message);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Drop("/pricing-information"));

        var pricing = await bed.Client().GetSubscriptionPricingInformationAsync(SherwebSampleData.Contoso);

        Assert.Equal(2, pricing.Count);
        // The common request log cannot always tell an aborted answer from a 200, so count attempts and waits instead.
        Assert.Equal(2, bed.Simulator.Requests.Matching("/pricing-information").Count);
        Assert.Single(bed.Waits);
        Assert.Contains(bed.Verbose, line => line.Contains("dropped"));
    }

    [Fact]
    public async Task A_response_slower_than_the_time_limit_is_abandoned_and_retried()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Slow(TimeSpan.FromSeconds(5), Customers));

        var customers = await bed.Client(requestTimeout: TimeSpan.FromMilliseconds(300)).GetCustomersAsync();

        Assert.Equal(3, customers.Count);
        Assert.Equal(2, bed.Simulator.Requests.Matching(Customers).Count);
    }

    [Fact]
    public async Task Latency_slows_every_request_without_failing_it()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Latency = TimeSpan.FromMilliseconds(100);
        var watch = Stopwatch.StartNew();

        await bed.Client().ConnectAsync();

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(200), $"two requests took only {watch.Elapsed}");
    }

    [Fact]
    public async Task The_token_is_renewed_before_it_expires()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var client = bed.Client();
        await client.GetCustomersAsync();

        bed.Simulator.Clock.Advance(TimeSpan.FromMinutes(59.5));
        await client.GetCustomersAsync();

        Assert.Equal(2, client.TokensIssued);
        Assert.All(bed.Simulator.Requests.Matching(Customers), r => Assert.Equal(200, r.StatusCode));
    }

    [Fact]
    public async Task A_token_the_server_no_longer_accepts_is_replaced_and_the_request_sent_again()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        var client = bed.Client();
        await client.GetCustomersAsync();

        bed.Simulator.ExpireTokens();
        var customers = await client.GetCustomersAsync();

        Assert.Equal(3, customers.Count);
        Assert.Equal(2, client.TokensIssued);
        Assert.Equal(new[] { 200, 401, 200 }, bed.Simulator.Requests.Matching(Customers).Select(r => r.StatusCode));
        Assert.Equal(5, client.RequestsSent);
    }

    [Fact]
    public async Task A_failing_token_endpoint_is_retried_because_asking_again_is_harmless()
    {
        await using var bed = await SherwebTestBed.StartAsync();
        bed.Simulator.Faults.Enqueue(SherwebFaults.ServerError(503, SherwebSimulator.TokenPath));

        await bed.Client().ConnectAsync();

        Assert.Equal(new[] { 503, 200 }, bed.Simulator.Requests.Matching(SherwebSimulator.TokenPath).Select(r => r.StatusCode));
    }
}
