using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using HaloSync.Module.Tests.Support;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Module.Tests;

/// <summary>
/// Invoke-HaloSync end to end against both simulators, over two billing periods (invoice day 15):
/// first sync on 2026-11-16, Contoso 10 -> 13 on 2026-11-20, Fabrikam cancelled on 2026-12-16.
/// Sherweb sample data: Business Premium list 22.00, performance tier 10% (net 19.80, so cost 22.00);
/// the HaloPSA item sells at 30.00. Every expected amount below is computed by hand.
/// </summary>
public sealed class SyncCmdletTests : IAsyncLifetime
{
    private static readonly DateTime FirstSync = new(2026, 11, 16);
    private readonly ModuleSession session = new();
    private Support.Simulators sims = null!;

    public async Task InitializeAsync()
    {
        sims = await Support.Simulators.StartAsync(FirstSync);
        sims.Halo.Store.AddClient(new SimClient { Name = "Contoso Ltd" });
        sims.Halo.Store.AddClient(new SimClient { Name = "Fabrikam, Inc." });
        sims.Halo.Store.AddItem(new SimItem { Name = "M365 Business Premium", Baseprice = 30.00m, Costprice = 0m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku });
        sims.Halo.Store.AddItem(new SimItem { Name = "Exchange Plan 1", Baseprice = 6.00m, Costprice = 0m, SupplierPartCode = SherwebSampleData.ExchangeSku });
        sims.Halo.Store.AddItem(new SimItem { Name = "Azure consumption", Baseprice = 150.00m, Costprice = 0m, SupplierPartCode = SherwebSampleData.AzureSku });
    }

    public async Task DisposeAsync()
    {
        session.Dispose();
        await sims.DisposeAsync();
    }

    private ScriptResult Run(string script) => session.Run(script, sims.Variables());

    private void Prepare(string billingMethod)
    {
        Run($"""
            Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath
            Connect-Cumulus -Credential $SherwebCredential -SubscriptionKey $SubscriptionKey -ApiBaseUri $SherwebUri
            Set-HaloSyncConfiguration -InvoiceDay 15 -BillingMethod {billingMethod} -Proration $true -MappingMode Automatic -SyncEnabled $true -TimeZone 'UTC'
            Get-CumulusProduct | Out-Null
            Set-HaloOrgMapping -Organization 'Contoso Ltd' -HaloClientName 'Contoso Ltd'
            Set-HaloOrgMapping -Organization 'Fabrikam, Inc.' -HaloClientName 'Fabrikam, Inc.'
            """).AssertNoErrors();
    }

    private int Writes() => sims.Halo.Requests.Snapshot().Count(r => r.Method is "POST" or "DELETE" && !r.Path.StartsWith("/auth", StringComparison.OrdinalIgnoreCase));

    private SimInvoiceLine Line(string client, int licenceId)
        => sims.Halo.Store.RecurringInvoices.Single(i => i.ClientName == client || i.ClientId == ClientId(client))
            .Lines!.Single(l => l.QuantityLicences?.Any(q => q.LicenceId == licenceId) == true);

    private int ClientId(string name) => sims.Halo.Store.Clients.Single(c => c.Name == name).Id!.Value;

    private SimLicence Licence(Guid subscription) => sims.Halo.Store.Licences.Single(l => l.Snowid == "halosync:sub-" + subscription.ToString("D"));

    [Fact]
    public void WhatIf_lists_the_plan_and_writes_nothing_to_HaloPSA_or_the_state()
    {
        Prepare("PreBill");
        sims.Halo.Requests.Clear();

        var result = Run("Invoke-HaloSync -AsOf 2026-11-16 -WhatIf");

        result.AssertNoErrors();
        var events = result.Output.Where(o => o.TypeNames[0] == "HaloSync.Engine.Sync.SyncEvent").ToList();
        Assert.Equal(3, events.Count(e => e.Property<string>("Kind") == "CreateSubscription"));
        Assert.All(events, e => Assert.Equal("Planned", e.Property<string>("Status")));
        Assert.Equal(0, Writes());
        Assert.Empty(sims.Halo.Store.Licences);
        Assert.Empty(Run("Get-HaloSyncLog").Output);
        Assert.Equal("Unmapped", Run("(Get-CumulusProduct -NoRefresh -Sku MS-BP-NCE).Status").Single().BaseObject.ToString());
    }

    [Theory]
    [InlineData("PreBill")]
    [InlineData("PostBill")]
    public void Two_billing_periods_of_changes_land_in_HaloPSA_exactly_once(string billingMethod)
    {
        Prepare(billingMethod);

        // 1. First sync: every subscription created, monthly ones on the HaloSync recurring invoice, no pro-rata.
        var first = Run("Invoke-HaloSync -AsOf 2026-11-16").Single();
        Assert.Equal(3, first.Property<int>("Created"));
        Assert.Equal(0, first.Property<int>("Failed"));
        var contosoPremium = Licence(SherwebSampleData.ContosoBusinessPremium);
        Assert.Equal((10, true, "Monthly"), (contosoPremium.Count!.Value, contosoPremium.IsActive!.Value, contosoPremium.BillingCycle));
        Assert.Equal((30.00m, 22.00m), (contosoPremium.Price!.Value, contosoPremium.PurchasePrice!.Value));
        var exchangeYearly = Licence(SherwebSampleData.ContosoExchangeYearly);
        Assert.Equal(5, exchangeYearly.Count);
        var contosoInvoice = sims.Halo.Store.RecurringInvoices.Single(i => i.ClientId == ClientId("Contoso Ltd"));
        Assert.Equal("HaloSync", contosoInvoice.Reference);
        Assert.Equal(new DateTime(2026, 12, 15), contosoInvoice.Nextcreationdate);
        var line = Assert.Single(contosoInvoice.Lines!); // the yearly subscription has no line
        Assert.Equal((10m, 30.00m, 22.00m, FirstSync), (line.QtyOrder!.Value, line.UnitPrice!.Value, line.UnitCost!.Value, line.Startdate!.Value));
        Assert.Contains(line.QuantityLicences!, q => q.LicenceId == contosoPremium.Id);
        Assert.True(line.ProrataData is null || line.ProrataData.Count == 0);
        Assert.Equal(22.00m, sims.Halo.Store.Items.Single(i => i.Name == "M365 Business Premium").Costprice);

        // 2. The same run again writes nothing.
        var historyBefore = sims.Halo.Store.InvoiceChanges.Count + sims.Halo.Store.LicenceChanges.Count;
        sims.Halo.Requests.Clear();
        var again = Run("Invoke-HaloSync -AsOf 2026-11-16").Single();
        Assert.Equal(0, again.Property<int>("Created") + again.Property<int>("Updated") + again.Property<int>("ItemCostUpdates"));
        Assert.Equal(0, Writes());
        Assert.Equal(historyBefore, sims.Halo.Store.InvoiceChanges.Count + sims.Halo.Store.LicenceChanges.Count);

        // 3. Contoso 10 -> 13 on 2026-11-20 (period 11-15..12-15, 30 days).
        sims.Sherweb.SetDate(new DateTime(2026, 11, 20));
        sims.Sherweb.ChangeQuantity(SherwebSampleData.ContosoBusinessPremium, 13, new DateTime(2026, 11, 20));
        var change = Run("Invoke-HaloSync -AsOf 2026-11-20").Single();
        Assert.Equal(1, change.Property<int>("Updated"));
        Assert.Equal(1, change.Property<int>("ProRataEntries"));
        Assert.Equal(13, Licence(SherwebSampleData.ContosoBusinessPremium).Count);
        line = Line("Contoso Ltd", contosoPremium.Id!.Value);
        Assert.Equal(13m, line.QtyOrder);
        var proRata = Assert.Single(line.ProrataData!);
        Assert.Equal(new DateTime(2026, 11, 20), proRata.Date);
        if (billingMethod == "PreBill")
        {
            // +3 for the 25 days left: 30.00 x 25/30 = 25.0000; 22.00 x 25/30 = 18.3333.
            Assert.Equal((3m, 25.0000m, 18.3333m), (proRata.Quantity!.Value, proRata.Unitprice!.Value, proRata.Unitcost!.Value));
        }
        else
        {
            // -3 for the 5 days already past: 30.00 x 5/30 = 5.0000; 22.00 x 5/30 = 3.6667.
            Assert.Equal((-3m, 5.0000m, 3.6667m), (proRata.Quantity!.Value, proRata.Unitprice!.Value, proRata.Unitcost!.Value));
        }

        // 4. Next period: HaloPSA generates the 12-15 invoices on schedule (what the spec's rule assumes; without it the
        // entry is for the invoice HaloPSA generates next, NextInvoiceProRataTests), then Fabrikam is cancelled on
        // 2026-12-16 (period 12-15..2027-01-15, 31 days).
        sims.Halo.Store.GenerateInvoices(new DateTime(2026, 12, 15));
        sims.Sherweb.SetDate(new DateTime(2026, 12, 16));
        sims.Sherweb.Cancel(SherwebSampleData.FabrikamBusinessPremium, new DateTime(2026, 12, 16));
        var cancel = Run("Invoke-HaloSync -AsOf 2026-12-16").Single();
        Assert.Equal(1, cancel.Property<int>("Cancelled"));
        var fabrikam = Licence(SherwebSampleData.FabrikamBusinessPremium);
        Assert.False(fabrikam.IsActive);
        Assert.Equal(new DateTime(2026, 12, 16), fabrikam.EndDate);
        var fabrikamLine = Line("Fabrikam, Inc.", fabrikam.Id!.Value);
        Assert.Equal((true, new DateTime(2026, 12, 16), 0m), (fabrikamLine.Isinactive!.Value, fabrikamLine.Enddate!.Value, fabrikamLine.QtyOrder!.Value));
        var cancelProRata = Assert.Single(fabrikamLine.ProrataData!);
        if (billingMethod == "PreBill")
        {
            // -3 for the 30 days left: 30.00 x 30/31 = 29.032258 -> 29.0323.
            Assert.Equal((-3m, 29.0323m), (cancelProRata.Quantity!.Value, cancelProRata.Unitprice!.Value));
        }
        else
        {
            // +3 for the 1 day used: 30.00 / 31 = 0.967741 -> 0.9677.
            Assert.Equal((3m, 0.9677m), (cancelProRata.Quantity!.Value, cancelProRata.Unitprice!.Value));
        }

        // 5. Re-running the last day writes nothing, and the log has every event as Success.
        sims.Halo.Requests.Clear();
        Run("Invoke-HaloSync -AsOf 2026-12-16").AssertNoErrors();
        Assert.Equal(0, Writes());
        var log = Run("Get-HaloSyncLog").Output;
        Assert.All(log, e => Assert.Equal("Success", e.Property<string>("Status")));
        Assert.Contains(log, e => e.Property<string>("Kind") == "CancelSubscription" && e.Property<string>("OrganizationName") == "Fabrikam, Inc.");
        Assert.Contains(log, e => e.Property<string>("Kind") == "ChangeQuantity" && e.Property<int?>("InvoiceId") == contosoInvoice.Id);
    }

    [Fact]
    public void The_real_run_applies_exactly_the_events_WhatIf_listed_with_few_requests_and_progress()
    {
        Prepare("PreBill");
        static string Describe(System.Management.Automation.PSObject e)
            => string.Join("|", new[] { "Kind", "OrganizationName", "Sku", "QuantityBefore", "QuantityAfter", "UnitPrice", "UnitCost", "EffectiveDate", "CumulusKey" }
                .Select(p => e.Properties[p].Value?.ToString()));

        var planned = Run("Invoke-HaloSync -AsOf 2026-11-16 -WhatIf").Output
            .Where(o => o.TypeNames[0] == "HaloSync.Engine.Sync.SyncEvent").Select(Describe).OrderBy(d => d).ToList();
        sims.Halo.Requests.Clear();
        var result = Run("Invoke-HaloSync -AsOf 2026-11-16 -PassThru");
        var applied = result.Output.Where(o => o.TypeNames[0] == "HaloSync.Engine.Sync.SyncEvent").ToList();

        Assert.Equal(planned, applied.Select(Describe).OrderBy(d => d).ToList());
        Assert.All(applied, e => Assert.Equal("Success", e.Property<string>("Status")));
        // Writes: the subscriptions in one array (3 <= 100), both clients' recurring invoices in one array, one item-cost array.
        var writes = sims.Halo.Requests.Snapshot().Where(r => r.Method == "POST" && r.Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(1, writes.Count(r => r.Path.Equals("/api/SoftwareLicence", StringComparison.OrdinalIgnoreCase)));
        var invoices = Assert.Single(writes, r => r.Path.Equals("/api/RecurringInvoice", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, System.Text.Json.JsonDocument.Parse(invoices.Body).RootElement.GetArrayLength());
        Assert.Equal(1, writes.Count(r => r.Path.Equals("/api/Item", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(3, writes.Count);
        Assert.Contains(result.Progress, p => p.Activity.Contains("Reading Cumulus"));
        Assert.Contains(result.Progress, p => p.Activity.Contains("Writing HaloPSA"));
        var licence = Licence(SherwebSampleData.ContosoBusinessPremium);
        Assert.Equal(("Microsoft 365 Business Premium", SherwebSampleData.BusinessPremiumSku, "Annual", "Active"),
            (licence.Name, licence.ProductSku, licence.TermDuration, licence.Status));
        Assert.Equal(sims.Halo.Store.Items.Single(i => i.Name == "M365 Business Premium").Id, licence.ItemId);
    }

    [Fact]
    public void A_new_purchase_starts_on_its_purchase_date_with_pro_rata_and_a_usage_charge_is_added_once()
    {
        Prepare("PreBill");
        Run("Invoke-HaloSync -AsOf 2026-11-16").AssertNoErrors();
        var purchased = new DateTime(2026, 11, 18);
        sims.Sherweb.SetDate(purchased);
        var exchange = sims.Sherweb.Purchase(SherwebSampleData.Fabrikam, SherwebSampleData.ExchangeSku, 4, SherwebBillingCycle.Monthly,
            SherwebCommitmentTerm.Monthly, new DateTimeOffset(purchased.AddHours(9), TimeSpan.Zero));
        sims.Sherweb.AddCharge(new SherwebExtraCharge
        {
            ChargeId = null, CustomerId = SherwebSampleData.Contoso, Sku = SherwebSampleData.AzureSku, ChargeName = "Consumption",
            ChargeType = SherwebChargeType.Usage, BillingCycleType = SherwebBillingCycleType.Monthly,
            PeriodFrom = new DateTime(2026, 10, 1), PeriodTo = new DateTime(2026, 10, 31), Quantity = 1m, UnitListPrice = 143.27m, BilledOn = purchased,
        });

        var summary = Run("Invoke-HaloSync -AsOf 2026-11-18").Single();

        Assert.Equal((1, 1, 1), (summary.Property<int>("Created"), summary.Property<int>("Charges"), summary.Property<int>("ProRataEntries")));
        var line = Line("Fabrikam, Inc.", Licence(exchange.Id).Id!.Value);
        Assert.Equal((4m, 6.00m, purchased), (line.QtyOrder!.Value, line.UnitPrice!.Value, line.Startdate!.Value));
        // From 11-18, 27 of 30 days: 6.00 x 27/30 = 5.4000; cost 4.00 x 27/30 = 3.6000.
        var proRata = Assert.Single(line.ProrataData!);
        Assert.Equal((4m, 5.4000m, 3.6000m, purchased), (proRata.Quantity!.Value, proRata.Unitprice!.Value, proRata.Unitcost!.Value, proRata.Date!.Value));
        var usage = sims.Halo.Store.RecurringInvoices.Single(i => i.ClientId == ClientId("Contoso Ltd")).Lines!
            .Single(l => l.ItemShortdescription == "Azure plan - Consumption (Usage) 2026-10-01 to 2026-10-31");
        Assert.Equal((1m, 150.00m, 143.27m), (usage.QtyOrder!.Value, usage.UnitPrice!.Value, usage.UnitCost!.Value));
        Assert.Equal((new DateTime(2026, 11, 18), new DateTime(2026, 12, 14)), (usage.Startdate!.Value, usage.Enddate!.Value));
        Assert.True(usage.QuantityLicences is null || usage.QuantityLicences.Count == 0);

        sims.Halo.Requests.Clear();
        Run("Invoke-HaloSync -AsOf 2026-11-18").AssertNoErrors();
        Assert.Equal(0, Writes());
    }

    [Fact]
    public void Organization_limits_the_run()
    {
        Prepare("PreBill");

        var summary = Run("Invoke-HaloSync -AsOf 2026-11-16 -Organization 'Fabrikam, Inc.'").Single();

        Assert.Equal((1, 1), (summary.Property<int>("Organizations"), summary.Property<int>("Created")));
        Assert.All(sims.Halo.Store.Licences, l => Assert.Equal(ClientId("Fabrikam, Inc."), l.ClientId));
    }

    [Fact]
    public void A_failed_write_is_reported_retried_by_the_next_run_and_never_duplicated()
    {
        Prepare("PreBill");
        // Every recurring-invoice save of this run fails (each one is read back before it is sent again).
        sims.Halo.Faults.Enqueue(new global::HaloSync.Simulators.Common.FaultRule
        {
            Kind = global::HaloSync.Simulators.Common.FaultKind.Status, StatusCode = 500, PathContains = "/api/RecurringInvoice", Method = "POST", Times = 3,
        });

        var failed = Run("Invoke-HaloSync -AsOf 2026-11-16");

        Assert.Null(failed.Terminating);
        Assert.NotEmpty(failed.Errors);
        Assert.All(failed.Errors, e => Assert.Equal(System.Management.Automation.ErrorCategory.ResourceUnavailable, e.CategoryInfo.Category));
        var summary = failed.Output.Single();
        Assert.True(summary.Property<int>("Failed") >= 1);
        Assert.NotEmpty(Run("Get-HaloSyncLog -Status Failed").Output);

        var retried = Run("Invoke-HaloSync -AsOf 2026-11-16").Single();

        Assert.Equal(0, retried.Property<int>("Failed"));
        Assert.Empty(Run("Get-HaloSyncLog -Status Failed").Output);
        Assert.Contains(Run("Get-HaloSyncLog").Output, e => e.Property<int>("Attempts") == 2);
        // One licence and one line per subscription, whatever happened on the way.
        Assert.Equal(3, sims.Halo.Store.Licences.Count);
        Assert.Equal(2, sims.Halo.Store.RecurringInvoices.Count);
        Assert.All(sims.Halo.Store.RecurringInvoices, i => Assert.Single(i.Lines!));
    }

    [Fact]
    public void Records_a_dead_run_already_created_are_found_by_their_key_and_reused()
    {
        Prepare("PreBill");
        // A run that died after saving the subscription, before the recurring invoice and before recording it.
        var orphan = sims.Halo.Store.AddLicence(new SimLicence
        {
            ClientId = ClientId("Contoso Ltd"), Name = "Microsoft 365 Business Premium", Count = 10,
            Snowid = "halosync:sub-" + SherwebSampleData.ContosoBusinessPremium.ToString("D"),
        });

        Run("Invoke-HaloSync -AsOf 2026-11-16").AssertNoErrors();

        Assert.Single(sims.Halo.Store.Licences, l => l.Snowid == orphan.Snowid);
        Assert.Equal(orphan.Id, Licence(SherwebSampleData.ContosoBusinessPremium).Id);
        Assert.Equal(orphan.Id, Assert.Single(Line("Contoso Ltd", orphan.Id!.Value).QuantityLicences!).LicenceId);
    }

    [Fact]
    public async Task A_second_concurrent_run_fails_at_once_with_a_clear_error()
    {
        Prepare("PreBill");
        using var other = new ModuleSession();
        other.Run("""
            Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $p
            Connect-Cumulus -Credential $SherwebCredential -SubscriptionKey $SubscriptionKey -ApiBaseUri $SherwebUri
            """, new Dictionary<string, object?>(sims.Variables()) { ["p"] = session.StatePath }).AssertNoErrors();

        // Every HaloPSA request of the first run now takes 3 s, so it holds the lease for well over 10 s.
        sims.Halo.Host.Latency = TimeSpan.FromSeconds(3);
        var running = Task.Run(() => Run("Invoke-HaloSync -AsOf 2026-11-16"));
        await Task.Delay(1500);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = other.Run("Invoke-HaloSync -AsOf 2026-11-16").OnlyError();

        Assert.Equal("SyncAlreadyRunning,HaloSync.Commands.InvokeHaloSyncCommand", error.FullyQualifiedErrorId);
        Assert.Contains(session.StatePath, error.Exception.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"refused after {watch.Elapsed}, not at once");
        sims.Halo.Host.Latency = TimeSpan.Zero;
        (await running).AssertNoErrors();
    }

    [Fact]
    public void A_disabled_sync_writes_nothing_and_says_how_to_turn_it_on()
    {
        Prepare("PreBill");
        Run("Set-HaloSyncConfiguration -SyncEnabled $false").AssertNoErrors();

        var error = Run("Invoke-HaloSync -AsOf 2026-11-16").OnlyError();

        Assert.Equal("SyncDisabled,HaloSync.Commands.InvokeHaloSyncCommand", error.FullyQualifiedErrorId);
        Assert.Contains("-SyncEnabled $true", error.Exception.Message);
        Assert.Empty(sims.Halo.Store.Licences);
    }
}
