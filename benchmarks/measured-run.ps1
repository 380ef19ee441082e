# One Invoke-HaloSync as a scheduled runbook makes it (a fresh pwsh: import, connect, sync), measured from inside:
# wall time, CPU and peak working set of this process. Prints one line of JSON. Used by scale-benchmark.ps1; the
# sandbox's connection values come from the HALOSYNC_SANDBOX_* variables that examples/sandbox.ps1 sets.
param(
    [Parameter(Mandatory)] [string] $StatePath
)

$ErrorActionPreference = 'Stop'
Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
function ConvertTo-Credential([string] $UserName, [string] $Secret) {
    [pscredential]::new($UserName, (ConvertTo-SecureString $Secret -AsPlainText -Force))
}

$process = [System.Diagnostics.Process]::GetCurrentProcess()
$before = [System.Environment]::WorkingSet
$cpu = $process.TotalProcessorTime
$watch = [System.Diagnostics.Stopwatch]::StartNew()
Connect-HaloPsa -Site $env:HALOSYNC_SANDBOX_HALO_SITE -StatePath $StatePath `
    -Credential (ConvertTo-Credential $env:HALOSYNC_SANDBOX_HALO_CLIENT_ID $env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET) | Out-Null
Connect-Cumulus -ApiBaseUri $env:HALOSYNC_SANDBOX_SHERWEB_URI -SubscriptionKey (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY -AsPlainText -Force) `
    -Credential (ConvertTo-Credential $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET) | Out-Null
$summary = Invoke-HaloSync
$watch.Stop()
$process.Refresh()
[pscustomobject]@{
    Summary    = $summary | Select-Object Created, Adopted, Updated, Cancelled, Charges, ItemCostUpdates, DriftReverted, Failed, HaloPsaRequests
    Seconds    = $watch.Elapsed.TotalSeconds
    CpuSeconds = ($process.TotalProcessorTime - $cpu).TotalSeconds
    BeforeMB   = $before / 1MB
    PeakMB     = $process.PeakWorkingSet64 / 1MB
} | ConvertTo-Json -Compress
