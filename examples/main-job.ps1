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
    -MappingMode Automatic -SyncEnabled $true -CostBasis NetBeforePerformanceTier -PassThru

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
$products

# 4. One organization's subscriptions and charges, with their sync switch.
Get-CumulusCharge -Organization 'Fabrikam, Inc.'

"HaloPSA requests used: $($halo.RequestsSent); Sherweb requests used: $($cumulus.RequestsSent)."
