using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Http;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class HaloPsaResilienceTests : IAsyncLifetime
{
    private HaloTestBed bed = null!;
    private SimClient contoso = null!;

    public async Task InitializeAsync()
    {
        bed = await HaloTestBed.StartAsync();
        contoso = bed.Simulator.Store.AddClient(new SimClient { Name = "Contoso" });
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private int TokenRequests => bed.Simulator.Requests.Matching("/auth/token").Count;

    [Fact]
    public async Task Refreshes_the_token_shortly_before_it_expires()
    {
        using var client = await bed.ConnectAsync();

        bed.Clock.Advance(TimeSpan.FromMinutes(58));
        await client.GetClientsAsync();
        bed.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await client.GetClientsAsync();

        Assert.Equal(2, TokenRequests);
        Assert.DoesNotContain(bed.Simulator.Requests.Snapshot(), r => r.StatusCode == 401);
    }

    [Fact]
    public async Task Gets_a_new_token_once_when_the_server_answers_401()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Tokens.RevokeAll();

        var clients = await client.GetClientsAsync();

        Assert.Single(clients);
        Assert.Equal(2, TokenRequests);
        Assert.Equal(new[] { 401, 200 }, bed.Simulator.Requests.Matching("/api/Client").Skip(1).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task A_second_401_is_reported_not_looped()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(401, "{\"error\":\"invalid_token\"}", pathContains: "/api/Client", times: 2));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.GetClientsAsync());

        Assert.Equal("HttpUnauthorized", error.ErrorId);
        Assert.Equal(2, TokenRequests);
    }

    [Fact]
    public async Task An_expired_token_answered_with_400_is_refreshed_once()
    {
        var clientClock = bed.Clock;
        bed.Simulator.Options.ExpiredTokenAnswers400 = true;
        using var handler = new AfterResponseHandler(response =>
        {
            // The 400 arrives after the token's expiry time, as on a long-running request.
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                clientClock.Advance(TimeSpan.FromHours(1));
            }
        });
        using var client = await bed.ConnectAsync(handler: handler);
        bed.Simulator.Tokens.ExpireAll();

        var clients = await client.GetClientsAsync();

        Assert.Single(clients);
        Assert.Equal(2, TokenRequests);
    }

    [Fact]
    public async Task A_400_before_the_token_expired_is_a_real_error_and_is_not_retried()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(400, "{\"ClassName\":\"Halo.Exceptions.HaloValidationException\",\"Message\":\"Bad filter\"}", pathContains: "/api/Client"));

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.GetClientsAsync());

        Assert.Equal("HttpBadRequest", error.ErrorId);
        Assert.Contains("Bad filter", error.Message);
        Assert.Equal(1, TokenRequests);
    }

    [Fact]
    public async Task Honours_retry_after_seconds_from_halo()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(429, "{\"error\":\"Rate Limit Reached - 300 Requests per rolling 5 minute window\"}", retryAfter: "42", pathContains: "/api/Item"));

        await client.GetItemsAsync();

        Assert.Contains(TimeSpan.FromSeconds(42), bed.Delay.Waits);
    }

    [Fact]
    public async Task Honours_try_again_in_n_seconds_in_the_body()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(429, "{\"message\":\"Rate limit is exceeded. Try again in 13 seconds.\"}", pathContains: "/api/Item"));

        await client.GetItemsAsync();

        Assert.Contains(TimeSpan.FromSeconds(13), bed.Delay.Waits);
    }

    [Fact]
    public async Task Backs_off_on_halos_429_without_retry_after_and_recovers()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(429, "{\"error\":\"Rate Limit Reached - 300 Requests per rolling 5 minute window\"}", pathContains: "/api/Item", times: 2));

        await client.GetItemsAsync();

        Assert.Equal(new[] { TimeSpan.FromSeconds(3.75), TimeSpan.FromSeconds(7.5) }, bed.Delay.Waits);
    }

    [Fact]
    public async Task An_exhausted_rate_limit_says_to_wait_and_run_again_after_the_rate_limit_budget()
    {
        using var client = await bed.ConnectAsync(o =>
        {
            o.MaxAttempts = 3;
            o.RateLimitBudget = TimeSpan.FromSeconds(30);
        });
        bed.Simulator.ApplySettings(new HaloPsaSettingsChange { RateLimit = 0 });
        bed.Simulator.Requests.Clear();

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.GetItemsAsync());

        Assert.Equal("HttpRateLimited", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.RateLimited, error.Kind);
        Assert.Contains("HaloPSA said: Rate Limit Reached - 0 Requests per rolling 5 minute window", error.Message);
        Assert.Contains("Wait a few minutes and run again", error.Message);
        // Back-off 3.75 + 7.5 + 15 = 26.25 s fits in the 30 s budget without using up the 3 attempts; the next 30 s would not.
        Assert.Equal(new[] { TimeSpan.FromSeconds(3.75), TimeSpan.FromSeconds(7.5), TimeSpan.FromSeconds(15) }, bed.Delay.Waits);
        Assert.Equal(4, bed.Simulator.Requests.Matching("/api/Item").Count);
    }

    [Fact]
    public async Task Told_to_wait_longer_than_a_run_waits_the_client_sends_nothing_more()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(429, "{\"error\":\"Rate Limit Reached\"}", retryAfter: "600", pathContains: "/api/SoftwareLicence"));
        bed.Simulator.Requests.Clear();

        var first = await Assert.ThrowsAsync<HaloSyncException>(() => client.SaveLicencesAsync(new[] { new HaloLicence { ClientId = contoso.Id, Name = "M365", Count = 1 } }));
        var errors = new List<HaloSyncException>();
        for (var i = 0; i < 6; i++)
        {
            errors.Add(await Assert.ThrowsAsync<HaloSyncException>(() => client.SaveItemsAsync(new[] { new HaloItem { Id = 1, CostPrice = 2m } })));
        }

        Assert.Equal(HaloSyncErrorKind.RateLimited, first.Kind);
        Assert.All(errors, e => Assert.Equal(HaloSyncErrorKind.RateLimited, e.Kind));
        Assert.Single(bed.Simulator.Requests.Snapshot());
        Assert.Empty(bed.Delay.Waits);
    }

    [Fact]
    public async Task The_pacer_keeps_the_client_inside_halos_rolling_window()
    {
        bed.Simulator.ApplySettings(new HaloPsaSettingsChange { RateLimit = 10, RateWindowSeconds = 60 });
        using var client = await bed.ConnectAsync(o =>
        {
            o.MaxRequestsPerWindow = 10;
            o.RateWindow = TimeSpan.FromSeconds(60);
        });

        for (var i = 0; i < 25; i++)
        {
            await client.GetClientsAsync();
        }

        Assert.DoesNotContain(bed.Simulator.Requests.Snapshot(), r => r.StatusCode == 429);
        Assert.Equal(31, client.RequestsSent);
        Assert.True(bed.Delay.Total >= TimeSpan.FromSeconds(120), $"paced for {bed.Delay.Total}");
        Assert.Contains(bed.Verbose.Lines, l => l.Contains("to stay within 10 requests per 60 s"));
    }

    [Fact]
    public async Task Clients_that_share_a_pacer_stay_inside_one_window_together()
    {
        bed.Simulator.ApplySettings(new HaloPsaSettingsChange { RateLimit = 10, RateWindowSeconds = 60 });
        void Paced(HaloPsaClientOptions o)
        {
            o.MaxRequestsPerWindow = 10;
            o.RateWindow = TimeSpan.FromSeconds(60);
        }

        using var session = HaloPsaClient.Create(bed.Credentials(), bed.Options(Paced));
        using (var probe = await bed.ConnectAsync(o => o.Pacer = session.Pacer))
        {
            Assert.True(probe.RequestsSent > 0);
            Assert.Equal(probe.RequestsSent, session.Pacer.InWindow);
        }

        for (var i = 0; i < 12; i++)
        {
            await session.GetClientsAsync();
        }

        Assert.DoesNotContain(bed.Simulator.Requests.Snapshot(), r => r.StatusCode == 429);
        Assert.Contains(bed.Verbose.Lines, l => l.Contains("to stay within 10 requests per 60 s"));
    }

    [Fact]
    public async Task Retries_reads_through_server_errors_and_dropped_connections()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(500, pathContains: "/api/Client"));
        bed.Simulator.Faults.Enqueue(FaultRule.Drop("/api/Client"));
        bed.Simulator.Faults.Enqueue(FaultRule.Status(503, pathContains: "/api/Client"));
        var before = client.RequestsSent;

        var clients = await client.GetClientsAsync();

        Assert.Single(clients);
        Assert.Equal(4, client.RequestsSent - before);
    }

    [Fact]
    public async Task A_save_that_failed_with_500_is_not_resent_and_says_the_outcome_is_unknown()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Status(500, pathContains: "/api/SoftwareLicence", times: 5));

        var error = await Assert.ThrowsAsync<HttpOutcomeUnknownException>(() =>
            client.SaveLicencesAsync(new[] { new HaloLicence { ClientId = contoso.Id, Name = "M365", Count = 1 } }));

        Assert.Single(bed.Simulator.Requests.Matching("/api/SoftwareLicence", "POST"));
        Assert.Contains("HaloPSA may or may not have applied POST /api/SoftwareLicence?returnall=true", error.Message);
    }

    [Fact]
    public async Task A_save_whose_connection_dropped_is_not_resent()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.Drop("/api/RecurringInvoice"));

        await Assert.ThrowsAsync<HttpOutcomeUnknownException>(() => client.SaveRecurringInvoiceAsync(new HaloRecurringInvoice { ClientId = contoso.Id }));

        Assert.Single(bed.Simulator.Requests.Matching("/api/RecurringInvoice", "POST"));
    }

    [Fact]
    public async Task A_save_that_timed_out_is_not_resent()
    {
        // The connection's own requests must not time out on a loaded machine; the save's must.
        using var client = await bed.ConnectAsync(o => o.RequestTimeout = TimeSpan.FromSeconds(1));
        bed.Simulator.Faults.Enqueue(FaultRule.Slow(TimeSpan.FromSeconds(30), "/api/Item"));

        var error = await Assert.ThrowsAsync<HttpOutcomeUnknownException>(() => client.SaveItemsAsync(new[] { new HaloItem { Name = "New" } }));

        Assert.Equal(HaloSyncErrorKind.OperationTimeout, error.Kind);
        Assert.Single(bed.Simulator.Requests.Matching("/api/Item", "POST"));
    }

    [Fact]
    public async Task A_save_answered_503_is_not_sent_again_because_halo_may_have_saved_it()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Faults.Enqueue(FaultRule.AnswerLost(FaultRule.Status(503), "POST", "/api/SoftwareLicence"));

        var error = await Assert.ThrowsAsync<HttpOutcomeUnknownException>(() => client.SaveLicencesAsync(new[] { new HaloLicence { ClientId = contoso.Id, Name = "M365", Count = 1 } }));

        Assert.Contains("it answered 503", error.Message);
        Assert.Single(bed.Simulator.Store.Licences);
        Assert.Single(bed.Simulator.Requests.Matching("/api/SoftwareLicence", "POST"));
    }

    [Fact]
    public async Task Cancellation_stops_a_read_promptly_even_while_backing_off()
    {
        using var client = await bed.ConnectAsync(o => o.Delay = Task.Delay);
        bed.Simulator.Faults.Enqueue(FaultRule.Status(503, pathContains: "/api/Client", times: 10));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetClientsAsync(cancellationToken: cancellation.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task Slow_answers_within_the_timeout_are_fine()
    {
        using var client = await bed.ConnectAsync();
        bed.Simulator.Host.Latency = TimeSpan.FromMilliseconds(30);

        var clients = await client.GetClientsAsync();

        Assert.Single(clients);
    }
}
