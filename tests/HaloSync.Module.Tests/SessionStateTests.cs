using System.IO;
using System.Linq;
using HaloSync.Module.Tests.Support;

namespace HaloSync.Module.Tests;

/// <summary>
/// The runspace these tests use is pwsh's own default session state (Microsoft.PowerShell.SDK), not a
/// core-cmdlets-only stand-in: the cmdlets users pipe HaloSync into are the real ones.
/// </summary>
public sealed class SessionStateTests
{
    [Fact]
    public void The_cmdlets_users_combine_with_HaloSync_are_the_real_pwsh_ones()
    {
        using var session = new ModuleSession();
        var result = session.Run("""
            'Import-Csv', 'Export-Csv', 'ConvertFrom-Csv', 'Format-Table', 'Format-List', 'Select-Object', 'Sort-Object',
            'Out-String', 'Write-Host', 'ConvertTo-Json', 'Get-Content', 'Set-Content', 'Join-Path', 'Test-Path', 'Get-Date' |
                ForEach-Object { $c = Get-Command $_ -ErrorAction Stop; "$($c.Name)=$($c.CommandType)/$($c.ModuleName)" }
            """);

        result.AssertNoErrors();
        var found = result.Output.Select(o => o.ToString()).ToList();
        foreach (var name in new[] { "Import-Csv", "Export-Csv", "ConvertFrom-Csv", "Format-Table", "Format-List", "Select-Object", "Sort-Object", "Out-String", "Write-Host", "ConvertTo-Json" })
        {
            Assert.Contains($"{name}=Cmdlet/Microsoft.PowerShell.Utility", found);
        }

        foreach (var name in new[] { "Get-Content", "Set-Content", "Join-Path", "Test-Path" })
        {
            Assert.Contains($"{name}=Cmdlet/Microsoft.PowerShell.Management", found);
        }
    }

    [Fact]
    public void Import_Csv_feeds_a_Set_cmdlet_and_Format_Table_renders_the_module_view()
    {
        using var session = new ModuleSession();
        var csv = Path.Combine(session.StateFolder, "settings.csv");
        File.WriteAllText(csv, "Day;Zone\n28;UTC\n");
        var result = session.Run("""
            $row = Import-Csv -Path $Csv -Delimiter ';'
            Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay $row.Day -TimeZone $row.Zone
            Get-HaloSyncConfiguration -StatePath $StatePath | Format-Table | Out-String -Width 120
            """, new() { ["Csv"] = csv });

        var text = result.Single().BaseObject as string;
        Assert.Matches(@"InvoiceDay\s+BillingMethod\s+Proration", text);
        Assert.Matches(@"\s28 PreBill", text);
        Assert.Contains("UTC", text);
    }
}
