using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Sync;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// Issue 9, point 1: HaloPSA carries a write out, then its answer is lost (502, 503, 504, a timeout, a dropped
/// connection). Every kind of write the sync sends is tried with every way of losing the answer: the record is
/// looked up before anything is sent again, so HaloPSA ends with exactly one of each, and the run succeeds.
/// </summary>
public sealed class LostAnswerTests
{
    private static readonly DateTime Nov20 = new(2026, 11, 20);

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var write in new[] { "create subscriptions", "create recurring invoices", "change a subscription", "change a line", "set item costs" })
        {
            foreach (var loss in new[] { "502", "503", "504", "timeout", "drop" })
            {
                cases.Add(write, loss);
            }
        }

        return cases;
    }

    private static FaultRule Lost(string loss, string path) => FaultRule.AnswerLost(loss switch
    {
        "timeout" => FaultRule.Slow(TimeSpan.FromSeconds(4)),
        "drop" => FaultRule.Drop(),
        _ => FaultRule.Status(int.Parse(loss)),
    }, "POST", path);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_write_carried_out_whose_answer_is_lost_leaves_exactly_one_record(string write, string loss)
    {
        await using var bed = await SyncTestBed.StartAsync(requestTimeout: TimeSpan.FromSeconds(1));
        var firstSyncFault = write switch
        {
            "create subscriptions" => "/api/SoftwareLicence",
            "create recurring invoices" => "/api/RecurringInvoice",
            "set item costs" => "/api/Item",
            _ => null,
        };
        if (firstSyncFault is not null)
        {
            bed.Halo.Faults.Enqueue(Lost(loss, firstSyncFault));
        }

        var first = await bed.SyncAsync(SyncTestBed.FirstSync);
        if (firstSyncFault is null)
        {
            // Contoso 10 -> 13 on 11-20; the answer to the licence or the invoice save is lost.
            bed.Today(Nov20);
            bed.Sherweb.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 13, Nov20);
            bed.Halo.Faults.Enqueue(Lost(loss, write == "change a subscription" ? "/api/SoftwareLicence" : "/api/RecurringInvoice"));
            var change = await bed.SyncAsync(Nov20);
            Assert.Equal((0, 1, 1), (change.Failed, change.Updated, change.ProRataEntries));
        }

        Assert.Equal(0, first.Failed);
        Assert.Empty(bed.Failures);
        Assert.Empty(bed.Halo.Faults.Pending);
        Assert.Contains(bed.Verbose, l => l.Contains("reading back", StringComparison.Ordinal) || l.Contains("reading the items back", StringComparison.Ordinal));
        foreach (var subscription in new[] { SherwebSampleData.ContosoBusinessPremium, SherwebSampleData.ContosoExchangeYearly, SherwebSampleData.FabrikamBusinessPremium })
        {
            Assert.Single(bed.Licences(subscription));
        }

        Assert.Single(bed.Invoices(bed.ContosoClient));
        Assert.Single(bed.Invoices(bed.FabrikamClient));
        var contosoLine = Assert.Single(bed.Lines(bed.ContosoClient, SherwebSampleData.ContosoBusinessPremium));
        Assert.Single(bed.Lines(bed.FabrikamClient, SherwebSampleData.FabrikamBusinessPremium));
        Assert.Equal(22.00m, bed.Halo.Store.Items.Single(i => i.Id == bed.PremiumItem).Costprice);
        if (firstSyncFault is null)
        {
            Assert.Equal(13, bed.Licences(SherwebSampleData.ContosoBusinessPremium).Single().Count);
            Assert.Equal(13m, contosoLine.QtyOrder);
            // +3 for the 25 of 30 days left: 30.00 x 25/30 = 25.0000, once.
            var proRata = Assert.Single(contosoLine.ProrataData!);
            Assert.Equal((3m, 25.0000m), (proRata.Quantity!.Value, proRata.Unitprice!.Value));
        }

        // And nothing is left to do.
        bed.Halo.Requests.Clear();
        await bed.SyncAsync(firstSyncFault is null ? Nov20 : SyncTestBed.FirstSync);
        Assert.Equal(0, bed.Writes());
        Assert.All(bed.Log(), e => Assert.Equal(SyncEventStatus.Success, e.Status));
    }

    /// <summary>HaloPSA as a run sees it when reading <paramref name="resource"/> back fails once they were saved.</summary>
    private static InterceptedHalo ReadBackFails(SyncTestBed bed, string resource, string what)
    {
        var halo = new InterceptedHalo(bed.HaloClient);
        halo.Before = call =>
        {
            if (call == "Get" + resource && halo.Calls.Contains("Save" + resource))
            {
                throw new HaloSyncException("HttpServerError", HaloSyncErrorKind.ResourceUnavailable, $"HaloPSA failed while reading {what} (500), even after retrying.");
            }
        };
        return halo;
    }

    [Fact]
    public async Task When_the_answer_is_lost_and_reading_back_fails_the_next_run_looks_the_records_up_and_finishes()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Faults.Enqueue(Lost("drop", "/api/RecurringInvoice"));
        var halo = ReadBackFails(bed, "RecurringInvoices", "recurring invoices");

        var failed = await bed.SyncAsync(SyncTestBed.FirstSync, halo);

        Assert.True(failed.Failed > 0);
        Assert.All(bed.Failures, f => Assert.Equal("HaloPsaOutcomeUnknown", f.Error.ErrorId));
        Assert.Contains("Nothing was sent blind", bed.Failures[0].Error.Message);
        Assert.Single(bed.Invoices(bed.ContosoClient)); // the lost save did land
        Assert.Single(bed.Halo.Requests.Matching("/api/RecurringInvoice", "POST")); // and was not sent again

        bed.Halo.Faults.Clear();
        bed.Failures.Clear();
        var finished = await bed.SyncAsync(SyncTestBed.FirstSync);

        Assert.Equal(0, finished.Failed);
        Assert.Empty(bed.Failures);
        Assert.Single(bed.Invoices(bed.ContosoClient));
        Assert.Single(bed.Invoices(bed.FabrikamClient));
        Assert.Single(bed.Lines(bed.ContosoClient, SherwebSampleData.ContosoBusinessPremium));
        Assert.Single(bed.Lines(bed.FabrikamClient, SherwebSampleData.FabrikamBusinessPremium));
        var log = bed.Log();
        Assert.All(log, e => Assert.Equal(SyncEventStatus.Success, e.Status));
        Assert.Contains(log, e => e.Kind == SyncEventKind.CreateSubscription && e.Attempts == 2);
    }

    // A save HaloPSA carried out and then answered 429 or 401 (the spec says it refuses those before acting; the
    // simulator can do it anyway) is looked up, not resent: Contoso's invoice bills 10 x 30.00 = 300.00 once.
    [Theory]
    [InlineData(429, "/api/RecurringInvoice")]
    [InlineData(401, "/api/RecurringInvoice")]
    [InlineData(429, "/api/SoftwareLicence")]
    [InlineData(401, "/api/SoftwareLicence")]
    public async Task A_creation_carried_out_and_answered_429_or_401_is_looked_up_not_sent_twice(int lostAs, string path)
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Faults.Enqueue(FaultRule.AnswerLost(FaultRule.Status(lostAs), "POST", path));

        var first = await bed.SyncAsync(SyncTestBed.FirstSync);

        Assert.Equal(0, first.Failed);
        Assert.Empty(bed.Halo.Faults.Pending);
        Assert.Contains(bed.Verbose, l => l.Contains("reading back", StringComparison.Ordinal));
        Assert.Single(bed.Invoices(bed.ContosoClient));
        Assert.Single(bed.Licences(SherwebSampleData.ContosoBusinessPremium));
        Assert.Single(bed.Licences(SherwebSampleData.FabrikamBusinessPremium));
        var dec15 = new DateTime(2026, 12, 15);
        var billed = bed.GenerateDueInvoices(dec15).Where(i => i.ClientId == bed.ContosoClient)
            .SelectMany(i => i.Lines ?? new List<Simulators.HaloPsa.SimInvoiceLine>()).Where(l => l.ItemId == bed.PremiumItem).Sum(l => l.NetAmount ?? 0m);
        Assert.Equal(300.00m, billed);
    }

    [Fact]
    public async Task When_an_item_cost_answer_is_lost_and_reading_the_items_back_fails_its_events_fail_and_the_next_run_finishes()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Faults.Enqueue(Lost("drop", "/api/Item"));
        var halo = ReadBackFails(bed, "Items", "items");

        var failed = await bed.SyncAsync(SyncTestBed.FirstSync, halo);

        Assert.True(failed.Failed > 0);
        var costEvents = bed.Log().Where(e => e.Kind == SyncEventKind.UpdateItemCost).ToList();
        Assert.NotEmpty(costEvents);
        Assert.All(costEvents, e => Assert.Equal(SyncEventStatus.Failed, e.Status));
        Assert.All(bed.Failures, f => Assert.Equal("HaloPsaOutcomeUnknown", f.Error.ErrorId));
        Assert.Contains("Nothing was sent blind", bed.Failures[0].Error.Message);
        Assert.Single(bed.Halo.Requests.Matching("/api/Item", "POST"));

        bed.Halo.Faults.Clear();
        bed.Failures.Clear();
        var finished = await bed.SyncAsync(SyncTestBed.FirstSync);

        Assert.Equal(0, finished.Failed);
        Assert.Equal(22.00m, bed.Halo.Store.Items.Single(i => i.Id == bed.PremiumItem).Costprice);
    }

    [Fact]
    public async Task A_batch_HaloPSA_refuses_is_halved_until_the_bad_record_stands_alone_and_the_others_are_saved()
    {
        await using var bed = await SyncTestBed.StartAsync();
        // Fabrikam's client disappears from HaloPSA: its licence is refused (400), Contoso's two are not held back by it.
        bed.Halo.Store.Reset();
        var contoso = bed.Halo.Store.AddClient(new Simulators.HaloPsa.SimClient { Id = bed.ContosoClient, Name = "Contoso Ltd" });
        bed.Halo.Store.AddItem(new Simulators.HaloPsa.SimItem { Id = bed.PremiumItem, Name = "M365 Business Premium", Baseprice = 30.00m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku });
        bed.Halo.Store.AddItem(new Simulators.HaloPsa.SimItem { Name = "Exchange Plan 1", Baseprice = 6.00m, SupplierPartCode = SherwebSampleData.ExchangeSku });

        var summary = await bed.SyncAsync(SyncTestBed.FirstSync);

        Assert.Single(bed.Licences(SherwebSampleData.ContosoBusinessPremium));
        Assert.Single(bed.Licences(SherwebSampleData.ContosoExchangeYearly));
        Assert.Empty(bed.Licences(SherwebSampleData.FabrikamBusinessPremium));
        Assert.Equal(contoso.Id, bed.Invoices(bed.ContosoClient).Single().ClientId);
        Assert.All(bed.Failures, f => Assert.Equal(SherwebSampleData.Fabrikam.ToString("D"), f.Event.OrganizationId));
        Assert.NotEmpty(bed.Failures);
        Assert.Equal(2, summary.Created);
        // 3 records: [3] refused, then [1] and [2]; [2] is refused, then [1] and [1].
        Assert.Equal(5, bed.Halo.Requests.Matching("/api/SoftwareLicence", "POST").Count);
        Assert.Contains(bed.Verbose, l => l.Contains("sending it in halves", StringComparison.Ordinal));
    }

    /// <summary>
    /// The client sends a save in several requests when it holds more records than its batch size: the first request
    /// saves Contoso's two licences, the second (Fabrikam's, refused) fails. The save's outcome is then unknown to the
    /// sync, which looks the records up before sending anything again, so Contoso's licences are not created twice.
    /// </summary>
    [Fact]
    public async Task A_save_whose_later_request_fails_after_an_earlier_one_saved_is_looked_up_not_resent()
    {
        await using var bed = await SyncTestBed.StartAsync();
        bed.Halo.Store.Reset();
        bed.Halo.Store.AddClient(new Simulators.HaloPsa.SimClient { Id = bed.ContosoClient, Name = "Contoso Ltd" });
        bed.Halo.Store.AddItem(new Simulators.HaloPsa.SimItem { Id = bed.PremiumItem, Name = "M365 Business Premium", Baseprice = 30.00m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku });
        bed.Halo.Store.AddItem(new Simulators.HaloPsa.SimItem { Name = "Exchange Plan 1", Baseprice = 6.00m, SupplierPartCode = SherwebSampleData.ExchangeSku });
        using var twoPerRequest = HaloSync.Engine.HaloPsa.HaloPsaClient.Create(
            new HaloSync.Engine.HaloPsa.HaloPsaCredentials(bed.Halo.BaseAddress.ToString(), Simulators.HaloPsa.HaloPsaSimulator.DefaultClientId, Simulators.HaloPsa.HaloPsaSimulator.DefaultClientSecret, null, "all"),
            new HaloSync.Engine.HaloPsa.HaloPsaClientOptions { Delay = bed.Delay.Delay, Jitter = () => 0.5, Clock = () => bed.Halo.Clock.UtcNow, SaveBatchSize = 2, Verbose = bed.Verbose.Add });

        var summary = await bed.SyncAsync(SyncTestBed.FirstSync, twoPerRequest);

        Assert.Single(bed.Licences(SherwebSampleData.ContosoBusinessPremium));
        Assert.Single(bed.Licences(SherwebSampleData.ContosoExchangeYearly));
        Assert.Empty(bed.Licences(SherwebSampleData.FabrikamBusinessPremium));
        Assert.Equal(2, summary.Created);
        Assert.NotEmpty(bed.Failures);
        Assert.All(bed.Failures, f => Assert.Equal(SherwebSampleData.Fabrikam.ToString("D"), f.Event.OrganizationId));
    }

    /// <summary>
    /// Between HaloSync and HaloPSA: the first POST /api/RecurringInvoice reaches HaloPSA, which takes
    /// <see cref="serverTakes"/> to carry it out; the client meanwhile gets a 504 from the gateway at once ("504"), or no
    /// answer before its own timeout ("timeout"). The write lands in HaloPSA once that much (simulated) time has passed,
    /// i.e. before the first request sent after it, or at <see cref="FlushAsync"/>.
    /// </summary>
    private sealed class SlowServerHandler : DelegatingHandler
    {
        private readonly Func<DateTimeOffset> clock;
        private readonly TimeSpan serverTakes;
        private readonly string mode;
        private HttpRequestMessage? held;
        private DateTimeOffset heldAt;
        private bool armed = true;

        public SlowServerHandler(Func<DateTimeOffset> clock, TimeSpan serverTakes, string mode)
            : base(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
            => (this.clock, this.serverTakes, this.mode) = (clock, serverTakes, mode);

        public async Task FlushAsync()
        {
            if (held is not null)
            {
                (await base.SendAsync(held, CancellationToken.None)).Dispose();
                held = null;
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (held is not null && clock() >= heldAt + serverTakes)
            {
                await FlushAsync();
            }

            if (armed && request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath.Contains("/api/RecurringInvoice", StringComparison.OrdinalIgnoreCase))
            {
                armed = false;
                var copy = new HttpRequestMessage(request.Method, request.RequestUri);
                copy.Headers.Authorization = request.Headers.Authorization;
                copy.Content = new ByteArrayContent(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
                copy.Content.Headers.ContentType = request.Content.Headers.ContentType;
                (held, heldAt) = (copy, clock());
                if (mode == "504")
                {
                    return new HttpResponseMessage(HttpStatusCode.GatewayTimeout) { RequestMessage = request, Content = new StringContent("") };
                }

                await Task.Delay(Timeout.Infinite, cancellationToken); // no answer: the client's own timeout ends it
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// First sync (11-16). HaloPSA takes 5 s to save Contoso's and Fabrikam's new recurring invoices (one POST); the
    /// client times out after 1 s, or the gateway in front of HaloPSA answers 504 at once. Either way the save waits the
    /// grace (15 s) before the invoices are read back, finds them, and sends nothing again: one HaloSync recurring invoice
    /// per client, and the 12-15 invoice bills Contoso 10 x 30.00 = 300.00 (not read back at once after the 504: two
    /// invoices each, 600.00).
    /// </summary>
    [Theory]
    [InlineData("timeout")]
    [InlineData("504")]
    public async Task A_save_HaloPSA_is_still_working_on_is_not_created_twice(string answer)
    {
        await using var bed = await SyncTestBed.StartAsync(requestTimeout: TimeSpan.FromSeconds(1));
        var handler = new SlowServerHandler(() => bed.Halo.Clock.UtcNow, TimeSpan.FromSeconds(5), answer);
        using var client = HaloPsaClient.Create(
            new HaloPsaCredentials(bed.Halo.BaseAddress.ToString(), HaloPsaSimulator.DefaultClientId, HaloPsaSimulator.DefaultClientSecret, null, "all"),
            new HaloPsaClientOptions
            {
                Delay = bed.Delay.Delay,
                Jitter = () => 0.5,
                Clock = () => bed.Halo.Clock.UtcNow,
                RequestTimeout = TimeSpan.FromSeconds(1),
                MessageHandler = handler,
            });

        var first = await bed.SyncAsync(SyncTestBed.FirstSync, client);
        await handler.FlushAsync(); // HaloPSA has finished the save by now in any case

        Assert.Equal(0, first.Failed);
        var billed = bed.GenerateDueInvoices(new DateTime(2026, 12, 15)).Where(i => i.ClientId == bed.ContosoClient)
            .SelectMany(i => i.Lines ?? new List<SimInvoiceLine>()).Where(l => l.ItemId == bed.PremiumItem).Sum(l => l.NetAmount ?? 0m);
        Assert.Equal((1, 1, 300.00m), (bed.Invoices(bed.ContosoClient).Count, bed.Invoices(bed.FabrikamClient).Count, billed));
    }
}
