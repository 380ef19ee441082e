using System.Linq;
using HaloSync.Module.Tests.Support;

namespace HaloSync.Module.Tests;

public sealed class HelpTests
{
    [Fact]
    public void Every_exported_cmdlet_has_a_synopsis_a_description_every_parameter_described_and_an_example()
    {
        using var session = new ModuleSession();
        var result = session.Run("""
            $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
            foreach ($command in Get-Command -Module HaloSync) {
                $help = Get-Help $command.Name -Full
                $described = @($help.parameters.parameter | Where-Object { ($_.description | ForEach-Object Text) -join '' } | ForEach-Object name)
                $actual = @($command.Parameters.Keys | Where-Object { $common -notcontains $_ })
                [pscustomobject]@{
                    Name = $command.Name
                    Synopsis = [string]$help.Synopsis
                    Description = (@($help.description | ForEach-Object Text) -join ' ')
                    Examples = @($help.examples.example).Count
                    Undescribed = @($actual | Where-Object { $described -notcontains $_ })
                }
            }
            """);

        result.AssertNoErrors();
        Assert.NotEmpty(result.Output);
        foreach (var help in result.Output)
        {
            var name = help.Property<string>("Name");
            var synopsis = help.Property<string>("Synopsis");
            Assert.False(string.IsNullOrWhiteSpace(synopsis), name + " has no synopsis");
            Assert.DoesNotContain(name + " [", synopsis); // Get-Help falls back to the syntax when MAML is missing
            Assert.False(string.IsNullOrWhiteSpace(help.Property<string>("Description")), name + " has no description");
            Assert.True(help.Property<int>("Examples") >= 1, name + " has no example");
            Assert.True(help.Property<object[]>("Undescribed").Length == 0,
                name + " has undescribed parameters: " + string.Join(", ", help.Property<object[]>("Undescribed")));
        }
    }
}
