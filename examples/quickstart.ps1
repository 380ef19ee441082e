# HaloSync in ten commands, on the sandbox (fake HaloPSA and Sherweb with demo data, on 127.0.0.1):
#   dotnet tool restore && dotnet build HaloSync.sln && dotnet pwsh -NoProfile -File examples/quickstart.ps1
# Connect, map products automatically, map organizations from a spreadsheet, preview the sync, sync, read the log.
# It starts the sandbox itself and stops it at the end, unless $env:HALOSYNC_SANDBOX_HALO_SITE says one is running
# (then it uses that one). The state database is -StatePath, else a fresh file in the temp folder.
# For production, replace the sandbox's addresses and credentials (see the comments) and keep one state file.
[CmdletBinding()]
param(
    [string] $StatePath,

    # A spreadsheet of organizations and their HaloPSA clients (headers 'Organization', 'Halo Client', 'Enable Sync').
    # Default: organization-mappings.csv beside this script (set below: Windows PowerShell 5.1 has no $PSScriptRoot in defaults).
    [string] $OrganizationsCsv
)

$ErrorActionPreference = 'Stop'
if (-not $OrganizationsCsv) {
    $OrganizationsCsv = Join-Path $PSScriptRoot 'organization-mappings.csv'
}
if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

. "$PSScriptRoot/sandbox.ps1"
$sandbox = Use-HaloSyncSandbox

try {
    if (-not $StatePath) {
        $StatePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'halosync-quickstart', [guid]::NewGuid().ToString('N'), 'halosync.db')
    }
    Write-Host "State database: $StatePath"

    # 1. Connect. Secrets stay in memory; in production: Connect-HaloPsa -Site https://yours.halopsa.com -Credential (Get-Secret HaloApi)
    #    and Connect-Cumulus -Credential (Get-Secret SherwebApi) -SubscriptionKey (Get-Secret SherwebKey), without -ApiBaseUri.
    Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath $StatePath | Out-Null
    Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey | Out-Null

    # 2. The settings of the integration: invoice on the 1st, pre-bill, proration, automatic mapping. Sync stays off
    #    (the default of a new state file) until the preview looks right.
    Set-HaloSyncConfiguration -InvoiceDay 1 -BillingMethod PreBill -Proration $true -MappingMode Automatic

    # 3. Products: every SKU whose HaloPSA item carries it as supplier part code or supplier SKU maps by itself.
    Get-CumulusProduct | Out-Null
    $automatic = @(Invoke-HaloAutoMapping)
    Write-Host "Automatic mapping: $(@($automatic | Where-Object Outcome -eq 'Mapped').Count) mapped, $(@($automatic | Where-Object Outcome -eq 'Ambiguous').Count) need a choice."
    Get-HaloProductMapping | Format-Table Sku, Status, HaloItemName

    # 4. Organizations from a spreadsheet; a row that cannot be mapped gets its own error and the others still map.
    $mapped = @(Import-Csv -LiteralPath $OrganizationsCsv | Set-HaloOrgMapping -PassThru -ErrorAction SilentlyContinue -ErrorVariable rowErrors)
    Write-Host "Organizations mapped from $(Split-Path -Leaf $OrganizationsCsv): $($mapped.Count); rows with errors: $($rowErrors.Count)."
    foreach ($rowError in $rowErrors) { Write-Host "  $($rowError.Exception.Message)" }
    Get-HaloOrgMapping -Status Mapped, Disabled | Format-Table Name, Status, HaloClientName

    # 5. Preview: what a sync would write, and nothing is written (not even to the state database).
    $preview = @(Invoke-HaloSync -WhatIf)
    $planned = @($preview | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncEvent] })
    Write-Host "Preview: $($planned.Count) events planned."
    $planned | Group-Object Kind | Format-Table Name, Count

    # 6. Sync: switch it on, run it, and run it again to see that nothing is written twice.
    Set-HaloSyncConfiguration -SyncEnabled $true
    $summary = Invoke-HaloSync
    $summary | Format-Table
    $again = Invoke-HaloSync
    Write-Host "Synced: $($summary.Created) created, $($summary.Failed) failed. Second run: $($again.Created + $again.Updated + $again.Charges) changes."

    # 7. The log: every write, with its outcome.
    Get-HaloSyncLog -Organization 'Contoso*' | Format-Table
    Write-Host "Failed events: $(@(Get-HaloSyncLog -Status Failed).Count)."
}
finally {
    if ($sandbox.Process) {
        Stop-HaloSyncSandbox -Sandbox $sandbox
    }
}
