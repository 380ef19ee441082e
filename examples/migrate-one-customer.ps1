# Moves one customer from a legacy integration to HaloSync, as Sherweb's guide advises: one customer first, compare
# what the new integration made with the old records, and only then switch the old ones off. On the sandbox, whose
# HaloPSA already holds a legacy integration's subscriptions and recurring invoice for two customers:
#   dotnet tool restore && dotnet build HaloSync.sln && dotnet pwsh -NoProfile -File examples/migrate-one-customer.ps1
#   ... -Organization 'Woodgrove Bank'    # its legacy invoice also bills Acronis, which HaloSync cannot: the cutover is refused
# It starts the sandbox itself and stops it at the end, unless $env:HALOSYNC_SANDBOX_HALO_SITE says one is running.
# Exit code 0 when the customer is migrated, 1 when the cutover was refused (nothing was written).
[CmdletBinding()]
param(
    [string] $Organization = 'Adventure Works',

    [string] $StatePath,

    # Cut over without the confirmation question (a runbook); without it PowerShell asks first.
    [switch] $Force
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

. "$PSScriptRoot/sandbox.ps1"
$sandbox = Use-HaloSyncSandbox

function Select-Summary { process { if ($_ -is [HaloSync.Engine.Migration.MigrationSummary]) { $_ } } }
function Select-Row { process { if ($_ -is [HaloSync.Engine.Migration.MigrationItem]) { $_ } } }

$exitCode = 0
try {
    if (-not $StatePath) {
        $StatePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'halosync-migration', [guid]::NewGuid().ToString('N'), 'halosync.db')
    }

    # 1. Connect and set up as usual (see quickstart.ps1); only this customer is mapped, so only it is synced.
    Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath $StatePath | Out-Null
    Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey | Out-Null
    Set-HaloSyncConfiguration -InvoiceDay 1 -BillingMethod PreBill -Proration $true -MappingMode Automatic
    Get-CumulusProduct | Out-Null
    Invoke-HaloAutoMapping | Out-Null
    Get-CumulusOrganization | Out-Null
    Set-HaloOrgMapping -Organization $Organization -HaloClientName $Organization

    # 2. Before HaloSync writes anything, the client's billing is all legacy.
    $before = Start-HaloMigration -Organization $Organization | Select-Summary
    Write-Host "Before the first sync: $($before.OnlyInLegacy) legacy record(s), billing $($before.LegacyMonthlyTotal.ToString('0.00')) per period."

    # 3. Sync this customer: HaloSync makes its own subscriptions and recurring invoice next to the legacy ones.
    Set-HaloSyncConfiguration -SyncEnabled $true
    $sync = Invoke-HaloSync -Organization $Organization
    Write-Host "Synced $Organization`: $($sync.Created) subscription(s) created, $($sync.Failed) failed."

    # 4. Compare, item by item, and the monthly totals of both: does switching change what the customer pays?
    $comparison = @(Start-HaloMigration -Organization $Organization)
    $comparison | Select-Row | Format-Table
    $summary = $comparison | Select-Summary
    $summary | Format-List OrganizationName, Matched, QuantityDifferent, PriceDifferent, BothDifferent, OnlyInLegacy, OnlyInHaloSync,
        LegacyMonthlyTotal, LegacyMonthlyToEnd, HaloSyncMonthlyTotal, MonthlyChange, SubscriptionsToDeactivate, InvoicesToEnd, NotCovered, ReadyForCutover

    if (-not $summary.ReadyForCutover) {
        # 5a. Not ready: the cutover refuses, says what is not covered, and writes nothing.
        try {
            Start-HaloMigration -Organization $Organization -Cutover -Force | Out-Null
        }
        catch {
            Write-Host "Cutover refused ($($_.FullyQualifiedErrorId.Split(',')[0])): $($_.Exception.Message)"
        }
        Write-Host 'Not covered:'
        $comparison | Select-Row | Where-Object Cutover -eq 'NotCovered' | Format-Table Name, LegacyInvoiceId, LegacyQuantity, LegacyUnitPrice
        $exitCode = 1
    }
    else {
        # 5b. Ready: preview the cutover, then cut over (PowerShell asks first unless -Force).
        Start-HaloMigration -Organization $Organization -Cutover -WhatIf | Out-Null
        $cutover = Start-HaloMigration -Organization $Organization -Cutover -Force:$Force | Select-Summary
        Write-Host "Cutover: $($cutover.Outcome); $($cutover.SubscriptionsToDeactivate) legacy subscription(s) deactivated, $($cutover.InvoicesToEnd) legacy recurring invoice(s) ended."

        # 6. What was done: the migration record and its events in the log. A second cutover writes nothing.
        Get-HaloMigration -Organization $Organization | Format-Table
        Get-HaloSyncLog -RunId $cutover.RunId | Format-List Kind, Status, HaloId, Detail
        $again = Start-HaloMigration -Organization $Organization -Cutover -Force | Select-Summary
        Write-Host "Second cutover: $($again.Outcome), migrated on $($again.MigratedOn.ToString('yyyy-MM-dd'))."
    }
}
finally {
    if ($sandbox.Process) {
        Stop-HaloSyncSandbox -Sandbox $sandbox
    }
}
exit $exitCode
