# The main HaloSync job, end to end, against the sandbox (fake HaloPSA and Sherweb with demo data):
#   dotnet tool restore && dotnet build HaloSync.sln && dotnet pwsh -NoProfile -File examples/main-job.ps1
# It starts the sandbox itself (examples/sandbox.ps1) and stops it at the end, unless $env:HALOSYNC_SANDBOX_HALO_SITE
# says one is already running (then it uses that one and leaves it running).
# The state database is -StatePath, else HALOSYNC_STATE_PATH, else a fresh file in the temp folder.
[CmdletBinding()]
param(
    [string] $StatePath = $env:HALOSYNC_STATE_PATH
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

$startedSandbox = $null
if (-not $env:HALOSYNC_SANDBOX_HALO_SITE) {
    . "$PSScriptRoot/sandbox.ps1"
    $startedSandbox = Start-HaloSyncSandbox
    Write-Host "Sandbox started: HaloPSA $($startedSandbox.HaloSite), Sherweb $($startedSandbox.SherwebUri)"
}

try {
    if (-not $StatePath) {
        $StatePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'halosync-main-job', [guid]::NewGuid().ToString('N'), 'halosync.db')
    }
    Write-Host "HaloSync state database: $StatePath"

    # 1. The connection modal's settings: invoice on the 15th, pre-bill, proration, automatic mapping.
    Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 15 -BillingMethod PreBill -Proration $true `
        -MappingMode Automatic -SyncEnabled $true -CostBasis NetBeforePerformanceTier -PassThru | Format-Table

    # 2. Connect to both services. Secrets come from the sandbox's variables here; in a runbook use
    #    Get-AutomationPSCredential, Get-Secret or Import-Clixml. They are never written to the state database.
    $haloCredential = [pscredential]::new($env:HALOSYNC_SANDBOX_HALO_CLIENT_ID,
        (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET -AsPlainText -Force))
    $sherwebCredential = [pscredential]::new($env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID,
        (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET -AsPlainText -Force))
    $subscriptionKey = ConvertTo-SecureString $env:HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY -AsPlainText -Force
    $halo = Connect-HaloPsa -Site $env:HALOSYNC_SANDBOX_HALO_SITE -Credential $haloCredential -StatePath $StatePath -PassThru
    $cumulus = Connect-Cumulus -ApiBaseUri $env:HALOSYNC_SANDBOX_SHERWEB_URI -Credential $sherwebCredential `
        -SubscriptionKey $subscriptionKey -StatePath $StatePath -PassThru
    Write-Host "Connected: $halo; $cumulus ($($cumulus.CustomerCount) organizations)."

    # 3. What there is to map: Cumulus organizations and products, HaloPSA clients and items.
    $organizations = @(Get-CumulusOrganization)
    $products = @(Get-CumulusProduct)
    $clients = @(Get-HaloClient)
    $items = @(Get-HaloItem)
    Write-Host "Cumulus: $($organizations.Count) organizations, $($products.Count) products. HaloPSA: $($clients.Count) clients, $($items.Count) items."
    $products | Format-Table Sku, ProductName, Status

    # 4. Map products: automatically by supplier SKU, then by hand from a spreadsheet for the rest.
    Invoke-HaloAutoMapping | Format-Table
    & "$PSScriptRoot/bulk-map-from-csv.ps1" -Path "$PSScriptRoot/product-mappings.csv" | Format-Table Sku, Status, HaloItemName, SyncEnabled

    # 5. Map organizations to the HaloPSA clients of the same name; those without one are reported.
    $organizations | Select-Object @{ n = 'Organization'; e = { $_.OrganizationId } }, @{ n = 'Halo Client'; e = { $_.Name } } |
        Set-HaloOrgMapping -ErrorAction SilentlyContinue -ErrorVariable orgErrors
    Write-Host "Organizations mapped: $(@(Get-HaloOrgMapping -Status Mapped).Count); not mapped: $($orgErrors.Count)."
    foreach ($orgError in $orgErrors) { Write-Host "  $($orgError.Exception.Message)" }

    # 6. Keep Azure usage of one organization out of the sync (the per-charge switch).
    Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object Sku -eq 'MS-AZURE-PLAN' |
        Set-CumulusChargeSync -SyncEnabled no -PassThru | Format-Table

    Get-HaloProductMapping | Format-Table

    # 7. Preview the sync, run it, and run it again: the second run writes nothing.
    $plan = @(Invoke-HaloSync -WhatIf | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncEvent] })
    Write-Host "Planned: $($plan.Count) events."
    Invoke-HaloSync | Format-Table
    $again = Invoke-HaloSync
    Write-Host "Second run: $($again.Created + $again.Updated + $again.Cancelled + $again.Charges + $again.ItemCostUpdates) changes, $($again.HaloPsaRequests) HaloPSA requests (reads only)."

    # 8. The event log: what was sent, per organization and product.
    Get-HaloSyncLog -Organization 'Contoso Ltd' | Format-Table
    Write-Host "Failed events: $(@(Get-HaloSyncLog -Status Failed).Count)."

    Write-Host "HaloPSA requests used: $($halo.RequestsSent); Sherweb requests used: $($cumulus.RequestsSent)."
}
finally {
    if ($startedSandbox) {
        Stop-HaloSyncSandbox -Sandbox $startedSandbox
        Write-Host 'Sandbox stopped.'
    }
}
