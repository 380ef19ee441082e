using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class SimulatorRecurringInvoiceTests : IAsyncLifetime
{
    private HaloPsaSimulator simulator = null!;
    private RawHaloHttp http = null!;
    private SimClient contoso = null!;

    public async Task InitializeAsync()
    {
        simulator = await HaloPsaSimulator.StartAsync();
        http = await new RawHaloHttp(simulator).AuthorizeAsync();
        contoso = simulator.Store.AddClient(new SimClient { Name = "Contoso" });
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await simulator.DisposeAsync();
    }

    private string NewInvoiceJson() =>
        $"[{{\"client_id\":{contoso.Id},\"reference\":\"HaloSync\",\"period\":2,\"startdate\":\"2026-11-15T00:00:00\",\"schedule_date\":\"2026-11-15T00:00:00\"," +
        "\"lines\":[{\"_itemid\":7,\"item_shortdescription\":\"M365\",\"qty_order\":10,\"unit_price\":22.0,\"unit_cost\":18.5,\"startdate\":\"2026-11-20T00:00:00\"}," +
        "{\"item_id\":8,\"item_shortdescription\":\"Backup\",\"qty_order\":2,\"unit_price\":5,\"unit_cost\":3}]}]";

    [Fact]
    public async Task Creates_headers_with_negative_ids_and_lines_with_positive_ids()
    {
        var (status, invoice) = await http.PostAsync("api/RecurringInvoice", NewInvoiceJson());
        var (_, second) = await http.PostAsync("api/RecurringInvoice", $"[{{\"client_id\":{contoso.Id}}}]");

        Assert.Equal(200, status);
        Assert.Equal(-1, invoice!["id"]!.GetValue<int>());
        Assert.Equal(-2, second!["id"]!.GetValue<int>());
        var lines = invoice["lines"]!.AsArray();
        Assert.All(lines, l => Assert.True(l!["id"]!.GetValue<int>() > 0));
        Assert.All(lines, l => Assert.Equal(-1, l!["ihid"]!.GetValue<int>()));
        Assert.Equal(8, lines[1]!["_itemid"]!.GetValue<int>());
        Assert.Equal(230m, invoice["total"]!.GetValue<decimal>());
        Assert.Equal("Contoso", invoice["client_name"]!.GetValue<string>());
        Assert.True(invoice["is_recurring_invoice"]!.GetValue<bool>());
        Assert.Equal(HaloJson.NoDate, lines[1]!["enddate"]!.GetValue<string>());
    }

    [Fact]
    public async Task Lines_on_post_replace_the_whole_set()
    {
        var (_, invoice) = await http.PostAsync("api/RecurringInvoice", NewInvoiceJson());
        var firstLineId = invoice!["lines"]![0]!["id"]!.GetValue<int>();

        var (_, updated) = await http.PostAsync("api/RecurringInvoice",
            $"[{{\"id\":-1,\"lines\":[{{\"id\":{firstLineId},\"qty_order\":12}},{{\"item_shortdescription\":\"New line\",\"qty_order\":1}}]}}]");

        var lines = updated!["lines"]!.AsArray();
        Assert.Equal(2, lines.Count);
        Assert.Equal(12m, lines[0]!["qty_order"]!.GetValue<decimal>());
        Assert.Equal(22m, lines[0]!["unit_price"]!.GetValue<decimal>());
        Assert.Equal("New line", lines[1]!["item_shortdescription"]!.GetValue<string>());
        Assert.DoesNotContain(lines, l => l!["item_shortdescription"]!.GetValue<string>() == "Backup");
        var changes = simulator.Store.InvoiceChanges.Select(c => c.FieldName).ToList();
        Assert.Contains("qty_order", changes);
        Assert.Contains("Line added", changes);
        Assert.Contains("Line removed", changes);
    }

    [Fact]
    public async Task Resending_the_same_invoice_changes_nothing_and_writes_no_history()
    {
        var (_, invoice) = await http.PostAsync("api/RecurringInvoice", NewInvoiceJson());
        var historyBefore = simulator.Store.InvoiceChanges.Count;
        var lastModified = invoice!["last_modified"]!.GetValue<string>();
        simulator.Clock.Advance(System.TimeSpan.FromMinutes(10));

        var (status, again) = await http.PostAsync("api/RecurringInvoice", invoice.ToJsonString().Insert(0, "[") + "]");
        Assert.Equal(200, status);

        Assert.Equal(historyBefore, simulator.Store.InvoiceChanges.Count);
        Assert.Equal(lastModified, again!["last_modified"]!.GetValue<string>());
    }

    [Fact]
    public async Task Add_lines_only_adds()
    {
        await http.PostAsync("api/RecurringInvoice", NewInvoiceJson());

        var (_, updated) = await http.PostAsync("api/RecurringInvoice", "[{\"id\":-1,\"add_lines\":[{\"item_shortdescription\":\"Extra\",\"qty_order\":1}]}]");

        Assert.Equal(3, updated!["lines"]!.AsArray().Count);
    }

    [Fact]
    public async Task Pro_rata_entries_and_licence_links_get_ids_and_keep_unsent_fields()
    {
        var licence = simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "M365 licence", Count = 10 });
        var (_, invoice) = await http.PostAsync("api/RecurringInvoice", NewInvoiceJson());
        var lineId = invoice!["lines"]![0]!["id"]!.GetValue<int>();

        var (_, withProRata) = await http.PostAsync("api/RecurringInvoice",
            $"[{{\"id\":-1,\"lines\":[{{\"id\":{lineId},\"quantity_licences\":[{{\"licence_id\":{licence.Id},\"pro_rata\":0}}]," +
            "\"prorata_data\":[{\"date\":\"2026-11-20T00:00:00\",\"quantity\":2,\"unitprice\":18.3333,\"unitcost\":15.4167,\"shortdescription\":\"+2 seats\"}]}]}]");
        var line = withProRata!["lines"]!.AsArray().Single()!;
        var proRataId = line["prorata_data"]![0]!["id"]!.GetValue<int>();
        var (_, resent) = await http.PostAsync("api/RecurringInvoice",
            $"[{{\"id\":-1,\"lines\":[{{\"id\":{lineId},\"prorata_data\":[{{\"id\":{proRataId},\"quantity\":2}}]}}]}}]");

        Assert.Equal("M365 licence", line["quantity_licences"]![0]!["licence_name"]!.GetValue<string>());
        Assert.Equal(lineId, line["quantity_licences"]![0]!["invoice_line_id"]!.GetValue<int>());
        Assert.Equal(lineId, line["prorata_data"]![0]!["invoicedetailid"]!.GetValue<int>());
        Assert.Equal(-1, line["prorata_data"]![0]!["recurring_invoice_id"]!.GetValue<int>());
        Assert.Equal(18.3333m, resent!["lines"]![0]!["prorata_data"]![0]!["unitprice"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Lists_by_client_with_lines_only_when_asked()
    {
        var fabrikam = simulator.Store.AddClient(new SimClient { Name = "Fabrikam" });
        await http.PostAsync("api/RecurringInvoice", NewInvoiceJson());
        await http.PostAsync("api/RecurringInvoice", $"[{{\"client_id\":{fabrikam.Id}}}]");

        var (_, withoutLines) = await http.GetAsync($"api/RecurringInvoice?client_id={contoso.Id}");
        var (_, withLines) = await http.GetAsync($"api/RecurringInvoice?client_id={contoso.Id}&includelines=true");
        var (_, one) = await http.GetAsync("api/RecurringInvoice/-1");

        Assert.Equal(1, withoutLines!["record_count"]!.GetValue<int>());
        Assert.Null(withoutLines["invoices"]![0]!["lines"]);
        Assert.Equal(2, withLines!["invoices"]![0]!["lines"]!.AsArray().Count);
        Assert.Equal(2, one!["lines"]!.AsArray().Count);
    }

    [Fact]
    public async Task Updatelines_changes_single_lines_and_invoice_change_lists_history()
    {
        var (_, invoice) = await http.PostAsync("api/RecurringInvoice", NewInvoiceJson());
        var lineId = invoice!["lines"]![1]!["id"]!.GetValue<int>();

        await http.PostAsync("api/RecurringInvoice/updatelines", $"[{{\"id\":{lineId},\"isinactive\":true,\"enddate\":\"2026-12-01T00:00:00\"}}]");
        var (_, history) = await http.GetAsync($"api/InvoiceChange?invoice_id=-1&line_id={lineId}");

        var line = simulator.Store.RecurringInvoices.Single().Lines!.Single(l => l.Id == lineId);
        Assert.True(line.Isinactive);
        Assert.Equal(new System.DateTime(2026, 12, 1), line.Enddate);
        Assert.Equal(220m, simulator.Store.RecurringInvoices.Single().Total);
        Assert.Equal(new[] { "Line added", "isinactive", "enddate" }, history!["changes"]!.AsArray().Select(c => c!["field_name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_removes_a_recurring_invoice()
    {
        await http.PostAsync("api/RecurringInvoice", NewInvoiceJson());

        var (status, _) = await http.DeleteAsync("api/RecurringInvoice/-1");

        Assert.Equal(200, status);
        Assert.Empty(simulator.Store.RecurringInvoices);
    }
}
