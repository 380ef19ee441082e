using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading.Tasks;
using HaloSync.Module.Tests.Support;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Module.Tests;

public sealed class ConnectAndReadCmdletTests : IAsyncLifetime
{
    private readonly ModuleSession session = new();
    private Support.Simulators sims = null!;

    public async Task InitializeAsync()
    {
        sims = await Support.Simulators.StartAsync();
        sims.Halo.Store.AddClient(new SimClient { Name = "Contoso Ltd" });
        sims.Halo.Store.AddClient(new SimClient { Name = "Contoso Labs" });
        sims.Halo.Store.AddClient(new SimClient { Name = "Fabrikam" });
        sims.Halo.Store.AddItem(new SimItem { Name = "M365 Business Premium", Baseprice = 30m, Costprice = 20m, SupplierPartCode = "MS-BP-NCE" });
        sims.Halo.Store.AddItem(new SimItem
        {
            Name = "Exchange Plan 1", Baseprice = 6m, Costprice = 4m,
            ItemSuppliers = new() { new SimItemSupplier { SupplierName = "Sherweb", SupplierSku = "MS-EXO-P1" } },
        });
    }

    public async Task DisposeAsync()
    {
        session.Dispose();
        await sims.DisposeAsync();
    }

    private ScriptResult Run(string script) => session.Run(script, sims.Variables());

    [Fact]
    public void Connect_HaloPsa_returns_a_connection_that_shows_no_secret_and_keeps_none_on_disk()
    {
        var connection = Run("Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath -PassThru").Single();

        Assert.Equal("HaloSync.HaloPsaConnection", connection.TypeNames[0]);
        Assert.Equal(HaloPsaSimulator.DefaultClientId, connection.Property<string>("ClientId"));
        Assert.Equal(sims.Halo.BaseAddress, connection.Property<Uri>("Site"));
        var shown = connection.ToString() + string.Join("|", connection.Properties.Select(p => p.Value?.ToString()));
        Assert.DoesNotContain(HaloPsaSimulator.DefaultClientSecret, shown);
        AssertSecretNotInStateFiles(HaloPsaSimulator.DefaultClientSecret);
        Assert.Contains(sims.Halo.Requests.Snapshot(), r => r.Path.Equals("/api/authinfo", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Connect_HaloPsa_counts_its_connection_check_in_the_sessions_rate_window()
    {
        // HaloPSA counts the check's requests in the same window as the sync's, so the session's pacer counts them too.
        var connection = Run("Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath -PassThru").Single();

        var sent = sims.Halo.Requests.Snapshot().Count;
        Assert.True(sent > 0);
        Assert.Equal(sent, connection.Property<int>("RequestsInWindow"));
    }

    [Fact]
    public void Connect_HaloPsa_takes_a_client_id_and_a_secure_string_secret_too()
    {
        var result = Run("""
            $secret = $HaloCredential.Password
            Connect-HaloPsa -Site $HaloSite -ClientId $HaloCredential.UserName -ClientSecret $secret -StatePath $StatePath
            Get-HaloClient -Name 'Fabrikam'
            """);

        Assert.Equal("Fabrikam", result.Single().Property<string>("Name"));
    }

    [Fact]
    public void A_wrong_secret_is_an_authentication_error_that_says_what_to_check_and_never_echoes_the_secret()
    {
        var result = session.Run("Connect-HaloPsa -Site $HaloSite -Credential $Bad -StatePath $StatePath", new()
        {
            ["HaloSite"] = sims.Halo.BaseAddress.ToString(),
            ["Bad"] = Support.Simulators.Credential(HaloPsaSimulator.DefaultClientId, "not-the-secret-123"),
        });

        var error = result.OnlyError();
        Assert.Equal("HaloPsaInvalidClient,HaloSync.Commands.ConnectHaloPsaCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("client", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not-the-secret-123", error.Exception.ToString());
        Assert.False(File.Exists(session.StatePath), "nothing is written when connecting fails");
    }

    [Fact]
    public void A_missing_HaloPSA_permission_is_named_as_the_seed_names_it()
    {
        sims.Halo.RevokePermission(HaloPsaSimulator.DefaultClientId, "read:items");

        var error = Run("Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath").OnlyError();

        Assert.Equal("HaloPsaPermissionMissing,HaloSync.Commands.ConnectHaloPsaCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("Read: items", error.Exception.Message);
    }

    [Fact]
    public void An_unreachable_site_is_a_connection_error_reported_in_seconds()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = Run("Connect-HaloPsa -Site 'http://127.0.0.1:9' -Credential $HaloCredential -StatePath $StatePath").OnlyError();

        Assert.Equal("HttpConnectionFailed,HaloSync.Commands.ConnectHaloPsaCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains("Check the site address", error.Exception.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Plain_http_to_a_remote_site_is_refused_before_any_request()
    {
        var error = Run("Connect-HaloPsa -Site 'http://contoso.halopsa.com' -Credential $HaloCredential -StatePath $StatePath").OnlyError();

        Assert.Equal("EndpointNotHttps,HaloSync.Commands.ConnectHaloPsaCommand", error.FullyQualifiedErrorId);
        Assert.Contains("https://", error.Exception.Message);
    }

    [Fact]
    public void A_site_that_is_not_HaloPSA_is_reported_as_a_wrong_address()
    {
        // The Sherweb simulator answers 404 for /api/authinfo and /auth/token, as a wrong site would.
        var error = Run("Connect-HaloPsa -Site $SherwebUri -Credential $HaloCredential -StatePath $StatePath").OnlyError();

        Assert.Equal("HaloPsaNotASite,HaloSync.Commands.ConnectHaloPsaCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Get_HaloClient_filters_by_wildcard_and_sorts_by_name()
    {
        var result = Run("""
            Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath
            Get-HaloClient -Name 'contoso*'
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "Contoso Labs", "Contoso Ltd" }, result.Output.Select(o => o.Property<string>("Name")));
        Assert.Equal("HaloSync.Engine.HaloPsa.HaloClient", result.Output[0].TypeNames[0]);
    }

    [Fact]
    public void Get_HaloItem_matches_a_SKU_on_the_part_code_or_on_any_supplier_line()
    {
        var result = Run("""
            Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath
            Get-HaloItem -Sku 'ms-exo-p1' | ForEach-Object Name
            Get-HaloItem -Sku 'MS-BP-*' | ForEach-Object Name
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "Exchange Plan 1", "M365 Business Premium" }, result.Output.Select(o => o.BaseObject.ToString()));
    }

    [Fact]
    public void Get_HaloItem_reads_every_page_past_the_100_row_cap()
    {
        for (var i = 0; i < 248; i++)
        {
            sims.Halo.Store.AddItem(new SimItem { Name = $"Bulk item {i:000}", Baseprice = 1m });
        }

        var result = Run("""
            Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath
            @(Get-HaloItem).Count
            """);

        Assert.Equal(250, result.Single().BaseObject);
        Assert.Equal(3, sims.Halo.Requests.Snapshot().Count(r => r.Path.Equals("/api/Item", StringComparison.OrdinalIgnoreCase) && r.Query.Contains("page_no")
            && !r.Query.Contains("page_size=1&")));
    }

    [Fact]
    public void Halo_cmdlets_without_a_connection_say_how_to_connect()
    {
        var error = Run("Get-HaloClient -StatePath $StatePath").OnlyError();

        Assert.Equal("HaloPsaNotConnected,HaloSync.Commands.GetHaloClientCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Connect-HaloPsa", error.Exception.Message);
    }

    [Fact]
    public void A_connection_belongs_to_its_runspace()
    {
        Run("Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath").AssertNoErrors();
        using var other = new ModuleSession();

        var error = other.Run("Get-HaloItem").OnlyError();

        Assert.Equal("HaloPsaNotConnected,HaloSync.Commands.GetHaloItemCommand", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Name_completion_reads_the_local_catalogue_without_calling_HaloPSA()
    {
        Run("""
            Connect-HaloPsa -Site $HaloSite -Credential $HaloCredential -StatePath $StatePath
            Get-HaloClient | Out-Null
            """).AssertNoErrors();
        var before = sims.Halo.Requests.Count;

        var result = Run("""
            $line = "Get-HaloClient -StatePath '$StatePath' -Name Cont"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText
            """);

        result.AssertNoErrors();
        Assert.Equal(new[] { "'Contoso Labs'", "'Contoso Ltd'" }, result.Output.Select(o => o.BaseObject.ToString()));
        Assert.Equal(before, sims.Halo.Requests.Snapshot().Count);
    }

    [Fact]
    public void Connect_Cumulus_keeps_no_secret_or_key_and_records_the_organizations()
    {
        var connection = Run("Connect-Cumulus -Credential $SherwebCredential -SubscriptionKey $SubscriptionKey -ApiBaseUri $SherwebUri -StatePath $StatePath -PassThru").Single();

        Assert.Equal("HaloSync.CumulusConnection", connection.TypeNames[0]);
        Assert.Equal(3, connection.Property<int>("CustomerCount"));
        var shown = connection.ToString() + string.Join("|", connection.Properties.Select(p => p.Value?.ToString()));
        Assert.DoesNotContain(SherwebSampleData.ClientSecret, shown);
        Assert.DoesNotContain(SherwebSampleData.SubscriptionKey, shown);
        AssertSecretNotInStateFiles(SherwebSampleData.ClientSecret);
        AssertSecretNotInStateFiles(SherwebSampleData.SubscriptionKey);

        var organizations = Run("Get-CumulusOrganization -StatePath $StatePath").Output;
        Assert.Equal(new[] { "Contoso Ltd", "Fabrikam, Inc.", "Northwind Traders" }, organizations.Select(o => o.Property<string>("Name")));
        Assert.All(organizations, o => Assert.Equal("Unmapped", o.Property<string>("Status")));
    }

    [Fact]
    public void A_wrong_subscription_key_is_reported_as_such()
    {
        var result = session.Run("Connect-Cumulus -Credential $SherwebCredential -SubscriptionKey $Key -ApiBaseUri $SherwebUri -StatePath $StatePath", new()
        {
            ["SherwebUri"] = sims.Sherweb.BaseAddress.ToString(),
            ["SherwebCredential"] = Support.Simulators.Credential(SherwebSampleData.ClientId, SherwebSampleData.ClientSecret),
            ["Key"] = Support.Simulators.Secure("wrong-key-000"),
        });

        var error = result.OnlyError();
        Assert.StartsWith("CumulusSubscriptionKey", error.FullyQualifiedErrorId);
        Assert.Contains("subscription key", error.Exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("wrong-key-000", error.Exception.ToString());
    }

    [Fact]
    public void Get_CumulusOrganization_without_a_connection_lists_what_the_state_knows_with_a_warning()
    {
        Run("Connect-Cumulus -Credential $SherwebCredential -SubscriptionKey $SubscriptionKey -ApiBaseUri $SherwebUri -StatePath $StatePath").AssertNoErrors();
        using var offline = new ModuleSession();

        var result = offline.Run("Get-CumulusOrganization -StatePath $Path -Name '*wind*' -WarningVariable w -WarningAction SilentlyContinue; $w.Count",
            new() { ["Path"] = session.StatePath });

        result.AssertNoErrors();
        Assert.Equal("Northwind Traders", result.Output[0].Property<string>("Name"));
        Assert.Equal(1, result.Output[1].BaseObject);
    }

    [Fact]
    public void Get_CumulusProduct_lists_every_SKU_billed_this_period_as_unmapped()
    {
        var result = Run("""
            Connect-Cumulus -Credential $SherwebCredential -SubscriptionKey $SubscriptionKey -ApiBaseUri $SherwebUri -StatePath $StatePath
            Get-CumulusProduct -Status Unmapped
            """);

        result.AssertNoErrors();
        var skus = result.Output.Select(o => o.Property<string>("Sku")).ToList();
        Assert.Contains(SherwebSampleData.BusinessPremiumSku, skus);
        Assert.All(result.Output, o => Assert.Equal("HaloSync.Engine.Mapping.ProductMapping", o.TypeNames[0]));
    }

    [Fact]
    public void Get_CumulusCharge_takes_organizations_from_the_pipeline_and_lists_subscriptions_with_their_switch()
    {
        var result = Run("""
            Connect-Cumulus -Credential $SherwebCredential -SubscriptionKey $SubscriptionKey -ApiBaseUri $SherwebUri -StatePath $StatePath
            Get-CumulusOrganization -Name 'Contoso*' | Get-CumulusCharge
            """);

        result.AssertNoErrors();
        var subscriptions = result.Output.Where(o => o.Property<string>("Kind") == "Subscription").ToList();
        Assert.Equal(2, subscriptions.Count);
        var premium = subscriptions.Single(s => s.Property<string>("Sku") == SherwebSampleData.BusinessPremiumSku);
        Assert.Equal(10m, premium.Property<decimal>("Quantity"));
        Assert.Equal("Monthly", premium.Property<string>("BillingCycle"));
        Assert.Equal("sub-" + SherwebSampleData.ContosoBusinessPremium.ToString("D"), premium.Property<string>("ChargeKey"));
        Assert.True(premium.Property<bool>("SyncEnabled"));
        Assert.All(result.Output, o => Assert.Equal("Contoso Ltd", o.Property<string>("OrganizationName")));
    }

    [Fact]
    public void Get_CumulusCharge_with_an_unknown_organization_warns_naming_what_is_similar()
    {
        var result = Run("""
            Connect-Cumulus -Credential $SherwebCredential -SubscriptionKey $SubscriptionKey -ApiBaseUri $SherwebUri -StatePath $StatePath | Out-Null
            Get-CumulusCharge -Organization 'Contosso' 3>&1 | ForEach-Object { "$_" }
            """);

        result.AssertNoErrors();
        var warning = result.Single().BaseObject.ToString();
        Assert.Contains("No Cumulus organization matches 'Contosso'", warning);
        Assert.Contains("'Contoso Ltd'", warning);
    }

    private void AssertSecretNotInStateFiles(string secret)
    {
        var needle = Encoding.UTF8.GetBytes(secret);
        foreach (var file in Directory.GetFiles(session.StateFolder))
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(Contains(bytes, needle), $"{Path.GetFileName(file)} contains a secret");
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return true;
            }
        }

        return false;
    }
}
