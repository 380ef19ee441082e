<#
.SYNOPSIS
    Runs the Pester suite (build.ps1 -Task Test calls this in a fresh pwsh). Pester is imported by path.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    # Files or folders, separated by the path separator (-File passes one string per parameter).
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path -LiteralPath $PesterManifest).ProviderPath -Force
$configuration = New-PesterConfiguration
$configuration.Run.Path = @($Path.Split([System.IO.Path]::PathSeparator))
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $OutputPath
$result = Invoke-Pester -Configuration $configuration
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host "Pester: $($result.PassedCount) passed, $failed failed (blocks $($result.FailedBlocksCount), containers $($result.FailedContainersCount)), $($result.SkippedCount + $result.NotRunCount) not run."
if ($failed -gt 0 -or $result.SkippedCount -gt 0 -or $result.NotRunCount -gt 0 -or $result.TotalCount -eq 0) { exit 1 }
exit 0
