<#
.SYNOPSIS
    Builds HaloSync and stages the module folder out/HaloSync, optionally running the tests.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Configuration Release -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [switch] $Test
)

$ErrorActionPreference = 'Stop'
Push-Location $PSScriptRoot
try {
    dotnet build HaloSync.sln -c $Configuration
    if ($LASTEXITCODE -ne 0) { throw "dotnet build failed with exit code $LASTEXITCODE" }
    Write-Host "Module staged in $(Join-Path $PSScriptRoot 'out/HaloSync')"

    if ($Test) {
        dotnet test HaloSync.sln -c $Configuration --no-build
        if ($LASTEXITCODE -ne 0) { throw "dotnet test failed with exit code $LASTEXITCODE" }
    }
}
finally {
    Pop-Location
}
