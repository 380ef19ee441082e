using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class HaloPsaClientReadTests : IAsyncLifetime
{
    private HaloTestBed bed = null!;
    private SimClient contoso = null!;

    public async Task InitializeAsync()
    {
        bed = await HaloTestBed.StartAsync();
        contoso = bed.Simulator.Store.AddClient(new SimClient { Name = "Contoso" });
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private async Task<HaloPsaClient> ConnectAndClearLogAsync(Action<HaloPsaClientOptions>? configure = null)
    {
        var client = await bed.ConnectAsync(configure);
        bed.Simulator.Requests.Clear();
        return client;
    }

    [Fact]
    public async Task Reads_every_page_across_the_server_cap_with_as_few_requests_as_possible()
    {
        for (var i = 1; i <= 250; i++)
        {
            bed.Simulator.Store.AddItem(new SimItem { Name = $"Item {i}", Baseprice = i, Costprice = i / 2m });
        }

        using var client = await ConnectAndClearLogAsync();

        var items = await client.GetItemsAsync();

        Assert.Equal(250, items.Count);
        Assert.Equal(Enumerable.Range(1, 250), items.Select(i => i.Id));
        Assert.Equal(3, bed.Simulator.Requests.Matching("/api/Item").Count);
        Assert.Equal(0.5m, items[0].CostPrice);
    }

    [Fact]
    public async Task Reads_the_invoices_of_many_clients_by_date_one_paged_read_per_hundred_clients()
    {
        bed.Simulator.Options.MaxPageSizes["Invoice"] = 40;
        var clients = Enumerable.Range(1, 150).Select(i => bed.Simulator.Store.AddClient(new SimClient { Name = $"Client {i}" }).Id!.Value).ToList();
        foreach (var client in clients)
        {
            bed.Simulator.Store.AddRecurringInvoice(new SimRecurringInvoice { ClientId = client, Lines = new() { new SimInvoiceLine { ItemShortdescription = "M365", QtyOrder = 2, UnitPrice = 30m } } });
        }

        bed.Simulator.Store.GenerateInvoices(new DateTime(2026, 11, 15));
        bed.Simulator.Store.GenerateInvoices(new DateTime(2026, 12, 15));
        using var halo = await ConnectAndClearLogAsync();

        var invoices = await halo.GetInvoicesAsync(clients, new DateTime(2026, 12, 1), new DateTime(2026, 12, 31));

        // 150 December invoices: 100 clients (3 pages of at most 40) then 50 clients (2 pages).
        Assert.Equal(150, invoices.Count);
        Assert.All(invoices, i => Assert.Equal((new DateTime(2026, 12, 15), 60.00m), (i.InvoiceDate!.Value, i.Lines!.Single().Quantity!.Value * i.Lines!.Single().UnitPrice!.Value)));
        Assert.All(invoices, i => Assert.Equal(i.RecurringInvoiceId, bed.Simulator.Store.RecurringInvoices.Single(r => r.ClientId == i.ClientId).Id));
        var reads = bed.Simulator.Requests.Matching("/api/Invoice");
        Assert.Equal(5, reads.Count);
        Assert.All(reads, r => Assert.Contains("invoicedatestart=2026-12-01&invoicedateend=2026-12-31&includelines=true", r.Query));
    }

    [Fact]
    public async Task A_tenant_that_refuses_the_invoice_date_filters_is_read_without_them_and_the_dates_checked_here()
    {
        var clients = Enumerable.Range(1, 3).Select(i => bed.Simulator.Store.AddClient(new SimClient { Name = $"Client {i}" }).Id!.Value).ToList();
        foreach (var client in clients)
        {
            bed.Simulator.Store.AddRecurringInvoice(new SimRecurringInvoice { ClientId = client, Lines = new() { new SimInvoiceLine { ItemShortdescription = "M365", QtyOrder = 2, UnitPrice = 30m } } });
        }

        bed.Simulator.Store.GenerateInvoices(new DateTime(2026, 11, 15));
        bed.Simulator.Store.GenerateInvoices(new DateTime(2026, 12, 15));
        using var halo = await ConnectAndClearLogAsync();
        // Halo's OpenAPI types invoicedatestart and invoicedateend as booleans: a strict tenant refuses a date there.
        bed.Simulator.Faults.Enqueue(FaultRule.Status(400, "{\"message\":\"invoicedatestart must be a boolean\"}", pathContains: "/api/Invoice"));

        var invoices = await halo.GetInvoicesAsync(clients, new DateTime(2026, 12, 1), new DateTime(2026, 12, 31));

        Assert.Equal(3, invoices.Count);
        Assert.All(invoices, i => Assert.Equal(new DateTime(2026, 12, 15), i.InvoiceDate!.Value));
        var reads = bed.Simulator.Requests.Matching("/api/Invoice");
        Assert.Equal(2, reads.Count);
        Assert.DoesNotContain("invoicedatestart", reads[1].Query);
    }

    /// <summary>
    /// Pages are read by number: a licence deleted after page 1 was read moves the first row of page 2 onto page 1, and
    /// a plain read would miss it (and a sync would create it again). The count each page carries shows the change, and
    /// the list is read again.
    /// </summary>
    [Fact]
    public async Task A_record_deleted_while_the_pages_are_read_does_not_hide_another()
    {
        var licences = Enumerable.Range(1, 150).Select(i => bed.Simulator.Store.AddLicence(new SimLicence { Name = $"Licence {i}", ClientId = contoso.Id, Count = 1 }).Id!.Value).ToList();
        using var admin = await bed.ConnectAsync();
        var (armed, deleted) = (false, false); // armed once connected: connecting reads a page of licences too
        using var handler = new AfterResponseHandler(response =>
        {
            if (armed && !deleted && response.RequestMessage!.RequestUri!.Query.Contains("page_no=1") && response.RequestMessage.RequestUri.AbsolutePath.EndsWith("/SoftwareLicence"))
            {
                deleted = true;
                admin.DeleteLicenceAsync(licences[0]).GetAwaiter().GetResult();
            }
        });
        using var client = await bed.ConnectAsync(handler: handler);
        bed.Simulator.Requests.Clear();
        armed = true;

        var read = await client.GetLicencesAsync(contoso.Id);

        Assert.Equal(licences.Skip(1), read.Select(l => l.Id).OrderBy(id => id));
        Assert.Equal(4, bed.Simulator.Requests.Matching("/api/SoftwareLicence").Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_list_that_keeps_changing_while_it_is_read_fails_with_a_clear_error_instead_of_a_gap()
    {
        var licences = Enumerable.Range(1, 150).Select(i => bed.Simulator.Store.AddLicence(new SimLicence { Name = $"Licence {i}", ClientId = contoso.Id, Count = 1 }).Id!.Value).ToList();
        using var admin = await bed.ConnectAsync();
        var (armed, next) = (false, 0);
        using var handler = new AfterResponseHandler(response =>
        {
            if (armed && response.RequestMessage!.RequestUri!.Query.Contains("page_no=1") && response.RequestMessage.RequestUri.AbsolutePath.EndsWith("/SoftwareLicence"))
            {
                admin.DeleteLicenceAsync(licences[next++]).GetAwaiter().GetResult();
            }
        });
        using var client = await bed.ConnectAsync(handler: handler);
        armed = true;

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.GetLicencesAsync(contoso.Id));

        Assert.Equal("HaloPsaListChanging", error.ErrorId);
        Assert.Equal(HaloPsaClient.ListReadAttempts, next);
        Assert.StartsWith("HaloPSA's SoftwareLicence list changed while it was read, 3 times running (150, 149, 148 records at the start of each read)", error.Message);
    }

    [Fact]
    public async Task Keeps_paging_when_the_server_returns_fewer_rows_than_asked_for()
    {
        bed.Simulator.Options.MaxPageSizes["Item"] = 40;
        for (var i = 1; i <= 250; i++)
        {
            bed.Simulator.Store.AddItem(new SimItem { Name = $"Item {i}" });
        }

        using var client = await ConnectAndClearLogAsync(o => o.PageSize = 1000);

        var items = await client.GetItemsAsync();

        Assert.Equal(250, items.Count);
        Assert.Equal(7, bed.Simulator.Requests.Matching("/api/Item").Count);
        Assert.All(bed.Simulator.Requests.Matching("/api/Item"), r => Assert.Contains("page_size=1000", r.Query));
    }

    [Fact]
    public async Task A_list_without_a_record_count_is_read_page_after_page_until_one_brings_nothing_new()
    {
        for (var i = 1; i <= 249; i++)
        {
            bed.Simulator.Store.AddItem(new SimItem { Name = $"Item {i}" });
        }

        bed.Simulator.Options.ListsAsBareArrays = true;
        bed.Simulator.Options.MaxPageSizes["Item"] = 40; // capped below the 100 asked for: a short page is no end
        using var client = await ConnectAndClearLogAsync();

        var items = await client.GetItemsAsync();

        Assert.Equal(Enumerable.Range(1, 249), items.Select(i => i.Id));
        Assert.Equal(8, bed.Simulator.Requests.Matching("/api/Item").Count); // 7 pages of up to 40, then an empty one
    }

    [Fact]
    public async Task A_list_whose_order_moved_while_it_was_read_is_read_again_rather_than_miss_a_record()
    {
        for (var i = 1; i <= 3; i++)
        {
            bed.Simulator.Store.AddItem(new SimItem { Name = $"Item {i}" });
        }

        // Page 2 of the first read brings item 1 again (the server's order moved), so item 2 is on no page of that read.
        using var client = await bed.ConnectAsync(o => o.PageSize = 1, handler: new OnceOnPage("/api/Item", "page_no=2", "{\"record_count\":3,\"items\":[{\"id\":1,\"name\":\"Item 1\"}]}"));

        var items = await client.GetItemsAsync();

        Assert.Equal(new[] { 1, 2, 3 }, items.Select(i => i.Id));
        Assert.Contains(bed.Verbose.Lines, l => l.Contains("came on two pages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stops_on_an_empty_page_even_if_record_count_promised_more()
    {
        bed.Simulator.Store.AddClient(new SimClient { Name = "Fabrikam" });
        using var client = await ConnectAndClearLogAsync(o => o.PageSize = 1);
        bed.Simulator.Faults.Enqueue(FaultRule.Status(200, "{\"record_count\":5,\"clients\":[]}", pathContains: "/api/Client"));

        var clients = await client.GetClientsAsync();

        Assert.Empty(clients);
        Assert.Single(bed.Simulator.Requests.Matching("/api/Client"));
    }

    [Fact]
    public async Task Reads_clients_with_inactive_and_search_filters()
    {
        bed.Simulator.Store.AddClient(new SimClient { Name = "Old Contoso Branch", Inactive = true });
        bed.Simulator.Store.AddClient(new SimClient { Name = "Fabrikam" });
        using var client = await ConnectAndClearLogAsync();

        var active = await client.GetClientsAsync();
        var contosos = await client.GetClientsAsync(includeInactive: true, search: "contoso");

        Assert.Equal(new[] { "Contoso", "Fabrikam" }, active.Select(c => c.Name));
        Assert.Equal(2, contosos.Count);
        Assert.True(contosos.Single(c => c.Name!.StartsWith("Old")).Inactive);
    }

    [Fact]
    public async Task Reads_items_with_supplier_skus()
    {
        var seeded = bed.Simulator.Store.AddItem(new SimItem
        {
            Name = "M365 Business Premium", Baseprice = 22.00m, Costprice = 18.50m, SupplierPartCode = "CFQ7TTC0LCHC:0002",
            ItemSuppliers = new() { new SimItemSupplier { SupplierId = 3, SupplierName = "Sherweb", SupplierSku = "SW-M365-BP", Cost = 18.1m } },
        });
        using var client = await ConnectAndClearLogAsync();

        var listed = (await client.GetItemsAsync()).Single();
        var one = await client.GetItemAsync(seeded.Id!.Value);

        Assert.Equal("CFQ7TTC0LCHC:0002", listed.SupplierPartCode);
        Assert.Equal("SW-M365-BP", listed.ItemSuppliers!.Single().SupplierSku);
        Assert.Equal(18.1m, one.ItemSuppliers!.Single().Cost);
        Assert.Equal(22.00m, one.BasePrice);
    }

    [Fact]
    public async Task Reads_licences_by_client_including_inactive_ones_on_request()
    {
        var fabrikam = bed.Simulator.Store.AddClient(new SimClient { Name = "Fabrikam" });
        bed.Simulator.Store.AddLicence(new SimLicence
        {
            ClientId = contoso.Id, Name = "M365", Count = 12, BillingCycle = "Monthly", TermDuration = "Annual", Price = 22m,
            PurchasePrice = 18.5m, ItemId = 4, Snowid = "cumulus:sub-123", StartDate = new DateTime(2025, 3, 1),
        });
        bed.Simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "Cancelled", IsActive = false });
        bed.Simulator.Store.AddLicence(new SimLicence { ClientId = fabrikam.Id, Name = "Other" });
        using var client = await ConnectAndClearLogAsync();

        var active = await client.GetLicencesAsync(contoso.Id);
        var all = await client.GetLicencesAsync(contoso.Id, includeInactive: true);
        var everyone = await client.GetLicencesAsync();
        var one = await client.GetLicenceAsync(active.Single().Id);

        var licence = active.Single();
        Assert.Equal(12, licence.Count);
        Assert.Equal("Annual", licence.TermDuration);
        Assert.Equal(18.5m, licence.PurchasePrice);
        Assert.Equal(4, licence.ItemId);
        Assert.Equal("cumulus:sub-123", licence.ExternalKey);
        Assert.Equal(new DateTime(2025, 3, 1), licence.StartDate);
        Assert.Null(licence.EndDate);
        Assert.Equal("Contoso", one.ClientName);
        Assert.Equal(2, all.Count);
        Assert.Equal(2, everyone.Count);
    }

    [Fact]
    public async Task Reads_recurring_invoices_with_lines_and_pro_rata()
    {
        bed.Simulator.Store.AddRecurringInvoice(new SimRecurringInvoice
        {
            ClientId = contoso.Id, Reference = "HaloSync", Period = 2,
            Lines = new()
            {
                new SimInvoiceLine
                {
                    ItemId = 4, ItemShortdescription = "M365", QtyOrder = 12, UnitPrice = 22m, UnitCost = 18.5m, Startdate = new DateTime(2026, 11, 20),
                    QuantityLicences = new() { new SimLicenceLink { LicenceId = 9 } },
                    ProrataData = new() { new SimProRata { Date = new DateTime(2026, 11, 20), Quantity = -2, Unitprice = 14.6667m, Unitcost = 12.3333m } },
                },
            },
        });
        using var client = await ConnectAndClearLogAsync();

        var invoice = (await client.GetRecurringInvoicesAsync(contoso.Id)).Single();
        var one = await client.GetRecurringInvoiceAsync(invoice.Id);

        Assert.Equal(-1, invoice.Id);
        Assert.Contains("includelines=true", bed.Simulator.Requests.Matching("/api/RecurringInvoice")[0].Query);
        var line = invoice.Lines!.Single();
        Assert.Equal(12m, line.Quantity);
        Assert.Equal(4, line.ItemId);
        Assert.Equal(9, line.LicenceLinks!.Single().LicenceId);
        Assert.Equal(-2m, line.ProRata!.Single().Quantity);
        Assert.Equal(14.6667m, line.ProRata!.Single().UnitPrice);
        Assert.Null(line.EndDate);
        Assert.Equal(264m, one.Total);
        Assert.Equal("Contoso", one.ClientName);
    }

    [Fact]
    public async Task An_unknown_id_is_not_found()
    {
        using var client = await ConnectAndClearLogAsync();

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.GetRecurringInvoiceAsync(-42));

        Assert.Equal("HttpNotFound", error.ErrorId);
        Assert.Equal(HaloSyncErrorKind.NotFound, error.Kind);
    }
}

/// <summary>Answers the first GET whose address has both texts with the body given, as the server would have; the rest reach the simulator.</summary>
internal sealed class OnceOnPage : System.Net.Http.DelegatingHandler
{
    private readonly string path;
    private readonly string query;
    private readonly string body;
    private int answered;

    public OnceOnPage(string path, string query, string body) : base(new System.Net.Http.HttpClientHandler())
        => (this.path, this.query, this.body) = (path, query, body);

    protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        if (request.Method == System.Net.Http.HttpMethod.Get && uri.AbsolutePath.Contains(path) && uri.Query.Contains(query) && Interlocked.Exchange(ref answered, 1) == 0)
        {
            return Task.FromResult(new System.Net.Http.HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                RequestMessage = request,
                Content = new System.Net.Http.StringContent(body, System.Text.Encoding.UTF8, "application/json"),
            });
        }

        return base.SendAsync(request, cancellationToken);
    }
}
