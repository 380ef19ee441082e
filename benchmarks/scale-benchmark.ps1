# Measures HaloSync at scale against the sandbox's benchmark account: requests to HaloPSA (reads and writes against
# the floor), requests to Sherweb, wall time through simulated latency, CPU and peak memory of this pwsh, for an
# initial sync, a run with 1% of quantities changed and 0.5% cancelled, and a run with no change; then
# Compare-HaloBilling over the account, the first run of a newly mapped customer, and the time of Get-HaloSyncLog on a
# large log. Not a test: it prints figures
# and asserts nothing.
#   dotnet tool restore && dotnet build HaloSync.sln
#   dotnet pwsh -NoProfile -File benchmarks/scale-benchmark.ps1 -Organizations 1000 -LatencyMs 50
#   dotnet pwsh -NoProfile -File benchmarks/scale-benchmark.ps1 -Short          # 100 organizations, for CI
# HaloSync runs with its default pacer (300 requests per 5 minutes); the simulated HaloPSA enforces -HaloRateLimit.
# Each measured run is a scheduled run: a fresh pwsh that imports, connects and syncs (benchmarks/measured-run.ps1),
# measured from inside (wall time, CPU, peak working set of that process); before it, the simulated HaloPSA's clock
# moves on 15 minutes, so its rate-limit window is the one a new run meets.
[CmdletBinding()]
param(
    [ValidateRange(1, 100000)]
    [int] $Organizations = 1000,

    [ValidateRange(1, 1000)]
    [int] $SubscriptionsPerOrganization = 10,

    [ValidateRange(0, 60000)]
    [int] $LatencyMs = 50,

    [ValidateRange(0, 1000000)]
    [int] $HaloRateLimit = 300,

    [ValidateRange(0, 10000000)]
    [int] $LogEvents = 100000,

    # A quick pass for CI: 100 organizations, 10 ms latency, 20,000 log events.
    [switch] $Short
)

$ErrorActionPreference = 'Stop'
if ($Short) {
    $Organizations = 100
    $LatencyMs = 10
    $LogEvents = 20000
}

if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

. "$PSScriptRoot/../examples/sandbox.ps1"
$sandbox = Start-HaloSyncSandbox -Organizations $Organizations -SubscriptionsPerOrganization $SubscriptionsPerOrganization -LatencyMs $LatencyMs -HaloRateLimit $HaloRateLimit -TimeoutSeconds 300
$folder = Join-Path ([System.IO.Path]::GetTempPath()) 'halosync-benchmark' ([guid]::NewGuid().ToString('N'))

function Invoke-Control([string] $ControlUri, [string] $Route, [string] $Method = 'Get', $Body) {
    $parameters = @{ Uri = $ControlUri.TrimEnd('/') + '/' + $Route; Method = $Method }
    if ($null -ne $Body) { $parameters.Body = $Body | ConvertTo-Json -Depth 5; $parameters.ContentType = 'application/json' }
    Invoke-RestMethod @parameters
}

function Get-Requests([string] $ControlUri) { foreach ($request in (Invoke-Control $ControlUri 'requests')) { $request } }

# One scheduled run, in a fresh pwsh as a runbook host starts it (benchmarks/measured-run.ps1), and what it sent:
# HaloPSA list reads and writes (and the records the writes carried), Sherweb requests. -Environment: variables set
# for that pwsh only, as a scheduled task sets them.
function Measure-Run([string] $Name, [int] $Runs = 1, [hashtable] $Environment = @{}) {
    Invoke-Control $sandbox.HaloControlUri 'clock' 'Post' @{ advanceSeconds = 900 } | Out-Null # 15 minutes since the last run
    Invoke-Control $sandbox.HaloControlUri 'requests' 'Delete' | Out-Null
    Invoke-Control $sandbox.SherwebControlUri 'requests' 'Delete' | Out-Null
    $saved = @{}
    foreach ($variable in $Environment.Keys) { $saved[$variable] = [System.Environment]::GetEnvironmentVariable($variable); [System.Environment]::SetEnvironmentVariable($variable, $Environment[$variable]) }
    try {
        $output = & ([System.Environment]::ProcessPath) @(if ([System.IO.Path]::GetFileNameWithoutExtension([System.Environment]::ProcessPath) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' }) `
            -NoProfile -NonInteractive -File (Join-Path $PSScriptRoot 'measured-run.ps1') -StatePath $state -Runs $Runs
    }
    finally {
        foreach ($variable in $saved.Keys) { [System.Environment]::SetEnvironmentVariable($variable, $saved[$variable]) }
    }
    if ($LASTEXITCODE -ne 0) { throw "The measured run '$Name' failed: $output" }
    $measured = $output | Select-Object -Last 1 | ConvertFrom-Json
    $summary = $measured.Summary
    $halo = Get-Requests $sandbox.HaloControlUri | Where-Object { $_.path -like '/api/*' }
    $writes = @($halo | Where-Object method -eq 'POST')
    $records = @{}
    foreach ($write in $writes) {
        $count = @($write.body | ConvertFrom-Json).Count
        $records[$write.path] = [int]$records[$write.path] + $count
    }
    $floorWrites = 0
    foreach ($count in $records.Values) { $floorWrites += [math]::Ceiling($count / 100) }
    [pscustomobject]@{
        Run          = $Name
        Events       = $summary.Created + $summary.Adopted + $summary.Updated + $summary.Cancelled + $summary.Charges + $summary.ItemCostUpdates + $summary.DriftReverted
        Failed       = $summary.Failed
        HaloReads    = @($halo | Where-Object method -eq 'GET').Count / $Runs
        HaloWrites   = $writes.Count / $Runs
        WriteFloor   = [int]$floorWrites
        Licences     = [int]$records['/api/SoftwareLicence']
        Invoices     = [int]$records['/api/RecurringInvoice']
        SherwebCalls = @(Get-Requests $sandbox.SherwebControlUri | Where-Object { $_.path -notlike "/auth/*" }).Count / $Runs
        Seconds      = [math]::Round($measured.Seconds, 1)
        CpuSeconds   = [math]::Round($measured.CpuSeconds, 1)
        ProcessCpu   = [math]::Round($measured.ProcessCpuSeconds, 1)
        BeforeMB     = [int]$measured.BeforeMB
        PeakMB       = [int]$measured.PeakMB
    }
}

try {
    $state = Join-Path $folder 'halosync.db'
    Set-HaloSyncConfiguration -StatePath $state -InvoiceDay 15 -MappingMode Automatic -SyncEnabled $true -TimeZone 'UTC' | Out-Null
    Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath $state | Out-Null
    Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey | Out-Null
    Get-HaloClient | Out-Null
    $setup = [System.Diagnostics.Stopwatch]::StartNew()
    Get-CumulusOrganization | Select-Object @{ n = 'Organization'; e = { $_.OrganizationId } }, @{ n = 'Halo Client'; e = { $_.Name } } |
        Set-HaloOrgMapping -ErrorAction Stop
    $setup.Stop()
    $subscriptions = $Organizations * $SubscriptionsPerOrganization
    Write-Host ("Scale benchmark: {0:n0} organizations, {1:n0} subscriptions, {2} ms latency per request, HaloPSA limit {3} requests / 5 min." -f `
        $Organizations, $subscriptions, $LatencyMs, $HaloRateLimit)
    Write-Host ("Setup (not measured below): {0:n0} organizations mapped from a pipeline in {1:n1} s." -f $Organizations, $setup.Elapsed.TotalSeconds)

    $runs = [System.Collections.Generic.List[object]]::new()
    $runs.Add((Measure-Run 'Initial sync'))

    # 1% of the subscriptions take 1 to 3 more seats, 0.5% are cancelled (spread over the organizations).
    $sherweb = Invoke-Control $sandbox.SherwebControlUri 'state'
    $all = @($sherweb.subscriptions | ForEach-Object { [pscustomobject]@{ id = $_.subscription.id; quantity = $_.currentQuantity } })
    $changed = [math]::Max(1, [int]($all.Count / 100))
    $cancelled = [math]::Max(1, [int]($all.Count / 200))
    for ($i = 0; $i -lt $changed; $i++) {
        $subscription = $all[($i * 97) % $all.Count]
        Invoke-Control $sandbox.SherwebControlUri "subscriptions/$($subscription.id)/quantity" 'Post' @{ quantity = [int]$subscription.quantity + 1 + $i % 3 } | Out-Null
    }
    for ($i = 0; $i -lt $cancelled; $i++) {
        Invoke-Control $sandbox.SherwebControlUri "subscriptions/$($all[($i * 89 + 13) % $all.Count].id)/cancel" 'Post' @{} | Out-Null
    }
    $runs.Add((Measure-Run ("{0} changed, {1} cancelled" -f $changed, $cancelled)))
    $runs.Add((Measure-Run 'No change'))
    # The same, in a process that has synced once already (figures of its second run; requests per run).
    $runs.Add((Measure-Run 'No change, warm process' -Runs 2))
    # The runtime settings docs/setup.md gives scheduled hosts (most of a fresh run's CPU is .NET's tiered compilation).
    $runs.Add((Measure-Run 'No change, host settings' -Environment @{ DOTNET_TieredPGO = '0'; DOTNET_ThreadPool_UnfairSemaphoreSpinLimit = '0' }))
    $runs | Format-Table -Property * -AutoSize | Out-String -Width 220 | Out-Host

    # Compare-HaloBilling over the whole account (reads only), on the recurring-invoice lines, then on the invoices
    # HaloPSA generates from them (the sandbox's control surface generates this period's invoices).
    function Measure-Comparison([string] $Name, [switch] $Invoiced) {
        Invoke-Control $sandbox.HaloControlUri 'clock' 'Post' @{ advanceSeconds = 900 } | Out-Null
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $report = Compare-HaloBilling -Summary -Invoiced:$Invoiced -WarningAction SilentlyContinue
        $watch.Stop()
        [pscustomobject]@{
            Report          = $Name
            Organizations   = $report.ByOrganization.Count
            Rows            = $report.Rows.Count
            HaloRequests    = $report.HaloPsaRequests
            SherwebRequests = $report.CumulusRequests
            Seconds         = [math]::Round($watch.Elapsed.TotalSeconds, 1)
        }
    }

    Invoke-Control $sandbox.HaloControlUri 'invoices/generate' 'Post' @{} | Out-Null
    Write-Host 'Compare-HaloBilling -Summary over the same account (this process, reads only):'
    @(
        Measure-Comparison 'Recurring-invoice lines'
        Measure-Comparison 'Invoices of the period' -Invoiced
    ) | Format-Table -AutoSize | Out-String -Width 200 | Out-Host

    # A new Sherweb customer with one subscription of each product, mapped to an existing HaloPSA client, with hand edits
    # checked once a day (so a run reads back only the clients it changes). Its first run reads HaloPSA's whole
    # subscription and recurring-invoice lists once (they are the run's read-back too), to find HaloSync's records of it
    # on other clients, as after a lost state file; the next run, with nothing changed, reads neither.
    $customer = Invoke-Control $sandbox.SherwebControlUri 'customers' 'Post' @{ displayName = 'Benchmark New Customer' }
    foreach ($product in @((Invoke-Control $sandbox.SherwebControlUri 'state').products)) {
        Invoke-Control $sandbox.SherwebControlUri 'subscriptions' 'Post' @{ customerId = $customer.id; sku = $product.sku; quantity = 5 } | Out-Null
    }
    Get-CumulusOrganization -StatePath $state | Out-Null
    Set-HaloOrgMapping -StatePath $state -Organization $customer.id -HaloClientName (Get-HaloClient -StatePath $state | Select-Object -First 1).Name -WarningAction SilentlyContinue
    Set-HaloSyncConfiguration -StatePath $state -HandEditCheckHours 24 | Out-Null
    Write-Host 'A new customer mapped, -HandEditCheckHours 24 (after the comparison):'
    @(
        Measure-Run 'New customer, first run'
        Measure-Run 'New customer, next run'
    ) | Format-Table -Property * -AutoSize | Out-String -Width 220 | Out-Host

    # The log at scale: a state file with $LogEvents events (1% Failed) over the benchmark's organizations.
    if ($LogEvents -gt 0) {
        $logState = Join-Path $folder 'log.db'
        $store = [HaloSync.Engine.State.StateStore]::Open($logState)
        try {
            $log = [HaloSync.Engine.Sync.EventLog]::new($store)
            $start = [DateTimeOffset]::UtcNow.AddDays(-90)
            for ($offset = 0; $offset -lt $LogEvents; $offset += 10000) {
                $batch = foreach ($n in $offset..([math]::Min($offset + 10000, $LogEvents) - 1)) {
                    [HaloSync.Engine.Sync.SyncEvent]@{
                        RunId = "run-$([int]($n / 1000))"; CreatedAt = $start.AddSeconds($n * 60); OrganizationId = "org-$($n % $Organizations)"
                        OrganizationName = 'Scale Customer {0:00000}' -f ($n % $Organizations + 1); Sku = 'SCALE-SKU-{0:00}' -f ($n % 10 + 1)
                        Kind = 'ChangeQuantity'; Entity = 'SoftwareLicence'; QuantityBefore = 1; QuantityAfter = 2; UnitPrice = 9.5; UnitCost = 7.25
                        CumulusKey = "sub-$n"; Status = if ($n % 100 -eq 0) { 'Failed' } else { 'Success' }; Attempts = 1
                    }
                }
                $log.Record([HaloSync.Engine.Sync.SyncEvent[]]@($batch))
            }
        }
        finally {
            $store.Dispose()
        }

        function Measure-Query([string] $Name, [scriptblock] $Query) {
            & $Query | Out-Null # warm the file cache and the query plan
            $times = foreach ($i in 1..5) { (Measure-Command { $script:rows = @(& $Query) }).TotalMilliseconds }
            [pscustomobject]@{ Query = $Name; Rows = $rows.Count; MedianMs = [math]::Round(($times | Sort-Object)[2], 1) }
        }

        Write-Host ("Get-HaloSyncLog on {0:n0} events:" -f $LogEvents)
        @(
            Measure-Query 'Get-HaloSyncLog -Status Failed' { Get-HaloSyncLog -StatePath $logState -Status Failed }
            Measure-Query "Get-HaloSyncLog -Organization 'Scale Customer 00042' -First 20" { Get-HaloSyncLog -StatePath $logState -Organization 'Scale Customer 00042' -First 20 }
            Measure-Query "Get-HaloSyncLog -Product 'SCALE-SKU-0*' -First 100" { Get-HaloSyncLog -StatePath $logState -Product 'SCALE-SKU-0*' -First 100 }
        ) | Format-Table -AutoSize | Out-String -Width 200 | Out-Host
        Write-Host ("State file: {0:n1} MB of sync state after three runs; {1:n1} MB for the log of {2:n0} events." -f `
            ((Get-Item $state).Length / 1MB), ((Get-Item $logState).Length / 1MB), $LogEvents)
    }
}
finally {
    Stop-HaloSyncSandbox -Sandbox $sandbox
    Remove-Item -Recurse -Force $folder -ErrorAction SilentlyContinue
}
