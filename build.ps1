<#
.SYNOPSIS
    Builds HaloSync (stages out/HaloSync, out/sandbox and out/modules/Pester) and runs every test.
.DESCRIPTION
    -Task Build: dotnet build HaloSync.sln.
    -Task Test:  Build, then the xunit tests (dotnet test --no-build, TRX results in TestResults/xunit), then the
                 Pester suite tests/**/*.Tests.ps1 against out/HaloSync (NUnit XML in TestResults/pester.xml).
                 Ends with one line "N passed, N failed" summing both, and exits non-zero if a test failed, a
                 test run did not complete, or a test did not run.
.EXAMPLE
    dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh -NoProfile -File ./build.ps1 -Task Test -Configuration Release -PesterPath tests/Pester/CsvPipelines.Tests.ps1,tests/Pester/Docs.Tests.ps1 -SkipXunit
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # Only these Pester files or folders (default: tests). For working on one file; CI runs everything.
    [string[]] $PesterPath = @('tests'),

    # Skip the xunit projects (for working on the Pester suite; CI runs everything).
    [switch] $SkipXunit,

    # Skip the Pester suite (for working on the C# tests; CI runs everything).
    [switch] $SkipPester
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$results = Join-Path $PSScriptRoot 'TestResults'

function Invoke-SolutionBuild {
    Write-Host "== dotnet build HaloSync.sln -c $Configuration" -ForegroundColor Cyan
    dotnet build (Join-Path $PSScriptRoot 'HaloSync.sln') -c $Configuration --nologo | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed with exit code $LASTEXITCODE." }
    Write-Host "Module staged in $(Join-Path $PSScriptRoot 'out' 'HaloSync')"
}

function Invoke-Xunit {
    $folder = Join-Path $results 'xunit'
    if (Test-Path $folder) { Remove-Item $folder -Recurse -Force }
    Write-Host "== dotnet test HaloSync.sln --no-build" -ForegroundColor Cyan
    # Out-Host: the runners' output goes to the console, not into this function's result.
    dotnet test (Join-Path $PSScriptRoot 'HaloSync.sln') -c $Configuration --no-build --nologo --logger trx --results-directory $folder | Out-Host
    $exitCode = $LASTEXITCODE
    $counts = [ordered]@{ Passed = 0; Failed = 0; NotRun = 0; Files = 0 }
    foreach ($trx in @(Get-ChildItem -Path $folder -Filter *.trx -ErrorAction Ignore)) {
        $counters = ([xml](Get-Content -LiteralPath $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $counts.Files++
        $counts.Passed += [int]$counters.passed
        $counts.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $counts.NotRun += [int]$counters.notExecuted
    }
    if ($exitCode -ne 0 -and $counts.Failed -eq 0) {
        # dotnet test failed without a failed test (a crashed test host, say): count the run as a failure.
        Write-Warning "dotnet test exited with $exitCode without reporting a failed test."
        $counts.Failed++
    }
    [pscustomobject]$counts
}

function Invoke-PesterSuite {
    $pester = Join-Path $PSScriptRoot 'out' 'modules' 'Pester' 'Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester is not staged at '$pester': the build restores it (tools/HaloSync.PesterModule)." }
    # Pester runs in a child pwsh, so the suite sees a fresh session like a user's and this script's strict mode
    # does not leak into it.
    $outputPath = Join-Path $results 'pester.xml'
    if (Test-Path $outputPath) { Remove-Item $outputPath -Force }
    # "-PesterPath a,b" through pwsh -File arrives as one string "a,b".
    $paths = @($PesterPath | ForEach-Object { $_ -split ',' } | Where-Object { $_ } |
        ForEach-Object { (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot $_.Trim())).ProviderPath })
    $runner = Join-Path $PSScriptRoot 'tests' 'Invoke-PesterSuite.ps1'
    Write-Host "== Pester $((Import-PowerShellDataFile $pester).ModuleVersion): $($paths -join ', ')" -ForegroundColor Cyan
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    dotnet $pwsh -NoProfile -NonInteractive -File $runner -PesterManifest $pester -Path ($paths -join [System.IO.Path]::PathSeparator) -OutputPath $outputPath | Out-Host
    $exitCode = $LASTEXITCODE
    $counts = [ordered]@{ Passed = 0; Failed = 0; NotRun = 0; Files = 0 }
    if (Test-Path $outputPath) {
        $run = ([xml](Get-Content -LiteralPath $outputPath -Raw)).'test-results'
        $counts.Files = 1
        $counts.Failed = [int]$run.failures + [int]$run.errors + [int]$run.invalid
        $counts.NotRun = [int]$run.'not-run' + [int]$run.skipped + [int]$run.ignored + [int]$run.inconclusive
        $counts.Passed = [int]$run.total - $counts.Failed - $counts.NotRun
    }
    if ($exitCode -ne 0 -and $counts.Failed -eq 0) {
        Write-Warning "Pester exited with $exitCode without reporting a failed test (a file that could not be discovered, say)."
        $counts.Failed++
    }
    [pscustomobject]$counts
}

Push-Location $PSScriptRoot
try {
    Invoke-SolutionBuild
    if ($Task -eq 'Build') { return }

    New-Item -ItemType Directory -Path $results -Force | Out-Null
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $parts = @(
        if (-not $SkipXunit) { Invoke-Xunit | Add-Member -PassThru Suite 'xunit' }
        if (-not $SkipPester) { Invoke-PesterSuite | Add-Member -PassThru Suite 'Pester' }
    )
    $passed = ($parts | Measure-Object Passed -Sum).Sum
    $failed = ($parts | Measure-Object Failed -Sum).Sum
    $notRun = ($parts | Measure-Object NotRun -Sum).Sum
    foreach ($part in $parts) {
        Write-Host ("{0,-6}: {1} passed, {2} failed, {3} not run ({4} result file(s))" -f $part.Suite, $part.Passed, $part.Failed, $part.NotRun, $part.Files)
    }
    $missing = @($parts | Where-Object Files -eq 0)
    foreach ($part in $missing) { Write-Warning "$($part.Suite) wrote no test results." }
    Write-Host "Tests took $([int]$watch.Elapsed.TotalSeconds) s."

    # The one line CI reads.
    $line = "$passed passed, $failed failed"
    if ($notRun -gt 0) { $line += ", $notRun skipped" }
    Write-Output $line
    if ($failed -gt 0 -or $notRun -gt 0 -or $passed -eq 0 -or $missing.Count -gt 0) { exit 1 }
}
finally {
    Pop-Location
}
