# The main HaloSync job, end to end, against the sandbox (fake HaloPSA and Sherweb with demo data).
# Runs as is in pwsh / Windows PowerShell and in the bundled runner (which has only core cmdlets):
#   dotnet run --project tools/HaloSync.Runner -- --sandbox examples/main-job.ps1
#   pwsh: start `dotnet run --project src/HaloSync.Sandbox`, paste the $env: lines it prints, then ./examples/main-job.ps1
# The state database is HALOSYNC_STATE_PATH when set, otherwise a fresh file in the temp folder.
param(
    [string] $StatePath = $env:HALOSYNC_STATE_PATH
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

if (-not $env:HALOSYNC_SANDBOX_HALO_SITE) {
    throw 'The sandbox is not running: start it with "dotnet run --project src/HaloSync.Sandbox" and set the variables it prints, or use the runner with --sandbox.'
}

if (-not $StatePath) {
    $StatePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'halosync-main-job', [guid]::NewGuid().ToString('N'), 'halosync.db')
}

function ConvertTo-Credential([string] $UserName, [string] $Secret) {
    [pscredential]::new($UserName, [System.Net.NetworkCredential]::new('', $Secret).SecurePassword)
}

"HaloSync state database: $StatePath"

# 1. The connection modal's settings: invoice on the 15th, pre-bill, proration, automatic mapping.
Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 15 -BillingMethod PreBill -Proration $true `
    -MappingMode Automatic -SyncEnabled $true -CostBasis NetBeforePerformanceTier -PassThru | Out-Host

# 2. Connect to both services. Secrets come from the environment here; in a runbook use
#    Get-AutomationPSCredential, Get-Secret or Import-Clixml. They are never written to the state database.
$halo = Connect-HaloPsa -Site $env:HALOSYNC_SANDBOX_HALO_SITE -StatePath $StatePath -PassThru `
    -Credential (ConvertTo-Credential $env:HALOSYNC_SANDBOX_HALO_CLIENT_ID $env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET)
$cumulus = Connect-Cumulus -ApiBaseUri $env:HALOSYNC_SANDBOX_SHERWEB_URI -StatePath $StatePath -PassThru `
    -Credential (ConvertTo-Credential $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET) `
    -SubscriptionKey ([System.Net.NetworkCredential]::new('', $env:HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY).SecurePassword)
"Connected: $halo; $cumulus ($($cumulus.CustomerCount) organizations)."

# 3. What there is to map: Cumulus organizations and products, HaloPSA clients and items.
$organizations = @(Get-CumulusOrganization)
$products = @(Get-CumulusProduct)
$clients = @(Get-HaloClient)
$items = @(Get-HaloItem)
"Cumulus: $($organizations.Count) organizations, $($products.Count) products. HaloPSA: $($clients.Count) clients, $($items.Count) items."
$products | Out-Host

# 4. Map products: automatically by supplier SKU, then by hand from a spreadsheet for the rest.
Invoke-HaloAutoMapping | Out-Host
& "$PSScriptRoot/bulk-map-from-csv.ps1" -Path "$PSScriptRoot/product-mappings.csv" | Out-Host

# 5. Map organizations to the HaloPSA clients of the same name; those without one are reported.
$organizations | ForEach-Object { [pscustomobject]@{ Organization = $_.OrganizationId; 'Halo Client' = $_.Name } } |
    Set-HaloOrgMapping -ErrorAction SilentlyContinue -ErrorVariable orgErrors
"Organizations mapped: $(@(Get-HaloOrgMapping -Status Mapped).Count); not mapped: $($orgErrors.Count)."
foreach ($orgError in $orgErrors) { "  $($orgError.Exception.Message)" }

# 6. Keep Azure usage of one organization out of the sync (the per-charge switch).
Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object Sku -eq 'MS-AZURE-PLAN' | Set-CumulusChargeSync -SyncEnabled no -PassThru | Out-Host

Get-HaloProductMapping | Out-Host

# 7. Preview the sync, run it, and run it again: the second run writes nothing.
$plan = @(Invoke-HaloSync -WhatIf | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncEvent] })
"Planned: $($plan.Count) events."
Invoke-HaloSync | Out-Host
$again = Invoke-HaloSync
"Second run: $($again.Created + $again.Updated + $again.Cancelled + $again.Charges + $again.ItemCostUpdates) changes, $($again.HaloPsaRequests) HaloPSA requests (reads only)."

# 8. The event log: what was sent, per organization and product.
Get-HaloSyncLog -Organization 'Contoso Ltd' | Out-Host
"Failed events: $(@(Get-HaloSyncLog -Status Failed).Count)."

"HaloPSA requests used: $($halo.RequestsSent); Sherweb requests used: $($cumulus.RequestsSent)."
