# One Invoke-HaloSync as a scheduled runbook makes it (a fresh pwsh: import, connect, sync), measured from inside:
# wall time and CPU of Invoke-HaloSync (the just-in-time compilation of its code included), CPU of the whole
# process (start and connect too), and its peak working set. Prints one line of JSON. Used by scale-benchmark.ps1; the
# sandbox's connection values come from the HALOSYNC_SANDBOX_* variables that examples/sandbox.ps1 sets.
param(
    [Parameter(Mandatory)] [string] $StatePath,

    # Run this many syncs in this process and measure the last (2: a warm process, as a session that syncs again).
    [ValidateRange(1, 10)]
    [int] $Runs = 1
)

$ErrorActionPreference = 'Stop'
Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
function ConvertTo-Credential([string] $UserName, [string] $Secret) {
    [pscredential]::new($UserName, (ConvertTo-SecureString $Secret -AsPlainText -Force))
}

$process = [System.Diagnostics.Process]::GetCurrentProcess()
$before = [System.Environment]::WorkingSet
Connect-HaloPsa -Site $env:HALOSYNC_SANDBOX_HALO_SITE -StatePath $StatePath `
    -Credential (ConvertTo-Credential $env:HALOSYNC_SANDBOX_HALO_CLIENT_ID $env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET) | Out-Null
Connect-Cumulus -ApiBaseUri $env:HALOSYNC_SANDBOX_SHERWEB_URI -SubscriptionKey (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY -AsPlainText -Force) `
    -Credential (ConvertTo-Credential $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET) | Out-Null
for ($run = 1; $run -le $Runs; $run++) {
    $process.Refresh()
    $cpu = $process.TotalProcessorTime
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $summary = Invoke-HaloSync
    $watch.Stop()
}

$process.Refresh()
[pscustomobject]@{
    Summary    = $summary | Select-Object Created, Adopted, Updated, Cancelled, Charges, ItemCostUpdates, DriftReverted, Failed, HaloPsaRequests
    Seconds    = $watch.Elapsed.TotalSeconds
    CpuSeconds = ($process.TotalProcessorTime - $cpu).TotalSeconds
    ProcessCpuSeconds = $process.TotalProcessorTime.TotalSeconds
    BeforeMB   = $before / 1MB
    PeakMB     = $process.PeakWorkingSet64 / 1MB
} | ConvertTo-Json -Compress
