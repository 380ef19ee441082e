# Two Invoke-HaloSync on one state file at once, as two runbooks or two admins would start them: one runs, the
# other is refused at once with SyncAlreadyRunning. Both are released together; HaloPSA answers slowly (latency on
# the simulator) so the winner holds the lease for seconds.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox
    $latencyMs = 700

    function Set-HaloLatency([int] $Milliseconds) {
        Invoke-Sim $sandbox.HaloControlUri latency -Method Post -Body @{ milliseconds = $Milliseconds } | Out-Null
    }

    function Assert-OneRanOneRefused($Outcomes, [string] $StatePath) {
        $Outcomes.Count | Should -Be 2
        $winner = @($Outcomes | Where-Object Outcome -eq 'Synced')
        $loser = @($Outcomes | Where-Object Outcome -ne 'Synced')
        $winner.Count | Should -Be 1 -Because ($Outcomes | Out-String)
        $loser.Count | Should -Be 1
        $loser[0].Outcome | Should -Be 'SyncAlreadyRunning,HaloSync.Commands.InvokeHaloSyncCommand'
        $loser[0].Message | Should -Match ([regex]::Escape($StatePath))
        # Refused at once, while the winner was still going (its HaloPSA requests take $latencyMs ms each).
        [double]$loser[0].Seconds | Should -BeLessThan 2
        [double]$winner[0].Seconds | Should -BeGreaterThan ([double]$loser[0].Seconds + 1)
        # Its records are created, or adopted when an earlier test on this sandbox already made them.
        $winner[0].Written | Should -BeGreaterThan 0
    }
}

AfterAll {
    Set-HaloLatency 0
    Stop-HaloSyncSandbox
}

Describe 'Two Invoke-HaloSync at once on one state file' {
    AfterEach {
        Set-HaloLatency 0
    }

    It 'from two Start-ThreadJob runspaces: one syncs, the other gets SyncAlreadyRunning at once' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        $ready = [System.Threading.CountdownEvent]::new(2)
        $go = [System.Threading.ManualResetEventSlim]::new($false)

        $jobs = 1..2 | ForEach-Object {
            Start-ThreadJob -ArgumentList $_ -ScriptBlock {
                param($Number)
                $sandbox = $using:sandbox
                Import-Module $using:ModuleManifest
                # Connections are per runspace: each job connects for itself.
                Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath $using:state | Out-Null
                Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey | Out-Null
                ($using:ready).Signal() | Out-Null
                if (-not ($using:go).Wait(60000)) { throw 'never released' }
                $watch = [System.Diagnostics.Stopwatch]::StartNew()
                try {
                    $summary = Invoke-HaloSync -Organization 'Contoso Ltd' -ErrorAction Stop
                    [pscustomobject]@{ Job = $Number; Outcome = 'Synced'; Written = $summary.Created + $summary.Adopted; Message = ''; Seconds = $watch.Elapsed.TotalSeconds }
                }
                catch {
                    [pscustomobject]@{ Job = $Number; Outcome = $_.FullyQualifiedErrorId; Written = 0; Message = $_.Exception.Message; Seconds = $watch.Elapsed.TotalSeconds }
                }
            }
        }
        $ready.Wait([timespan]::FromSeconds(60)) | Should -BeTrue -Because (($jobs | Receive-Job -ErrorAction SilentlyContinue 2>&1) | Out-String)
        Set-HaloLatency $latencyMs
        $go.Set()
        $outcomes = @($jobs | Receive-Job -Wait -AutoRemoveJob)

        Assert-OneRanOneRefused $outcomes $state
    }

    It 'from two pwsh processes: one syncs, the other gets SyncAlreadyRunning at once and exits non-zero with the error' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        $signals = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $signals | Out-Null
        $script = @'
param($Number)
$ErrorActionPreference = 'Stop'
Import-Module $env:TEST_MODULE
$haloCredential = [pscredential]::new($env:HALOSYNC_SANDBOX_HALO_CLIENT_ID, (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET -AsPlainText -Force))
$sherwebCredential = [pscredential]::new($env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID, (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET -AsPlainText -Force))
Connect-HaloPsa -Site $env:HALOSYNC_SANDBOX_HALO_SITE -Credential $haloCredential -StatePath $env:TEST_STATE | Out-Null
Connect-Cumulus -ApiBaseUri $env:HALOSYNC_SANDBOX_SHERWEB_URI -Credential $sherwebCredential -SubscriptionKey (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY -AsPlainText -Force) | Out-Null
New-Item -ItemType File (Join-Path $env:TEST_SIGNALS "ready-$Number") | Out-Null
while (-not (Test-Path (Join-Path $env:TEST_SIGNALS 'go'))) { Start-Sleep -Milliseconds 10 }
$watch = [System.Diagnostics.Stopwatch]::StartNew()
try {
    $summary = Invoke-HaloSync -Organization 'Contoso Ltd'
    "OUTCOME=Synced;WRITTEN=$($summary.Created + $summary.Adopted);SECONDS=$($watch.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture))"
}
catch {
    "OUTCOME=$($_.FullyQualifiedErrorId);WRITTEN=0;SECONDS=$($watch.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture))"
    "MESSAGE=$($_.Exception.Message)"
    throw
}
'@
        $file = Join-Path $signals 'sync.ps1'
        Set-Content -Path $file -Value $script
        $environment = @{ TEST_MODULE = $ModuleManifest; TEST_STATE = $state; TEST_SIGNALS = $signals }

        $started = 1..2 | ForEach-Object { Start-Pwsh -File $file -Arguments "$_" -Environment $environment }
        $deadline = [datetime]::UtcNow.AddSeconds(90)
        while (@(Get-ChildItem $signals -Filter 'ready-*').Count -lt 2 -and [datetime]::UtcNow -lt $deadline -and -not ($started.Process | Where-Object HasExited)) {
            Start-Sleep -Milliseconds 50
        }
        @(Get-ChildItem $signals -Filter 'ready-*').Count | Should -Be 2
        Set-HaloLatency $latencyMs
        New-Item -ItemType File (Join-Path $signals 'go') | Out-Null
        $results = @($started | Wait-Pwsh -TimeoutSeconds 120)

        $outcomes = foreach ($result in $results) {
            $line = ($result.Output -split '\r?\n' | Where-Object { $_ -like 'OUTCOME=*' } | Select-Object -First 1)
            $fields = @{}
            foreach ($pair in ($line -split ';')) { $name, $value = $pair -split '=', 2; $fields[$name] = $value }
            $message = ($result.Output -split '\r?\n' | Where-Object { $_ -like 'MESSAGE=*' } | Select-Object -First 1) -replace '^MESSAGE=', ''
            [pscustomobject]@{ Outcome = $fields.OUTCOME; Written = [int]$fields.WRITTEN; Seconds = [double]::Parse($fields.SECONDS, [cultureinfo]::InvariantCulture)
                Message = $message; ErrorText = $result.Error; ExitCode = $result.ExitCode }
        }
        Assert-OneRanOneRefused @($outcomes) $state
        ($outcomes | Where-Object Outcome -eq 'Synced').ExitCode | Should -Be 0
        $loser = $outcomes | Where-Object Outcome -ne 'Synced'
        $loser.ExitCode | Should -Not -Be 0
        # pwsh printed the error on its error stream, as a runbook host would log it.
        $loser.ErrorText | Should -Match 'Another sync'
    }
}
