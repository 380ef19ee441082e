using System.IO;
using System.Management.Automation;
using HaloSync.Module.Tests.Support;

namespace HaloSync.Module.Tests;

public sealed class ConfigurationCmdletTests
{
    [Fact]
    public void Set_then_Get_round_trips_every_setting_through_the_state_file()
    {
        using var session = new ModuleSession();
        var set = session.Run("""
            Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 15 -BillingMethod PostBill -Proration $false `
                -MappingMode Automatic -SyncEnabled $true -TimeZone 'America/Toronto' -CostBasis Net -PassThru
            """).Single();
        Assert.Equal(15, set.Property<int>("InvoiceDay"));

        var read = session.Run("Get-HaloSyncConfiguration -StatePath $StatePath").Single();

        Assert.Equal("HaloSync.Engine.Configuration.SyncConfiguration", read.TypeNames[0]);
        Assert.Equal(15, read.Property<int>("InvoiceDay"));
        Assert.Equal("PostBill", read.Property<string>("BillingMethod"));
        Assert.False(read.Property<bool>("Proration"));
        Assert.Equal("Automatic", read.Property<string>("MappingMode"));
        Assert.True(read.Property<bool>("SyncEnabled"));
        Assert.Equal("America/Toronto", read.Property<string>("TimeZone"));
        Assert.Equal("Net", read.Property<string>("CostBasis"));
        Assert.Equal(session.StatePath, read.Property<string>("StatePath"));
    }

    [Fact]
    public void Only_the_named_settings_change()
    {
        using var session = new ModuleSession();
        session.Run("Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 20 -BillingMethod PostBill").AssertNoErrors();
        session.Run("Set-HaloSyncConfiguration -StatePath $StatePath -Proration $false").AssertNoErrors();

        var read = session.Run("Get-HaloSyncConfiguration -StatePath $StatePath").Single();
        Assert.Equal(20, read.Property<int>("InvoiceDay"));
        Assert.Equal("PostBill", read.Property<string>("BillingMethod"));
        Assert.False(read.Property<bool>("Proration"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    public void An_invoice_day_out_of_range_is_refused_with_the_valid_range_and_nothing_is_written(int day)
    {
        using var session = new ModuleSession();
        session.Run("Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 10").AssertNoErrors();

        var result = session.Run($"Set-HaloSyncConfiguration -StatePath $StatePath -SyncEnabled $true -InvoiceDay {day}");

        var error = result.OnlyError();
        Assert.Equal("ParameterArgumentValidationError,HaloSync.Commands.SetHaloSyncConfigurationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains("from 1 to 31", error.Exception.Message);
        var read = session.Run("Get-HaloSyncConfiguration -StatePath $StatePath").Single();
        Assert.Equal(10, read.Property<int>("InvoiceDay"));
        Assert.False(read.Property<bool>("SyncEnabled"));
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_and_nothing_is_written()
    {
        using var session = new ModuleSession();

        var error = session.Run("Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 12 -TimeZone 'Mars/Olympus_Mons'").OnlyError();

        Assert.Equal("InvalidTimeZone,HaloSync.Commands.SetHaloSyncConfigurationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.False(File.Exists(session.StatePath));
    }

    [Fact]
    public void An_unknown_billing_method_lists_the_valid_values()
    {
        using var session = new ModuleSession();

        var error = session.Run("Set-HaloSyncConfiguration -StatePath $StatePath -BillingMethod Monthly").OnlyError();

        Assert.StartsWith("CannotConvertArgumentNoMessage", error.FullyQualifiedErrorId);
        Assert.Contains("PreBill", error.Exception.Message);
        Assert.Contains("PostBill", error.Exception.Message);
    }

    [Fact]
    public void WhatIf_writes_nothing()
    {
        using var session = new ModuleSession();
        session.Run("Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 3").AssertNoErrors();

        session.Run("Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 25 -SyncEnabled $true -WhatIf").AssertNoErrors();

        var read = session.Run("Get-HaloSyncConfiguration -StatePath $StatePath").Single();
        Assert.Equal(3, read.Property<int>("InvoiceDay"));
        Assert.False(read.Property<bool>("SyncEnabled"));
    }

    [Fact]
    public void A_corrupt_state_file_stops_the_cmdlet_with_an_error_naming_the_file_and_is_not_recreated()
    {
        using var session = new ModuleSession();
        File.WriteAllText(session.StatePath, new string('#', 2048));

        var error = session.Run("Get-HaloSyncConfiguration -StatePath $StatePath").OnlyError();

        Assert.Equal("StateDatabaseCorrupt,HaloSync.Commands.GetHaloSyncConfigurationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Contains(session.StatePath, error.Exception.Message);
        Assert.Equal(new string('#', 2048), File.ReadAllText(session.StatePath));
    }

    [Fact]
    public void The_time_zone_parameter_completes_from_the_machine_zones()
    {
        using var session = new ModuleSession();
        var result = session.Run("""
            $line = "Set-HaloSyncConfiguration -TimeZone America/Tor"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText
            """);

        result.AssertNoErrors();
        Assert.Contains(result.Output, o => (string)o.BaseObject == "'America/Toronto'");
    }
}
