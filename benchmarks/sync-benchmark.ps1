# Measures a sync against the sandbox through a simulated network latency: HaloPSA requests against the
# minimum, wall time, memory; then Compare-HaloBilling over the same 30 organizations (requests, wall time). Not a test.
#   dotnet tool restore && dotnet build HaloSync.sln -c Release && dotnet pwsh -NoProfile -File benchmarks/sync-benchmark.ps1 -LatencyMs 25
# It starts its own sandbox with that latency (examples/sandbox.ps1) and stops it at the end.
# Minimum for an initial sync (issue 5): one write per client with lines plus one per 100 subscriptions.
[CmdletBinding()]
param(
    [ValidateRange(0, 60000)]
    [int] $LatencyMs = 25
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

. "$PSScriptRoot/../examples/sandbox.ps1"
$sandbox = Start-HaloSyncSandbox -LatencyMs $LatencyMs
try {
    $statePath = Join-Path ([System.IO.Path]::GetTempPath()) 'halosync-benchmark' ([guid]::NewGuid().ToString('N')) 'halosync.db'
    Set-HaloSyncConfiguration -StatePath $statePath -InvoiceDay 15 -MappingMode Automatic -SyncEnabled $true
    Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath $statePath | Out-Null
    Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey | Out-Null
    Get-CumulusOrganization | Select-Object @{ n = 'Organization'; e = { $_.OrganizationId } }, @{ n = 'Halo Client'; e = { $_.Name } } |
        Set-HaloOrgMapping -ErrorAction SilentlyContinue

    function Measure-Sync([string] $Name) {
        [System.GC]::Collect()
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $result = @(Invoke-HaloSync -PassThru)
        $watch.Stop()
        $summary = $result[-1]
        $events = @($result | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncEvent] })
        $clients = @($events | Where-Object InvoiceId | Select-Object -ExpandProperty OrganizationId -Unique).Count
        $subscriptions = @($events | Where-Object Entity -eq 'SoftwareLicence').Count
        $minimum = $clients + [math]::Ceiling($subscriptions / 100)
        $process = [System.Diagnostics.Process]::GetCurrentProcess()
        [pscustomobject]@{
            Run          = $Name
            Events       = $events.Count
            HaloRequests = $summary.HaloPsaRequests
            MinWrites    = [int]$minimum
            Ms           = [int]$watch.Elapsed.TotalMilliseconds
            MemoryMB     = [int]($process.WorkingSet64 / 1MB)
            PeakMB       = [int]($process.PeakWorkingSet64 / 1MB)
        }
    }

    function Measure-Comparison([string] $Name, [switch] $Invoiced) {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $report = Compare-HaloBilling -Summary -Invoiced:$Invoiced -WarningAction SilentlyContinue
        $watch.Stop()
        [pscustomobject]@{
            Run             = $Name
            Organizations   = $report.ByOrganization.Count
            Rows            = $report.Rows.Count
            HaloRequests    = $report.HaloPsaRequests
            SherwebRequests = $report.CumulusRequests
            Ms              = [int]$watch.Elapsed.TotalMilliseconds
        }
    }

    Write-Host "Sync benchmark: sandbox with $LatencyMs ms latency per request, 30 organizations."
    @(
        Measure-Sync 'Initial sync'
        Measure-Sync 'Second run (no change)'
    ) | Format-Table -AutoSize

    # HaloPSA generates this period's invoices from the recurring invoices the sync made (the sandbox's control surface).
    Invoke-RestMethod -Method Post -Uri "$($sandbox.HaloControlUri.TrimEnd('/'))/invoices/generate" -ContentType 'application/json' -Body '{}' | Out-Null
    Write-Host 'Compare-HaloBilling over the same organizations (reads only):'
    @(
        Measure-Comparison 'Recurring-invoice lines'
        Measure-Comparison 'Invoices of the period' -Invoiced
    ) | Format-Table -AutoSize
}
finally {
    Stop-HaloSyncSandbox -Sandbox $sandbox
}
