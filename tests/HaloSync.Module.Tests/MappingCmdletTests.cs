using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using HaloSync.Module.Tests.Support;
using HaloSync.Simulators.Sandbox;

namespace HaloSync.Module.Tests;

/// <summary>The mapping cmdlets against the sandbox's demo data, through a real runspace.</summary>
public sealed class MappingCmdletTests : IAsyncLifetime
{
    private readonly ModuleSession session = new();
    private Sandbox sandbox = null!;

    public async Task InitializeAsync()
    {
        sandbox = await Sandbox.StartAsync(DateTime.UtcNow.Date);
        Run("""
            $haloCredential = [pscredential]::new($env_HaloId, [System.Net.NetworkCredential]::new('', $env_HaloSecret).SecurePassword)
            $sherwebCredential = [pscredential]::new($env_SherwebId, [System.Net.NetworkCredential]::new('', $env_SherwebSecret).SecurePassword)
            Connect-HaloPsa -Site $env_HaloSite -Credential $haloCredential -StatePath $StatePath
            Connect-Cumulus -ApiBaseUri $env_SherwebUri -Credential $sherwebCredential -StatePath $StatePath `
                -SubscriptionKey ([System.Net.NetworkCredential]::new('', $env_SherwebKey).SecurePassword)
            Get-CumulusProduct | Out-Null
            """).AssertNoErrors();
    }

    public async Task DisposeAsync()
    {
        session.Dispose();
        await sandbox.DisposeAsync();
    }

    private ScriptResult Run(string script, Dictionary<string, object?>? extra = null)
    {
        var variables = new Dictionary<string, object?>
        {
            ["env_HaloSite"] = sandbox.Halo.BaseAddress.ToString(),
            ["env_HaloId"] = sandbox.EnvironmentVariables["HALOSYNC_SANDBOX_HALO_CLIENT_ID"],
            ["env_HaloSecret"] = sandbox.EnvironmentVariables["HALOSYNC_SANDBOX_HALO_CLIENT_SECRET"],
            ["env_SherwebUri"] = sandbox.Sherweb.BaseAddress.ToString(),
            ["env_SherwebId"] = DemoDataSet.SherwebClientId,
            ["env_SherwebSecret"] = DemoDataSet.SherwebClientSecret,
            ["env_SherwebKey"] = DemoDataSet.SherwebSubscriptionKey,
        };
        foreach (var pair in extra ?? new())
        {
            variables[pair.Key] = pair.Value;
        }

        return session.Run(script, variables);
    }

    private string Status(string sku) => Run($"(Get-CumulusProduct -NoRefresh -Sku '{sku}').Status").Single().BaseObject.ToString()!;

    private int HaloItemId(string name) => sandbox.Halo.Store.Items.Single(i => i.Name == name).Id!.Value;

    private int ItemListRequests() => sandbox.Halo.Requests.Snapshot().Count(r => r.Method == "GET" && r.Path.Equals("/api/Item", StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void A_product_goes_unmapped_mapped_disabled_mapped_unmapped()
    {
        var itemId = HaloItemId("Microsoft 365 Business Premium");
        Assert.Equal("Unmapped", Status("MS-BP-NCE"));

        var mapped = Run($"Set-HaloProductMapping -Sku 'ms-bp-nce ' -HaloItemId {itemId} -PassThru").Single();
        Assert.Equal("Mapped", mapped.Property<string>("Status"));
        Assert.True(mapped.Property<bool>("SyncEnabled"));
        Assert.Equal(itemId, mapped.Property<int>("HaloItemId"));

        Run("Set-HaloProductMapping -Sku MS-BP-NCE -SyncEnabled no").AssertNoErrors();
        Assert.Equal("Disabled", Status("MS-BP-NCE"));
        Run("Set-HaloProductMapping -Sku MS-BP-NCE -SyncEnabled $true").AssertNoErrors();
        Assert.Equal("Mapped", Status("MS-BP-NCE"));
        Run("Remove-HaloProductMapping -Sku MS-BP-NCE -Confirm:$false").AssertNoErrors();
        Assert.Equal("Unmapped", Status("MS-BP-NCE"));
    }

    [Fact]
    public void Removing_from_a_spreadsheet_numbers_rows_past_an_empty_cell_and_skips_an_empty_row()
    {
        var result = Run(
            "@([pscustomobject]@{ 'Cumulus SKU' = ''; Notes = 'to do' }, [pscustomobject]@{ 'Cumulus SKU' = ' '; Notes = '' }, " +
            "[pscustomobject]@{ 'Cumulus SKU' = 'NOPE'; Notes = '' }, [pscustomobject]@{ 'Cumulus SKU' = 'MS-BP-NCE'; Notes = '' }) | " +
            "Remove-HaloProductMapping -Confirm:$false");

        Assert.Equal(new[] { "MissingSku", "ProductNotFound" }, result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.StartsWith("Row 1: ", result.Errors[0].Exception.Message);
        Assert.StartsWith("Row 3: ", result.Errors[1].Exception.Message);
        Assert.Equal("Unmapped", Status("MS-BP-NCE"));
    }

    [Fact]
    public void Mapping_by_name_finds_the_item_and_a_name_matching_several_lists_them()
    {
        sandbox.Halo.Store.AddItem(new Simulators.HaloPsa.SimItem { Name = "Visio Plan 2", Baseprice = 1m });

        var error = Run("Set-HaloProductMapping -Sku MS-VISIO-P2 -HaloItemName 'visio plan 2'").OnlyError();

        Assert.Equal("HaloPSAItemAmbiguous,HaloSync.Commands.SetHaloProductMappingCommand", error.FullyQualifiedErrorId);
        Assert.Contains("matches 2 records", error.Exception.Message);
        Assert.Equal("Unmapped", Status("MS-VISIO-P2"));

        Run("Set-HaloProductMapping -Sku MS-EXO-P1 -HaloItemName 'exchange online (plan 1)'").AssertNoErrors();
        Assert.Equal("Mapped", Status("MS-EXO-P1"));
    }

    [Fact]
    public void An_unknown_item_id_is_an_error_and_nothing_is_saved()
    {
        var error = Run("Set-HaloProductMapping -Sku MS-BP-NCE -HaloItemId 987654").OnlyError();

        Assert.Equal("HaloPSAItemNotFound,HaloSync.Commands.SetHaloProductMappingCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("987654", error.Exception.Message);
        Assert.Equal("Unmapped", Status("MS-BP-NCE"));
    }

    [Fact]
    public void WhatIf_on_set_and_remove_writes_nothing()
    {
        var itemId = HaloItemId("Microsoft 365 Business Premium");
        Run($"Set-HaloProductMapping -Sku MS-BP-NCE -HaloItemId {itemId} -WhatIf").AssertNoErrors();
        Assert.Equal("Unmapped", Status("MS-BP-NCE"));

        Run($"Set-HaloProductMapping -Sku MS-BP-NCE -HaloItemId {itemId}").AssertNoErrors();
        Run("Remove-HaloProductMapping -Sku MS-BP-NCE -WhatIf; Set-HaloOrgMapping -Organization 'Contoso Ltd' -HaloClientName 'Contoso Ltd' -WhatIf").AssertNoErrors();
        Assert.Equal("Mapped", Status("MS-BP-NCE"));
        Assert.Equal("Unmapped", Run("(Get-CumulusOrganization -Name 'Contoso Ltd').Status").Single().BaseObject.ToString());
    }

    [Fact]
    public void Automatic_mapping_matches_part_codes_and_supplier_lines_reports_ties_and_keeps_manual_mappings()
    {
        var visio = HaloItemId("Visio Plan 2");
        var premium = HaloItemId("Microsoft 365 Business Premium");
        Run($"Set-HaloProductMapping -Sku MS-VISIO-P2 -HaloItemId {visio}").AssertNoErrors();
        // A manual mapping to another item than the one the SKU would match must survive.
        Run($"Set-HaloProductMapping -Sku MS-BB-NCE -HaloItemId {premium}").AssertNoErrors();

        var results = Run("Invoke-HaloAutoMapping").Output.ToDictionary(r => r.Property<string>("Sku"), r => r);

        Assert.Equal("Mapped", results["MS-BP-NCE"].Property<string>("Outcome"));
        Assert.Equal("Mapped", results["MS-BS-NCE"].Property<string>("Outcome")); // supplier line only
        Assert.Equal("Ambiguous", results["MS-TEAMS-ESS"].Property<string>("Outcome"));
        Assert.Contains("'Microsoft Teams Essentials'", results["MS-TEAMS-ESS"].Property<string>("Message"));
        Assert.Contains("'Microsoft Teams Essentials (legacy)'", results["MS-TEAMS-ESS"].Property<string>("Message"));
        Assert.Equal("NoMatch", results["ACRONIS-CP"].Property<string>("Outcome"));
        Assert.Equal("ManualKept", results["MS-BB-NCE"].Property<string>("Outcome"));
        Assert.Equal("AutoMapped", Status("MS-BP-NCE"));
        Assert.Equal("AutoMapped", Status("MS-BS-NCE"));
        Assert.Equal("Error", Status("MS-TEAMS-ESS"));
        Assert.Equal("Unmapped", Status("ACRONIS-CP"));
        Assert.Equal("Mapped", Status("MS-VISIO-P2"));
        Assert.Equal(premium, Run("(Get-HaloProductMapping -Sku MS-BB-NCE).HaloItemId").Single().BaseObject);

        // Sync switched off on an automatic mapping stays off when automatic mapping runs again.
        Run("Set-HaloProductMapping -Sku MS-BP-NCE -SyncEnabled no").AssertNoErrors();
        var again = Run("Invoke-HaloAutoMapping -Sku MS-BP-NCE").Single();
        Assert.Equal("Unchanged", again.Property<string>("Outcome"));
        Assert.Equal("Disabled", Status("MS-BP-NCE"));

        // Fixing the tie in HaloPSA lets the next run map it.
        var legacy = sandbox.Halo.Store.Items.Single(i => i.Name == "Microsoft Teams Essentials (legacy)");
        legacy.SupplierPartCode = "";
        sandbox.Halo.Store.AddItem(legacy);
        Run("Invoke-HaloAutoMapping -Refresh").AssertNoErrors();
        Assert.Equal("AutoMapped", Status("MS-TEAMS-ESS"));
    }

    [Fact]
    public void Automatic_mapping_with_WhatIf_reports_and_saves_nothing()
    {
        var results = Run("Invoke-HaloAutoMapping -WhatIf").Output;

        Assert.Contains(results, r => r.Property<string>("Outcome") == "Mapped");
        Assert.Equal("Unmapped", Status("MS-BP-NCE"));
        Assert.Equal("Unmapped", Status("MS-TEAMS-ESS"));
    }

    [Fact]
    public void An_organization_goes_unmapped_mapped_disabled_unmapped_by_name_or_id()
    {
        var mapped = Run("Set-HaloOrgMapping -Organization 'contoso ltd' -HaloClientName 'Contoso Ltd' -PassThru").Single();
        Assert.Equal("Mapped", mapped.Property<string>("Status"));
        var organizationId = mapped.Property<string>("OrganizationId");

        Run($"Set-HaloOrgMapping -Organization '{organizationId}' -SyncEnabled off").AssertNoErrors();
        Assert.Equal("Disabled", Run($"(Get-HaloOrgMapping -OrganizationId '{organizationId}').Status").Single().BaseObject.ToString());
        Run("Get-HaloOrgMapping -Name 'Contoso*' | Remove-HaloOrgMapping -Confirm:$false").AssertNoErrors();
        Assert.Equal("Unmapped", Run("(Get-CumulusOrganization -Name 'Contoso Ltd').Status").Single().BaseObject.ToString());
    }

    [Fact]
    public void An_organization_without_a_HaloPSA_client_gets_an_error_naming_what_is_similar()
    {
        var error = Run("Set-HaloOrgMapping -Organization 'Trey Research' -HaloClientName 'Trey Research'").OnlyError();

        Assert.Equal("HaloPSAClientNotFound,HaloSync.Commands.SetHaloOrgMappingCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Get-HaloClient", error.Exception.Message);
    }

    [Fact]
    public void Sync_can_be_switched_off_for_one_charge_from_Get_CumulusCharge_output()
    {
        var first = Run("@(Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object Kind -eq 'Subscription')[0]").Single();
        var key = first.Property<string>("ChargeKey");

        var setting = Run($"Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object ChargeKey -eq '{key}' | Set-CumulusChargeSync -SyncEnabled no -PassThru").Single();

        Assert.False(setting.Property<bool>("SyncEnabled"));
        var after = Run("Get-CumulusCharge -Organization 'Contoso Ltd'").Output;
        Assert.False(after.Single(c => c.Property<string>("ChargeKey") == key).Property<bool>("SyncEnabled"));
        Assert.All(after.Where(c => c.Property<string>("ChargeKey") != key), c => Assert.True(c.Property<bool>("SyncEnabled")));
    }

    [Fact]
    public void Without_a_HaloPSA_connection_or_a_cached_catalogue_mapping_says_how_to_connect()
    {
        using var fresh = new ModuleSession();
        fresh.Run("Connect-Cumulus -ApiBaseUri $u -Credential ([pscredential]::new($i, [System.Net.NetworkCredential]::new('', $s).SecurePassword)) -SubscriptionKey ([System.Net.NetworkCredential]::new('', $k).SecurePassword) -StatePath $StatePath; Get-CumulusProduct | Out-Null",
            new() { ["u"] = sandbox.Sherweb.BaseAddress.ToString(), ["i"] = DemoDataSet.SherwebClientId, ["s"] = DemoDataSet.SherwebClientSecret, ["k"] = DemoDataSet.SherwebSubscriptionKey }).AssertNoErrors();

        var error = fresh.Run("Set-HaloProductMapping -Sku MS-BP-NCE -HaloItemId 1").OnlyError();

        Assert.Equal("HaloPsaNotConnected,HaloSync.Commands.SetHaloProductMappingCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void The_catalogue_is_read_once_and_then_reused_for_a_few_minutes()
    {
        var itemId = HaloItemId("Microsoft 365 Business Premium");
        sandbox.Halo.Requests.Clear();

        Run($"Set-HaloProductMapping -Sku MS-BP-NCE -HaloItemId {itemId}; Set-HaloProductMapping -Sku MS-DEF-BUS -HaloItemName 'Microsoft Defender for Business'").AssertNoErrors();
        Assert.Equal(1, ItemListRequests());

        Run("Set-HaloProductMapping -Sku MS-DEF-BUS -HaloItemName 'Microsoft Defender for Business' -Refresh").AssertNoErrors();
        Assert.Equal(2, ItemListRequests());
    }

    [Fact]
    public void A_spreadsheet_of_a_thousand_rows_maps_every_good_row_names_every_bad_row_and_reads_HaloPSA_once()
    {
        const int bulk = 990;
        var today = DateTime.UtcNow.Date;
        for (var i = 0; i < bulk; i++)
        {
            var sku = $"BULK-{i:0000}";
            sandbox.Sherweb.PutProduct(new Simulators.Cumulus.SherwebProduct { Sku = sku, Name = $"Bulk product {i:0000}", MonthlyListPrice = 1m });
            sandbox.Sherweb.AddCharge(new Simulators.Cumulus.SherwebExtraCharge
            {
                CustomerId = DemoDataSet.OrganizationId(0), Sku = sku, ChargeType = Simulators.Cumulus.SherwebChargeType.Usage,
                PeriodFrom = today, PeriodTo = today, UnitListPrice = 1m, BilledOn = today,
            });
            sandbox.Halo.Store.AddItem(new Simulators.HaloPsa.SimItem { Name = $"Bulk item {i:0000}", Baseprice = 2m });
        }

        sandbox.Halo.Store.AddItem(new Simulators.HaloPsa.SimItem { Name = "Twin item" });
        sandbox.Halo.Store.AddItem(new Simulators.HaloPsa.SimItem { Name = "Twin item" });
        Run("Get-CumulusProduct | Out-Null").AssertNoErrors();
        var itemIds = sandbox.Halo.Store.Items.Where(i => i.Name!.StartsWith("Bulk item ")).ToDictionary(i => i.Name!, i => i.Id!.Value);
        var premium = HaloItemId("Microsoft 365 Business Premium");

        // Every value a string, as Import-Csv gives them; headers as people write them.
        var rows = new List<PSObject>();
        var expectedErrors = new Dictionary<int, (string ErrorId, string Value)>();
        void Good(string sku, string id, string name, string sync) => rows.Add(Row(sku, id, name, sync));
        void Bad(string sku, string id, string name, string sync, string errorId, string value)
        {
            rows.Add(Row(sku, id, name, sync));
            expectedErrors[rows.Count] = (errorId, value);
        }

        for (var i = 0; i < bulk; i++)
        {
            var sku = $"BULK-{i:0000}";
            var byName = i % 3 == 0;
            Good(i % 2 == 0 ? sku : " " + sku.ToLowerInvariant() + " ", byName ? "" : itemIds[$"Bulk item {i:0000}"].ToString(),
                byName ? $"Bulk item {i:0000}" : "", new[] { "yes", "TRUE", "1", "", "Y" }[i % 5]);
            if (i % 80 == 40)
            {
                var bad = (i / 80) % 12;
                switch (bad)
                {
                    case 0: Bad("NOT-A-SKU", premium.ToString(), "", "yes", "ProductNotFound", "NOT-A-SKU"); break;
                    case 1: Bad("MS-BP-NCE", "999999", "", "yes", "HaloPSAItemNotFound", "999999"); break;
                    case 2: Bad("", premium.ToString(), "", "yes", "MissingSku", "Cumulus SKU"); break;
                    case 3: Bad("MS-BP-NCE", "", "", "", "MissingTarget", "MS-BP-NCE"); break;
                    case 4: Bad("MS-BP-NCE", "", "Twin item", "yes", "HaloPSAItemAmbiguous", "Twin item"); break;
                    case 5: Bad("MS-BP-NCE", "abc", "", "yes", "InvalidId", "abc"); break;
                    case 6: Bad("MS-BP-NCE", "#3010", "", "yes", "InvalidId", "#3010"); break;
                    case 7: Bad("MS-BP-NCE", "-5", "", "yes", "InvalidId", "-5"); break;
                    case 8: Bad("MS-BP-NCE", "12.5", "", "yes", "InvalidId", "12.5"); break;
                    case 9: Bad("MS-BP-NCE", premium.ToString(), "", "maybe", "InvalidSwitchValue", "maybe"); break;
                    case 10: Bad("MS-BP-NCE", "", "No such item", "yes", "HaloPSAItemNotFound", "No such item"); break;
                    default: Bad("MS-BP-NCE", itemIds["Bulk item 0001"].ToString(), "Microsoft 365 Business Premium", "yes", "ConflictingTarget", "Microsoft 365 Business Premium"); break;
                }
            }
        }

        Bad("ACRONIS-CP", "", "", "no", "NotMapped", "ACRONIS-CP");
        Bad("MS-BP-NCE", "0", "", "yes", "InvalidId", "'0'");
        Assert.True(rows.Count >= 1000, $"{rows.Count} rows");
        Assert.True(expectedErrors.Values.Distinct().Count() >= 12, "a dozen kinds of bad rows");
        Assert.True(expectedErrors.Values.Select(e => e.ErrorId).Distinct().Count() >= 9);
        sandbox.Halo.Requests.Clear();

        var result = Run("$Rows | Set-HaloProductMapping", new() { ["Rows"] = rows.ToArray() });

        Assert.Null(result.Terminating);
        Assert.Equal(expectedErrors.Count, result.Errors.Count);
        foreach (var error in result.Errors)
        {
            var rowNumber = int.Parse(System.Text.RegularExpressions.Regex.Match(error.Exception.Message, @"^Row (\d+): ").Groups[1].Value);
            var (errorId, value) = expectedErrors[rowNumber];
            Assert.Equal(errorId + ",HaloSync.Commands.SetHaloProductMappingCommand", error.FullyQualifiedErrorId);
            Assert.Contains(value, error.Exception.Message);
        }

        var mapped = Run("Get-HaloProductMapping -Sku 'BULK-*' -Status Mapped").Output;
        Assert.Equal(bulk, mapped.Count);
        Assert.All(mapped, m => Assert.Equal(itemIds[m.Property<string>("Sku").Replace("BULK-", "Bulk item ")], m.Property<int>("HaloItemId")));
        var pages = (int)Math.Ceiling(sandbox.Halo.Store.Items.Count / 100.0);
        Assert.Equal(pages, ItemListRequests());
    }

    private static PSObject Row(string sku, string id, string name, string sync)
    {
        var row = new PSObject();
        row.Properties.Add(new PSNoteProperty("Cumulus SKU", sku));
        row.Properties.Add(new PSNoteProperty("Halo Item Id", id));
        row.Properties.Add(new PSNoteProperty("Halo Item", name));
        row.Properties.Add(new PSNoteProperty("Enable Sync", sync));
        return row;
    }
}
