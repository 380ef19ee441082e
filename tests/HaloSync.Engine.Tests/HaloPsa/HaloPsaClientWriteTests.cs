using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.HaloPsa;

public sealed class HaloPsaClientWriteTests : IAsyncLifetime
{
    private HaloTestBed bed = null!;
    private SimClient contoso = null!;
    private SimItem m365 = null!;

    public async Task InitializeAsync()
    {
        bed = await HaloTestBed.StartAsync();
        contoso = bed.Simulator.Store.AddClient(new SimClient { Name = "Contoso" });
        m365 = bed.Simulator.Store.AddItem(new SimItem { Name = "M365 Business Premium", Baseprice = 22m, Costprice = 18m });
    }

    public async Task DisposeAsync() => await bed.DisposeAsync();

    private HaloRecurringInvoice NewInvoice(int quantity) => new()
    {
        ClientId = contoso.Id,
        Reference = "HaloSync",
        Period = 2,
        StartDate = new DateTime(2026, 11, 15),
        Lines = new List<HaloInvoiceLine>
        {
            new()
            {
                ItemId = m365.Id, ShortDescription = "M365 Business Premium", Quantity = quantity, UnitPrice = 22m, UnitCost = 18.5m,
                StartDate = new DateTime(2026, 11, 20),
            },
        },
    };

    [Fact]
    public async Task A_save_whose_later_request_fails_after_an_earlier_one_saved_has_an_unknown_outcome()
    {
        using var client = await bed.ConnectAsync(o => o.SaveBatchSize = 2);
        var licences = new[] { contoso.Id!.Value, contoso.Id!.Value, 999_999 }.Select((clientId, i) => new HaloLicence
        {
            ClientId = clientId, Type = 1, Name = $"Sub {i}", Count = 1, Status = "Active", ItemId = m365.Id, ExternalKey = $"cumulus:{i}",
        }).ToList();

        var error = await Assert.ThrowsAsync<HaloSync.Engine.Http.HttpOutcomeUnknownException>(() => client.SaveLicencesAsync(licences));

        Assert.Contains("2 record(s) were saved by the first 1 request(s) of this save, then a later request failed", error.Message);
        Assert.IsAssignableFrom<HaloSync.Engine.HaloSyncException>(error.InnerException);
        Assert.Equal(2, bed.Simulator.Store.Licences.Count(l => l.Snowid?.StartsWith("cumulus:") == true));
    }

    [Fact]
    public async Task Saves_licences_in_batches_of_up_to_100()
    {
        using var client = await bed.ConnectAsync();
        var licences = Enumerable.Range(1, 150).Select(i => new HaloLicence
        {
            ClientId = contoso.Id, Type = 1, Name = $"Sub {i}", Count = i, BillingCycle = "Monthly", TermDuration = "Annual", Status = "Active",
            StartDate = new DateTime(2026, 11, 20), ItemId = m365.Id, Price = 22m, PurchasePrice = 18.5m, ExternalKey = $"cumulus:{i}",
        }).ToList();

        var saved = await client.SaveLicencesAsync(licences);

        var posts = bed.Simulator.Requests.Matching("/api/SoftwareLicence", "POST");
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.Equal("?returnall=true", p.Query));
        Assert.Equal(150, saved.Count);
        Assert.All(saved, l => Assert.True(l.Id > 0));
        Assert.Equal("cumulus:150", (await client.GetLicenceAsync(saved[149].Id)).ExternalKey);
        Assert.Equal(150, bed.Simulator.Store.Licences.Count);
    }

    [Fact]
    public async Task An_update_sends_only_the_fields_that_are_set()
    {
        var licence = bed.Simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "M365", Count = 10, Price = 22m });
        using var client = await bed.ConnectAsync();

        var saved = await client.SaveLicencesAsync(new[] { new HaloLicence { Id = licence.Id!.Value, Count = 12 } });

        Assert.Equal($"[{{\"id\":{licence.Id},\"count\":12}}]", bed.Simulator.Requests.Matching("/api/SoftwareLicence", "POST").Single().Body);
        Assert.Equal(12, saved.Single().Count);
        Assert.Equal(22m, saved.Single().Price);
    }

    [Fact]
    public async Task Cancelling_a_subscription_sets_it_inactive_with_an_end_date()
    {
        var licence = bed.Simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "M365", Count = 10 });
        using var client = await bed.ConnectAsync();

        await client.SaveLicencesAsync(new[]
        {
            new HaloLicence { Id = licence.Id!.Value, Count = 0, Status = "Cancelled", IsActive = false, EndDate = new DateTime(2026, 11, 20) },
        });

        var stored = bed.Simulator.Store.Licences.Single();
        Assert.False(stored.IsActive);
        Assert.Equal(new DateTime(2026, 11, 20), stored.EndDate);
        Assert.Empty(await client.GetLicencesAsync(contoso.Id));
    }

    [Fact]
    public async Task Saves_a_recurring_invoice_with_its_lines_in_one_request()
    {
        using var client = await bed.ConnectAsync();

        var saved = await client.SaveRecurringInvoiceAsync(NewInvoice(10));

        Assert.Single(bed.Simulator.Requests.Matching("/api/RecurringInvoice", "POST"));
        Assert.True(saved.Id < 0);
        var line = saved.Lines!.Single();
        Assert.True(line.Id > 0);
        Assert.Equal(saved.Id, line.InvoiceId);
        Assert.Equal(220m, saved.Total);
        Assert.Equal(new DateTime(2026, 11, 20), line.StartDate);
    }

    [Fact]
    public async Task Changing_one_line_keeps_the_others_and_records_only_that_change()
    {
        using var client = await bed.ConnectAsync();
        var invoice = NewInvoice(10);
        invoice.Lines!.Add(new HaloInvoiceLine { ItemId = m365.Id, ShortDescription = "Second", Quantity = 1, UnitPrice = 5m, UnitCost = 3m });
        var saved = await client.SaveRecurringInvoiceAsync(invoice);
        var historyBefore = bed.Simulator.Store.InvoiceChanges.Count;

        saved.Lines![0].Quantity = 12;
        saved.Lines[0].ProRata = new List<HaloProRata>
        {
            new() { Date = new DateTime(2026, 11, 20), Quantity = 2, UnitPrice = 18.3333m, UnitCost = 15.4167m, ShortDescription = "+2 seats, 25 of 30 days" },
        };
        var updated = await client.SaveRecurringInvoiceAsync(saved);

        Assert.Equal(2, updated.Lines!.Count);
        Assert.Equal(12m, updated.Lines[0].Quantity);
        Assert.Equal(18.3333m, updated.Lines[0].ProRata!.Single().UnitPrice);
        Assert.Equal(1m, updated.Lines[1].Quantity);
        var newRows = bed.Simulator.Store.InvoiceChanges.Skip(historyBefore).Select(c => c.FieldName).ToList();
        Assert.Equal(new[] { "qty_order", "prorata_data" }, newRows);
    }

    [Fact]
    public async Task Saving_what_was_read_back_changes_nothing()
    {
        using var client = await bed.ConnectAsync();
        var created = await client.SaveRecurringInvoiceAsync(NewInvoice(10));
        var licences = await client.SaveLicencesAsync(new[] { new HaloLicence { ClientId = contoso.Id, Name = "M365", Count = 10, Price = 22m } });
        var invoiceHistory = bed.Simulator.Store.InvoiceChanges.Count;
        var licenceHistory = bed.Simulator.Store.LicenceChanges.Count;

        await client.SaveRecurringInvoiceAsync(await client.GetRecurringInvoiceAsync(created.Id));
        await client.SaveLicencesAsync(await client.GetLicencesAsync(contoso.Id));

        Assert.Equal(invoiceHistory, bed.Simulator.Store.InvoiceChanges.Count);
        Assert.Equal(licenceHistory, bed.Simulator.Store.LicenceChanges.Count);
        Assert.Single(licences);
    }

    [Fact]
    public async Task Leaving_a_line_out_deletes_it()
    {
        using var client = await bed.ConnectAsync();
        var saved = await client.SaveRecurringInvoiceAsync(NewInvoice(10));

        saved.Lines!.Clear();
        var updated = await client.SaveRecurringInvoiceAsync(saved);

        Assert.Empty(updated.Lines!);
    }

    [Fact]
    public async Task Updates_item_costs_in_batches()
    {
        using var client = await bed.ConnectAsync();

        var saved = await client.SaveItemsAsync(new[] { new HaloItem { Id = m365.Id!.Value, CostPrice = 18.75m, UpdateRecurringInvoiceCost = true } });

        Assert.Equal(18.75m, saved.Single().CostPrice);
        Assert.Equal(18.75m, bed.Simulator.Store.Items.Single().Costprice);
        Assert.Equal(22m, bed.Simulator.Store.Items.Single().Baseprice);
    }

    [Fact]
    public async Task Deletes_licences_and_recurring_invoices()
    {
        var licence = bed.Simulator.Store.AddLicence(new SimLicence { ClientId = contoso.Id, Name = "M365" });
        using var client = await bed.ConnectAsync();
        var invoice = await client.SaveRecurringInvoiceAsync(NewInvoice(1));

        await client.DeleteLicenceAsync(licence.Id!.Value);
        await client.DeleteRecurringInvoiceAsync(invoice.Id);

        Assert.Empty(bed.Simulator.Store.Licences);
        Assert.Empty(bed.Simulator.Store.RecurringInvoices);
    }

    [Fact]
    public async Task A_missing_edit_permission_is_named_when_writing()
    {
        bed.Simulator.RevokePermission(HaloPsaSimulator.DefaultClientId, "edit:invoices");
        using var client = await bed.ConnectAsync();

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.SaveRecurringInvoiceAsync(NewInvoice(1)));

        Assert.Equal("HaloPsaPermissionMissing", error.ErrorId);
        Assert.Contains("'Edit: invoices' (edit:invoices) to change recurring invoices", error.Message);
        Assert.Contains("Invoice Access Level: Read, Create, Modify, and Delete", error.Message);
    }

    [Fact]
    public async Task A_rejected_record_says_what_halo_said()
    {
        using var client = await bed.ConnectAsync();

        var error = await Assert.ThrowsAsync<HaloSyncException>(() => client.SaveLicencesAsync(new[] { new HaloLicence { Name = "No client" } }));

        Assert.Equal("HttpBadRequest", error.ErrorId);
        Assert.Contains("HaloPSA said: Client ID is required.", error.Message);
    }
}
