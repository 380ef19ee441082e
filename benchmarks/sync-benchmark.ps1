# Measures a sync against the sandbox: HaloPSA requests against the minimum, wall time, memory.
#   dotnet run -c Release --project tools/HaloSync.Runner -- --sandbox --latency-ms 25 benchmarks/sync-benchmark.ps1
# Minimum for an initial sync (issue 5): one write per client with lines plus one per 100 subscriptions.
$ErrorActionPreference = 'Stop'
if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

$statePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'halosync-benchmark', [guid]::NewGuid().ToString('N'), 'halosync.db')
function ConvertTo-Credential([string] $UserName, [string] $Secret) {
    [pscredential]::new($UserName, [System.Net.NetworkCredential]::new('', $Secret).SecurePassword)
}

Set-HaloSyncConfiguration -StatePath $statePath -InvoiceDay 15 -MappingMode Automatic -SyncEnabled $true
$halo = Connect-HaloPsa -Site $env:HALOSYNC_SANDBOX_HALO_SITE -StatePath $statePath -PassThru `
    -Credential (ConvertTo-Credential $env:HALOSYNC_SANDBOX_HALO_CLIENT_ID $env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET)
Connect-Cumulus -ApiBaseUri $env:HALOSYNC_SANDBOX_SHERWEB_URI `
    -Credential (ConvertTo-Credential $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET) `
    -SubscriptionKey ([System.Net.NetworkCredential]::new('', $env:HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY).SecurePassword)
Get-CumulusOrganization | ForEach-Object { [pscustomobject]@{ Organization = $_.OrganizationId; 'Halo Client' = $_.Name } } |
    Set-HaloOrgMapping -ErrorAction SilentlyContinue

function Measure-Sync([string] $Name) {
    [System.GC]::Collect()
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $result = @(Invoke-HaloSync -PassThru)
    $watch.Stop()
    $summary = $result[-1]
    $events = @($result | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncEvent] })
    $clients = @{}
    foreach ($event in $events) { if ($event.InvoiceId) { $clients[$event.OrganizationId] = $true } }
    $subscriptions = @($events | Where-Object { $_.Entity -eq 'SoftwareLicence' }).Count
    $minimum = $clients.Count + [math]::Ceiling($subscriptions / 100)
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    "{0}: {1} events, {2} HaloPSA requests (writes minimum {3}), {4:n0} ms, working set {5:n0} MB, peak {6:n0} MB" -f `
        $Name, $events.Count, $summary.HaloPsaRequests, $minimum, $watch.Elapsed.TotalMilliseconds, ($process.WorkingSet64 / 1MB), ($process.PeakWorkingSet64 / 1MB)
}

Measure-Sync 'Initial sync'
Measure-Sync 'Second run (no change)'
