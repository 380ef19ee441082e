using System;
using System.Linq;
using HaloSync.Module.Tests.Support;

namespace HaloSync.Module.Tests;

/// <summary>
/// One state database, billing in Toronto, with five events recorded through the engine (ids 1 to 5, oldest first).
/// Two sit just either side of a Toronto midnight that is not a UTC midnight, to show that dates are calendar dates.
/// </summary>
public sealed class SeededSyncLog : IDisposable
{
    public SeededSyncLog()
    {
        Session = new ModuleSession();
        Session.Run("""
            Set-HaloSyncConfiguration -StatePath $StatePath -TimeZone 'America/Toronto'
            $store = [HaloSync.Engine.State.StateStore]::Open($StatePath)
            try {
                $contoso = @{ OrganizationId = 'org-contoso'; OrganizationName = 'Contoso Ltd' }
                $fabrikam = @{ OrganizationId = 'org-fabrikam'; OrganizationName = 'Fabrikam Inc' }
                $premium = @{ Sku = 'M365-BP'; ProductName = 'Microsoft 365 Business Premium' }
                $events = @(
                    # 2026-10-31 23:30 in Toronto
                    [HaloSync.Engine.Sync.SyncEvent](@{ RunId = 'run-1'; CreatedAt = [DateTimeOffset]'2026-11-01T03:30:00Z'
                        Kind = 'UpdateItemCost'; Status = 'Success'; Entity = 'Item'; HaloId = 12; UnitCost = 18.3333d } + $contoso + $premium)
                    [HaloSync.Engine.Sync.SyncEvent](@{ RunId = 'run-1'; CreatedAt = [DateTimeOffset]'2026-11-01T14:00:00Z'
                        Kind = 'CreateSubscription'; Status = 'Success'; Entity = 'SoftwareLicence'; HaloId = 417; InvoiceId = 3010
                        QuantityAfter = 10; UnitPrice = 22.5d; UnitCost = 18.3333d; EffectiveDate = [datetime]'2026-11-01'
                        CumulusKey = 'sub-1'; Attempts = 1 } + $contoso + $premium)
                    [HaloSync.Engine.Sync.SyncEvent](@{ RunId = 'run-1'; CreatedAt = [DateTimeOffset]'2026-11-15T15:00:00Z'
                        Sku = 'M365-E3'; ProductName = 'Microsoft 365 E3'; Kind = 'ChangeQuantity'; Status = 'Failed'
                        QuantityBefore = 5; QuantityAfter = 3; Attempts = 2; Error = 'HaloPSA answered 403.' } + $fabrikam)
                    # 2026-11-30 23:30 in Toronto
                    [HaloSync.Engine.Sync.SyncEvent](@{ RunId = 'run-2'; CreatedAt = [DateTimeOffset]'2026-12-01T04:30:00Z'
                        Sku = 'AZ-PLAN'; ProductName = 'Azure plan'; Kind = 'AddCharge'; Status = 'Pending' } + $contoso)
                    [HaloSync.Engine.Sync.SyncEvent](@{ RunId = 'run-2'; CreatedAt = [DateTimeOffset]'2026-12-01T15:00:00Z'
                        Kind = 'CancelSubscription'; Status = 'Success'; QuantityBefore = 4; QuantityAfter = 0 } + $fabrikam + $premium)
                )
                [HaloSync.Engine.Sync.EventLog]::new($store).Record([HaloSync.Engine.Sync.SyncEvent[]]$events)

                $mappings = [HaloSync.Engine.Mapping.MappingRepository]::new($store)
                $mappings.RecordSeenOrganizations([System.Collections.Generic.KeyValuePair[string, string][]]@(
                    [System.Collections.Generic.KeyValuePair[string, string]]::new('org-contoso', 'Contoso Ltd')
                    [System.Collections.Generic.KeyValuePair[string, string]]::new('org-fabrikam', 'Fabrikam Inc')), [DateTimeOffset]::UtcNow)
                $mappings.RecordSeenProducts([System.Collections.Generic.KeyValuePair[string, string][]]@(
                    [System.Collections.Generic.KeyValuePair[string, string]]::new('M365-BP', 'Microsoft 365 Business Premium')
                    [System.Collections.Generic.KeyValuePair[string, string]]::new('M365-E3', 'Microsoft 365 E3')), [DateTimeOffset]::UtcNow)
            }
            finally {
                $store.Dispose()
            }
            """).AssertNoErrors();
    }

    public ModuleSession Session { get; }

    public void Dispose() => Session.Dispose();
}

public sealed class SyncLogCmdletTests : IClassFixture<SeededSyncLog>
{
    private readonly ModuleSession session;

    public SyncLogCmdletTests(SeededSyncLog log) => session = log.Session;

    [Fact]
    public void Without_filters_every_event_is_listed_newest_first_as_SyncEvent_objects()
    {
        var result = session.Run("Get-HaloSyncLog -StatePath $StatePath");

        Assert.Equal(new long[] { 5, 4, 3, 2, 1 }, Ids(result));
        Assert.All(result.Output, o => Assert.Equal("HaloSync.Engine.Sync.SyncEvent", o.TypeNames[0]));
    }

    [Fact]
    public void The_detail_fields_come_back_as_recorded()
    {
        var created = Assert.Single(session.Run("Get-HaloSyncLog -StatePath $StatePath -Status Success -Product M365-BP -First 2").Output,
            o => o.Property<string>("Kind") == "CreateSubscription");

        Assert.Equal(3010, created.Property<int>("InvoiceId"));
        Assert.Equal(417, created.Property<int>("HaloId"));
        Assert.Equal(18.3333m, created.Property<decimal>("UnitCost"));
        Assert.Equal(22.5m, created.Property<decimal>("UnitPrice"));
        Assert.Equal(10m, created.Property<decimal>("QuantityAfter"));
        Assert.Equal(new DateTime(2026, 11, 1), created.Property<DateTime>("EffectiveDate"));
        Assert.Equal("run-1", created.Property<string>("RunId"));
    }

    [Fact]
    public void CreatedAt_is_shown_in_the_configured_time_zone()
    {
        var pending = Assert.Single(session.Run("Get-HaloSyncLog -StatePath $StatePath -Status Pending").Output);

        var createdAt = pending.Property<DateTimeOffset>("CreatedAt");
        Assert.Equal(new DateTime(2026, 11, 30, 23, 30, 0), createdAt.DateTime);
        Assert.Equal(TimeSpan.FromHours(-5), createdAt.Offset);
    }

    [Theory]
    [InlineData("'contoso*'", new long[] { 4, 2, 1 })]
    [InlineData("'Fabrikam Inc'", new long[] { 5, 3 })]
    [InlineData("org-contoso", new long[] { 4, 2, 1 })]
    [InlineData("'ORG-FAB*'", new long[] { 5, 3 })]
    [InlineData("'*o*'", new long[] { 5, 4, 3, 2, 1 })]
    [InlineData("Northwind", new long[0])]
    public void Organization_matches_the_name_or_id_with_wildcards_ignoring_case(string organization, long[] expected)
        => Assert.Equal(expected, Ids(session.Run($"Get-HaloSyncLog -StatePath $StatePath -Organization {organization}")));

    [Fact]
    public void Organization_is_the_first_positional_parameter()
        => Assert.Equal(new long[] { 5, 3 }, Ids(session.Run("Get-HaloSyncLog 'Fabrikam*' -StatePath $StatePath")));

    [Theory]
    [InlineData("'m365-*'", new long[] { 5, 3, 2, 1 })]
    [InlineData("M365-E3", new long[] { 3 })]
    [InlineData("'*azure*'", new long[] { 4 })]
    [InlineData("'Microsoft 365 Business Premium'", new long[] { 5, 2, 1 })]
    public void Product_matches_the_sku_or_the_product_name_with_wildcards_ignoring_case(string product, long[] expected)
        => Assert.Equal(expected, Ids(session.Run($"Get-HaloSyncLog -StatePath $StatePath -Product {product}")));

    [Fact]
    public void Organization_and_product_must_both_match()
        => Assert.Equal(new long[] { 2, 1 }, Ids(session.Run("Get-HaloSyncLog -StatePath $StatePath -Organization Contoso* -Product M365*")));

    [Theory]
    [InlineData("-From 2026-11-01 -To 2026-11-30", new long[] { 4, 3, 2 })]
    [InlineData("-From 2026-12-01", new long[] { 5 })]
    [InlineData("-To 2026-10-31", new long[] { 1 })]
    [InlineData("-From 2026-11-30 -To 2026-11-30", new long[] { 4 })]
    [InlineData("-From '2026-11-15 10:00' -To '2026-11-15 10:00'", new long[] { 3 })]
    [InlineData("-From '2026-11-15 10:00:01'", new long[] { 5, 4 })]
    [InlineData("-To '2026-11-15 09:59:59'", new long[] { 2, 1 })]
    public void From_and_To_are_calendar_dates_and_times_in_the_configured_time_zone(string range, long[] expected)
        => Assert.Equal(expected, Ids(session.Run($"Get-HaloSyncLog -StatePath $StatePath {range}")));

    [Fact]
    public void A_date_with_a_kind_is_an_exact_moment()
        => Assert.Equal(new long[] { 5 }, Ids(session.Run(
            "Get-HaloSyncLog -StatePath $StatePath -From ([DateTimeOffset]'2026-12-01T15:00:00Z').LocalDateTime")));

    [Fact]
    public void From_after_To_is_an_error_that_says_to_swap_them()
    {
        var error = session.Run("Get-HaloSyncLog -StatePath $StatePath -From 2026-12-01 -To 2026-11-01").OnlyError();

        Assert.Equal("InvalidDateRange,HaloSync.Commands.GetHaloSyncLogCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Swap", error.Exception.Message);
    }

    [Theory]
    [InlineData("Success", new long[] { 5, 2, 1 })]
    [InlineData("Failed", new long[] { 3 })]
    [InlineData("Pending", new long[] { 4 })]
    [InlineData("Planned", new long[0])]
    public void Status_keeps_the_events_with_that_status(string status, long[] expected)
        => Assert.Equal(expected, Ids(session.Run($"Get-HaloSyncLog -StatePath $StatePath -Status {status}")));

    [Fact]
    public void An_unknown_status_lists_the_valid_ones()
    {
        var error = session.Run("Get-HaloSyncLog -StatePath $StatePath -Status Done").OnlyError();

        Assert.StartsWith("CannotConvertArgumentNoMessage", error.FullyQualifiedErrorId);
        Assert.Contains("Success", error.Exception.Message);
    }

    [Fact]
    public void RunId_keeps_the_events_of_that_run()
        => Assert.Equal(new long[] { 5, 4 }, Ids(session.Run("Get-HaloSyncLog -StatePath $StatePath -RunId run-2")));

    [Theory]
    [InlineData("-First 2", new long[] { 5, 4 })]
    [InlineData("-First 2 -Organization contoso*", new long[] { 4, 2 })]
    [InlineData("-First 1 -Product '*E3'", new long[] { 3 })]
    [InlineData("-First 10 -Status Success", new long[] { 5, 2, 1 })]
    public void First_keeps_the_newest_events_that_match_every_filter(string parameters, long[] expected)
        => Assert.Equal(expected, Ids(session.Run($"Get-HaloSyncLog -StatePath $StatePath {parameters}")));

    [Fact]
    public void First_must_be_positive()
        => Assert.StartsWith("ParameterArgumentValidationError",
            session.Run("Get-HaloSyncLog -StatePath $StatePath -First 0").OnlyError().FullyQualifiedErrorId);

    [Theory]
    [InlineData("-Organization Con", "'Contoso Ltd'")]
    [InlineData("-Product m365-e", "M365-E3")]
    public void Organization_and_Product_complete_from_the_state_database(string parameterAndWord, string expected)
    {
        var result = session.Run($$"""
            $line = "Get-HaloSyncLog -StatePath '$StatePath' {{parameterAndWord}}"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText
            """);

        result.AssertNoErrors();
        Assert.Contains(result.Output, o => (string)o.BaseObject == expected);
    }

    private static long[] Ids(ScriptResult result)
    {
        result.AssertNoErrors();
        return result.Output.Select(o => o.Property<long>("EventId")).ToArray();
    }
}
