# Is every seat the MSP pays Sherweb for billed to a customer, at a margin? Compares Sherweb's charges of this billing
# period with what HaloPSA bills, per customer and product, and writes an HTML report to email, against the sandbox:
#   dotnet tool restore && dotnet build HaloSync.sln && dotnet pwsh -NoProfile -File examples/billing-report.ps1
# It starts the sandbox (fake HaloPSA and Sherweb with 30 organizations), sets HaloSync up and syncs as
# examples/main-job.ps1 does, lets a customer add seats in Cumulus after the sync, then compares. Against a real tenant,
# connect (see examples/main-job.ps1) and run only the part after "The report".
[CmdletBinding()]
param(
    [string] $OutFile = (Join-Path ([System.IO.Path]::GetTempPath()) 'halosync-billing-report.html'),
    [string] $StatePath = ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'halosync-billing-report', [guid]::NewGuid().ToString('N'), 'halosync.db'))
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

. "$PSScriptRoot/sandbox.ps1"
$sandbox = Start-HaloSyncSandbox
try {
    # The sandbox set up as an MSP would have it: settings, connections, organizations mapped by name, one sync.
    Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 15 -BillingMethod PreBill -MappingMode Automatic -SyncEnabled $true
    Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath $StatePath | Out-Null
    Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey | Out-Null
    Get-CumulusOrganization | Select-Object @{ n = 'Organization'; e = { $_.OrganizationId } }, @{ n = 'Halo Client'; e = { $_.Name } } |
        Set-HaloOrgMapping -ErrorAction SilentlyContinue
    $synced = Invoke-HaloSync
    Write-Host "Synced $($synced.Organizations) organizations: $($synced.Created) subscriptions created."

    # Sandbox only: Contoso adds 3 seats in Cumulus after the sync; until the next sync, HaloPSA bills the old quantity.
    $seats = Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object { $_.Kind -eq 'Subscription' -and $_.BillingCycle -eq 'Monthly' } | Select-Object -First 1
    $subscriptionId = $seats.ChargeKey.Substring('sub-'.Length)
    Invoke-RestMethod -Method Post -Uri "$($sandbox.SherwebControlUri.TrimEnd('/'))/subscriptions/$subscriptionId/quantity" -ContentType 'application/json' `
        -Body (@{ quantity = [int]$seats.Quantity + 3 } | ConvertTo-Json) | Out-Null
    Write-Host "Contoso Ltd: $($seats.ProductName) $($seats.Quantity) -> $([int]$seats.Quantity + 3) seats in Cumulus, not synced yet."

    # The report.
    $report = Compare-HaloBilling -Summary
    $period = '{0:yyyy-MM-dd} to {1:yyyy-MM-dd}' -f $report.PeriodFrom, $report.PeriodTo
    $findings = $report.Rows | Where-Object Status -ne 'Ok' |
        Select-Object Organization, Sku, ProductName, Status, Reason, SherwebQuantity, HaloQuantity, SherwebCost, LineTotal, Leakage, Detail
    $style = '<meta charset="utf-8"><style>body{font-family:Segoe UI,Arial,sans-serif;font-size:13px} table{border-collapse:collapse;margin-bottom:18px}' +
        ' th,td{border:1px solid #ccc;padding:3px 8px;text-align:left} th{background:#eef}</style>'
    $body = @(
        "<h1>Sherweb against HaloPSA, $period</h1>"
        '<h2>Totals</h2>'
        $report | Select-Object Cost, Billed, Margin, Leakage, Ok, Unbilled, QuantityMismatch, NegativeMargin, DoubleBilled, Orphan | ConvertTo-Html -Fragment -As List
        '<h2>Per organization</h2>'
        $report.ByOrganization | Select-Object Organization, HaloClient, Products, Issues, Cost, Billed, Margin, Leakage | ConvertTo-Html -Fragment
        '<h2>Findings</h2>'
        $findings | ConvertTo-Html -Fragment
    )
    ConvertTo-Html -Title "HaloSync billing report $period" -Head $style -Body $body | Set-Content -Path $OutFile -Encoding utf8

    $report | Format-Table
    $report.Rows | Where-Object Status -ne 'Ok' | Group-Object Status | Select-Object Name, Count | Format-Table
    Write-Host "HTML report: $OutFile ($(@($findings).Count) findings; $($report.HaloPsaRequests) HaloPSA and $($report.CumulusRequests) Sherweb requests, all reads)."
}
finally {
    Stop-HaloSyncSandbox -Sandbox $sandbox
}
