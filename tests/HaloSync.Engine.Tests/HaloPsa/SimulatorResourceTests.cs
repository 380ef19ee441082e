using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class SimulatorResourceTests : IAsyncLifetime
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

    [Fact]
    public async Task Lists_are_paged_with_a_cap_and_a_true_record_count()
    {
        for (var i = 0; i < 250; i++)
        {
            simulator.Store.AddItem(new SimItem { Name = $"Item {i}" });
        }

        var (_, first) = await http.GetAsync("api/item?pageinate=true&page_size=1000&page_no=1");
        var (_, third) = await http.GetAsync("api/ITEM?pageinate=true&page_size=1000&page_no=3");
        var (_, small) = await http.GetAsync("api/Item?pageinate=true&page_size=20&page_no=2");

        Assert.Equal(250, first!["record_count"]!.GetValue<int>());
        Assert.Equal(100, first["items"]!.AsArray().Count);
        Assert.Equal(50, third!["items"]!.AsArray().Count);
        Assert.Equal("Item 20", small!["items"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_page_cap_is_configurable_per_endpoint()
    {
        simulator.Options.MaxPageSizes["Client"] = 2;
        simulator.Store.AddClient(new SimClient { Name = "Fabrikam" });
        simulator.Store.AddClient(new SimClient { Name = "Northwind" });

        var (_, page) = await http.GetAsync("api/Client?pageinate=true&page_size=50&page_no=1");

        Assert.Equal(3, page!["record_count"]!.GetValue<int>());
        Assert.Equal(2, page["clients"]!.AsArray().Count);
    }

    [Fact]
    public async Task Client_list_hides_inactive_clients_unless_asked_and_searches_by_name()
    {
        simulator.Store.AddClient(new SimClient { Name = "Old Customer", Inactive = true });

        var (_, active) = await http.GetAsync("api/Client");
        var (_, all) = await http.GetAsync("api/Client?includeinactive=true");
        var (_, found) = await http.GetAsync("api/Client?search=conto&includeinactive=true");

        Assert.Equal(1, active!["record_count"]!.GetValue<int>());
        Assert.Equal(2, all!["clients"]!.AsArray().Count);
        Assert.Equal("Contoso", found!["clients"]!.AsArray().Single()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Item_suppliers_come_only_with_includedetails()
    {
        var item = simulator.Store.AddItem(new SimItem
        {
            Name = "M365 BP", Baseprice = 22m, Costprice = 18.5m, SupplierPartCode = "CFQ7TTC0LCHC:0002",
            ItemSuppliers = new() { new SimItemSupplier { SupplierName = "Sherweb", SupplierSku = "SW-1" } },
        });

        var (_, list) = await http.GetAsync("api/Item");
        var (_, detailed) = await http.GetAsync($"api/Item/{item.Id}?includedetails=true");

        Assert.Null(list!["items"]![0]!["item_suppliers"]);
        Assert.Equal("SW-1", detailed!["item_suppliers"]![0]!["supplier_sku"]!.GetValue<string>());
        Assert.Equal(item.Id, detailed["item_suppliers"]![0]!["item_id"]!.GetValue<int>());
        Assert.Equal(22m, detailed["baseprice"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Post_upserts_by_id_returns_one_object_or_all_with_returnall()
    {
        var (_, single) = await http.PostAsync("api/SoftwareLicence", $"[{{\"client_id\":{contoso.Id},\"name\":\"A\"}},{{\"client_id\":{contoso.Id},\"name\":\"B\"}}]");
        var (_, all) = await http.PostAsync("api/SoftwareLicence?returnall=true", $"[{{\"client_id\":{contoso.Id},\"name\":\"C\"}},{{\"id\":1,\"count\":4}}]");

        Assert.Equal("B", single!["name"]!.GetValue<string>());
        Assert.Equal(new[] { "C", "A" }, all!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        Assert.Equal(4, simulator.Store.Licences.Single(l => l.Id == 1).Count);
        Assert.Equal(3, simulator.Store.Licences.Count);
    }

    [Fact]
    public async Task Partial_updates_change_only_the_fields_sent()
    {
        var licence = simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "M365", Count = 10, Price = 22m, BillingCycle = "Monthly" });

        var (status, saved) = await http.PostAsync("api/SoftwareLicence", $"[{{\"id\":{licence.Id},\"count\":12}}]");

        Assert.Equal(200, status);
        Assert.Equal(12, saved!["count"]!.GetValue<int>());
        Assert.Equal("Monthly", saved["billing_cycle"]!.GetValue<string>());
        Assert.Equal(22m, saved["price"]!.GetValue<decimal>());
        Assert.Equal("Contoso", saved["client_name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Writes_history_for_every_real_change_and_none_for_a_no_op()
    {
        var (_, created) = await http.PostAsync("api/SoftwareLicence", $"[{{\"client_id\":{contoso.Id},\"name\":\"M365\",\"count\":10}}]");
        var id = created!["id"]!.GetValue<int>();
        await http.PostAsync("api/SoftwareLicence", $"[{{\"id\":{id},\"count\":12,\"name\":\"M365\"}}]");
        await http.PostAsync("api/SoftwareLicence", $"[{{\"id\":{id},\"count\":12.0,\"name\":\"M365\"}}]");

        var (_, history) = await http.GetAsync($"api/LicenceChange?licence_id={id}");
        var rows = history!["changes"]!.AsArray();

        Assert.Equal(2, history["record_count"]!.GetValue<int>());
        Assert.Equal("created", rows[0]!["field_name"]!.GetValue<string>());
        Assert.Equal("count", rows[1]!["field_name"]!.GetValue<string>());
        Assert.Equal("10", rows[1]!["old_value"]!.GetValue<string>());
        Assert.Equal("12", rows[1]!["new_value"]!.GetValue<string>());
        Assert.Equal("API (HaloSync)", rows[1]!["who"]!.GetValue<string>());
    }

    [Fact]
    public async Task Dates_come_back_in_utc_without_offset_and_unset_dates_as_the_sentinel()
    {
        var (_, saved) = await http.PostAsync("api/SoftwareLicence",
            $"[{{\"client_id\":{contoso.Id},\"name\":\"M365\",\"start_date\":\"2025-03-01T01:00:00+01:00\"}}]");

        Assert.Equal("2025-03-01T00:00:00", saved!["start_date"]!.GetValue<string>());
        Assert.Equal(HaloJson.NoDate, saved["end_date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Licence_list_filters_by_client_and_hides_inactive_unless_asked()
    {
        var fabrikam = simulator.Store.AddClient(new SimClient { Name = "Fabrikam" });
        simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "Active one" });
        simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "Cancelled one", IsActive = false, Status = "Cancelled" });
        simulator.Store.AddLicence(new SimLicence { ClientId = fabrikam.Id, Name = "Other client" });

        var (_, active) = await http.GetAsync($"api/softwarelicence?client_id={contoso.Id}");
        var (_, all) = await http.GetAsync($"api/SoftwareLicence?client_id={contoso.Id}&includeinactive=true");
        var (_, searched) = await http.GetAsync("api/SoftwareLicence?search=other");

        Assert.Equal("Active one", active!["licences"]!.AsArray().Single()!["name"]!.GetValue<string>());
        Assert.Equal(2, all!["record_count"]!.GetValue<int>());
        Assert.Equal("Other client", searched!["licences"]!.AsArray().Single()!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_removes_the_record_and_unknown_ids_are_404()
    {
        var licence = simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "M365" });

        var (deleteStatus, deleted) = await http.DeleteAsync($"api/SoftwareLicence/{licence.Id}");
        var (getStatus, _) = await http.GetAsync($"api/SoftwareLicence/{licence.Id}");
        var (updateStatus, _) = await http.PostAsync("api/SoftwareLicence", "[{\"id\":999,\"count\":1}]");

        Assert.Equal(200, deleteStatus);
        Assert.Equal(licence.Id, deleted!["id"]!.GetValue<int>());
        Assert.Equal(404, getStatus);
        Assert.Equal(404, updateStatus);
        Assert.Empty(simulator.Store.Licences);
    }

    [Fact]
    public async Task A_batch_with_one_bad_record_writes_nothing()
    {
        var (status, _) = await http.PostAsync("api/SoftwareLicence", $"[{{\"client_id\":{contoso.Id},\"name\":\"Good\"}},{{\"id\":999,\"count\":1}}]");

        Assert.Equal(404, status);
        Assert.Empty(simulator.Store.Licences);
    }

    [Fact]
    public async Task Validation_errors_use_halos_exception_shape()
    {
        var (status, body) = await http.PostAsync("api/SoftwareLicence", "[{\"name\":\"No client\"}]");
        var (objectStatus, _) = await http.PostAsync("api/SoftwareLicence", "{\"name\":\"not an array\"}");

        Assert.Equal(400, status);
        Assert.Equal("Halo.Exceptions.HaloValidationException", body!["ClassName"]!.GetValue<string>());
        Assert.Equal("Client ID is required", body["Message"]!.GetValue<string>());
        Assert.Equal(400, objectStatus);
    }

    [Fact]
    public async Task Item_cost_updates_can_flow_into_recurring_invoice_lines()
    {
        var item = simulator.Store.AddItem(new SimItem { Name = "M365", Costprice = 18m, Baseprice = 22m });
        var invoice = simulator.Store.AddRecurringInvoice(new SimRecurringInvoice
        {
            ClientId = contoso.Id,
            Lines = new() { new SimInvoiceLine { ItemId = item.Id, QtyOrder = 3, UnitPrice = 22m, UnitCost = 18m } },
        });

        await http.PostAsync("api/Item", $"[{{\"id\":{item.Id},\"costprice\":19.25,\"update_recurring_invoice_cost\":true}}]");

        Assert.Equal(19.25m, simulator.Store.Items.Single().Costprice);
        Assert.Equal(19.25m, simulator.Store.RecurringInvoices.Single(i => i.Id == invoice.Id).Lines!.Single().UnitCost);
        Assert.Contains(simulator.Store.InvoiceChanges, c => c.FieldName == "unit_cost" && c.NewValue == "19.25");
    }
}
