using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

/// <summary>
/// Real invoices in the HaloPSA simulator: generated from a recurring invoice as HaloPSA would (the rules are in
/// src/HaloSync.Simulators/HaloPsa/README.md) and read back from /api/Invoice with its filters.
/// </summary>
public sealed class SimulatorInvoiceTests : IAsyncLifetime
{
    private static readonly DateTime Dec15 = new(2026, 12, 15);
    private static readonly DateTime Jan15 = new(2027, 1, 15);
    private HaloPsaSimulator simulator = null!;
    private RawHaloHttp http = null!;
    private int contoso;
    private int fabrikam;

    public async Task InitializeAsync()
    {
        simulator = await HaloPsaSimulator.StartAsync(new HaloPsaSimulatorOptions { ClockStart = new DateTimeOffset(Dec15.AddHours(9), TimeSpan.Zero) });
        http = await new RawHaloHttp(simulator).AuthorizeAsync();
        contoso = simulator.Store.AddClient(new SimClient { Name = "Contoso" }).Id!.Value;
        fabrikam = simulator.Store.AddClient(new SimClient { Name = "Fabrikam" }).Id!.Value;
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await simulator.DisposeAsync();
    }

    [Fact]
    public async Task An_invoice_bills_each_line_active_on_its_date_and_each_pending_pro_rata_entry_once()
    {
        var recurring = simulator.Store.AddRecurringInvoice(new SimRecurringInvoice
        {
            ClientId = contoso,
            Reference = "HaloSync",
            Lines = new List<SimInvoiceLine>
            {
                Line("M365", 12, 30.00m, start: new DateTime(2026, 11, 16), proRata: new List<SimProRata>
                {
                    new() { Date = new DateTime(2026, 11, 20), Quantity = 2, Unitprice = 25.0000m, Unitcost = 18.3333m, Shortdescription = "+2 from 20 Nov", Longdescription = "[halosync:sub-x:2026-11-20:10->12]" },
                    new() { Date = new DateTime(2026, 12, 20), Quantity = -1, Unitprice = 20.0000m, Unitcost = 14.6667m, Shortdescription = "-1 from 20 Dec" },
                }),
                Line("Backup", 2, 5.00m, inactive: true),
                Line("Ended in October", 1, 10.00m, end: new DateTime(2026, 10, 31)),
                Line("Starts on the 20th", 3, 4.00m, start: new DateTime(2026, 12, 20)),
                Line("Azure usage of October", 1, 150.00m, start: new DateTime(2026, 11, 16), end: new DateTime(2026, 12, 14)),
            },
        });
        var lineIds = recurring.Lines!.ToDictionary(l => l.ItemShortdescription!, l => l.Id!.Value);

        var december = Assert.Single(simulator.Store.GenerateInvoices(Dec15));

        // 12 x 30.00 = 360.00, the +2 pro-rata 2 x 25.00 = 50.00, October's usage once 150.00: 560.00. The inactive line, the line
        // ended before the period and the line starting after the invoice date are not billed, nor the entry dated the 20th.
        Assert.Equal((contoso, recurring.Id, Dec15, 560.00m), (december.ClientId!.Value, december.RecurringInvoiceId, december.InvoiceDate!.Value, december.Total!.Value));
        Assert.Equal(new[] { ("M365", 12m, 360.00m), ("+2 from 20 Nov", 2m, 50.00m), ("Azure usage of October", 1m, 150.00m) },
            december.Lines!.Select(l => (l.ItemShortdescription!, l.QtyOrder!.Value, l.NetAmount!.Value)));
        Assert.All(december.Lines!, l => Assert.Equal((recurring.Id, december.Id), (l.RecurringInvoiceId, l.Ihid)));
        Assert.Equal(new int?[] { lineIds["M365"], lineIds["M365"], lineIds["Azure usage of October"] }, december.Lines!.Select(l => l.RecurringInvoiceLineId));
        Assert.Equal(new int?[] { null, lineIds["M365"], null }, december.Lines!.Select(l => l.ProRataLineId));
        Assert.Equal("[halosync:sub-x:2026-11-20:10->12]", december.Lines![1].ItemLongdescription);
        var after = simulator.Store.RecurringInvoices.Single();
        var entries = after.Lines!.Single(l => l.ItemShortdescription == "M365").ProrataData!;
        Assert.Equal(new[] { (true, (int?)december.Id), (false, (int?)null) }, entries.Select(e => (e.Isinvoiced!.Value, e.InvoiceId)));
        Assert.Equal(12m, after.Lines!.Single(l => l.ItemShortdescription == "M365").QtyOrder);

        var january = Assert.Single(simulator.Store.GenerateInvoices(Jan15));

        // 360.00 again, the line that started on the 20th 3 x 4.00 = 12.00 and the -1 entry -20.00: 352.00. October's usage
        // ended before the last invoice (15 December) and the +2 entry is invoiced already: neither comes back.
        Assert.Equal(new[] { ("M365", 360.00m), ("-1 from 20 Dec", -20.00m), ("Starts on the 20th", 12.00m) },
            january.Lines!.Select(l => (l.ItemShortdescription!, l.NetAmount!.Value)));
        Assert.Equal(352.00m, january.Total);
        var state = JsonNode.Parse(simulator.Store.ToJson().ToJsonString())!;
        Assert.Equal(("2027-01-15T00:00:00", "2027-02-15T00:00:00"), (state["invoices"]![0]!["lastcreated"]!.GetValue<string>(), state["invoices"]![0]!["nextcreationdate"]!.GetValue<string>()));
        Assert.Equal(2, state["real_invoices"]!.AsArray().Count);
    }

    [Fact]
    public void A_line_whose_quantity_comes_from_subscriptions_bills_their_active_seats()
    {
        var active = simulator.Store.AddLicence(new SimLicence { ClientId = contoso, Name = "M365 (legacy)", Count = 7, IsActive = true });
        var cancelled = simulator.Store.AddLicence(new SimLicence { ClientId = contoso, Name = "M365 (cancelled)", Count = 5, IsActive = false });
        var line = Line("M365 by licence", 0, 10.00m);
        line.RecurringInvoiceQuantityType = 1;
        line.QuantityLicences = new List<SimLicenceLink> { new() { LicenceId = active.Id }, new() { LicenceId = cancelled.Id } };
        simulator.Store.AddRecurringInvoice(new SimRecurringInvoice { ClientId = contoso, Reference = "Legacy", Lines = new List<SimInvoiceLine> { line } });

        var invoice = Assert.Single(simulator.Store.GenerateInvoices(Dec15));

        // 7 active seats x 10.00 = 70.00; the inactive licence's 5 are not billed.
        Assert.Equal((7m, 70.00m), (invoice.Lines!.Single().QtyOrder!.Value, invoice.Total!.Value));
    }

    [Fact]
    public async Task Process_generates_on_the_simulated_date_skips_disabled_and_empty_ones_and_refuses_unknown_ids()
    {
        var billing = simulator.Store.AddRecurringInvoice(new SimRecurringInvoice { ClientId = contoso, Reference = "HaloSync", Lines = new List<SimInvoiceLine> { Line("M365", 10, 30.00m) } });
        var disabled = simulator.Store.AddRecurringInvoice(new SimRecurringInvoice { ClientId = fabrikam, Reference = "Old", Disabled = true, Lines = new List<SimInvoiceLine> { Line("M365", 3, 30.00m) } });
        var empty = simulator.Store.AddRecurringInvoice(new SimRecurringInvoice { ClientId = fabrikam, Reference = "Nothing active", Lines = new List<SimInvoiceLine> { Line("Backup", 1, 5m, inactive: true) } });

        var (status, generated) = await http.PostAsync("api/RecurringInvoice/process", $"[{billing.Id},{disabled.Id},{empty.Id}]");
        var (missing, _) = await http.PostAsync("api/RecurringInvoice/process", "[-99]");

        Assert.Equal((200, 404), (status, missing));
        var invoice = Assert.Single(generated!.AsArray())!;
        Assert.Equal(("2026-12-15T00:00:00", 300.00m, billing.Id), (invoice["invoice_date"]!.GetValue<string>(), invoice["total"]!.GetValue<decimal>(), invoice["recurring_invoice_id"]!.GetValue<int>()));
        Assert.Single(simulator.Store.Invoices);
    }

    [Fact]
    public async Task Invoices_are_listed_by_clients_recurring_invoice_and_invoice_dates_with_lines_on_request()
    {
        var first = simulator.Store.AddRecurringInvoice(new SimRecurringInvoice { ClientId = contoso, Lines = new List<SimInvoiceLine> { Line("M365", 10, 30.00m) } });
        var second = simulator.Store.AddRecurringInvoice(new SimRecurringInvoice { ClientId = fabrikam, Lines = new List<SimInvoiceLine> { Line("M365", 3, 30.00m) } });
        simulator.Store.GenerateInvoices(new DateTime(2026, 11, 15));
        simulator.Store.GenerateInvoices(Dec15);
        using var control = new HttpClient { BaseAddress = new Uri(simulator.BaseAddress, "_sim/") };
        using var generate = await control.PostAsync("invoices/generate", new StringContent($"{{\"date\":\"2027-01-15\",\"recurringInvoiceIds\":[{first.Id}]}}", Encoding.UTF8, "application/json"));
        Assert.Single(JsonNode.Parse(await generate.Content.ReadAsStringAsync())!.AsArray());

        var byClients = await Ids($"api/Invoice?client_ids={contoso},{fabrikam}&invoicedatestart=2026-12-01&invoicedateend=2027-01-15");
        var byRecurring = await Ids($"api/Invoice?recurringinvoice_id={second.Id}");
        var (_, withoutLines) = await http.GetAsync($"api/Invoice?client_id={contoso}");
        var (_, withLines) = await http.GetAsync($"api/Invoice?client_ids={contoso}&includelines=true&pageinate=true&page_size=1&page_no=2");

        // Five invoices: Contoso 15 Nov, Fabrikam 15 Nov, Contoso 15 Dec, Fabrikam 15 Dec, Contoso 15 Jan (ids 1 to 5).
        Assert.Equal(new[] { 3, 4, 5 }, byClients);
        Assert.Equal(new[] { 2, 4 }, byRecurring);
        Assert.Equal(3, withoutLines!["record_count"]!.GetValue<int>());
        Assert.All(withoutLines["invoices"]!.AsArray(), i => Assert.Null(i!["lines"]));
        Assert.Equal((3, 3, 300.00m), (withLines!["invoices"]![0]!["id"]!.GetValue<int>(), withLines["record_count"]!.GetValue<int>(),
            withLines["invoices"]![0]!["lines"]![0]!["net_amount"]!.GetValue<decimal>()));
    }

    private async Task<int[]> Ids(string path)
    {
        var (status, body) = await http.GetAsync(path);
        Assert.Equal(200, status);
        return body!["invoices"]!.AsArray().Select(i => i!["id"]!.GetValue<int>()).ToArray();
    }

    private static SimInvoiceLine Line(string text, decimal quantity, decimal price, DateTime? start = null, DateTime? end = null, bool inactive = false,
        List<SimProRata>? proRata = null)
        => new()
        {
            ItemId = 7, ItemShortdescription = text, QtyOrder = quantity, UnitPrice = price, UnitCost = price / 2, Startdate = start, Enddate = end,
            Isinactive = inactive, ProrataData = proRata,
        };
}
