# Real pwsh processes, as users and runbook hosts start them (these replace the old home-made host's tests), and the
# sandbox process that examples and tests start.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandboxDll = Join-Path $RepoRoot 'out' 'sandbox' 'HaloSync.Sandbox.dll'

    function Start-SandboxProcess([string[]] $Arguments) {
        $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        $start.ArgumentList.Add($sandboxDll)
        foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
        $start.UseShellExecute = $false
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        [System.Diagnostics.Process]::Start($start)
    }
}

Describe 'A fresh pwsh process' {
    It 'imports the module by path and opens SQLite at HALOSYNC_STATE_PATH' {
        $state = Join-Path (New-StatePath | Split-Path) 'nested' 'halosync.db'
        $result = Invoke-Pwsh -Command "Import-Module '$ModuleManifest'; Set-HaloSyncConfiguration -InvoiceDay 28 -BillingMethod PostBill; Get-HaloSyncConfiguration | Format-Table | Out-String -Width 120" `
            -Environment @{ HALOSYNC_STATE_PATH = $state }

        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Error | Should -BeNullOrEmpty
        Test-Path $state | Should -BeTrue
        $result.Output | Should -Match 'InvoiceDay BillingMethod'
        $result.Output | Should -Match '\s28 PostBill'
        (Get-HaloSyncConfiguration -StatePath $state).InvoiceDay | Should -Be 28
    }

    It 'takes HALOSYNC_STATE_PATH with the quotes cmd''s set command keeps around it' {
        $state = New-StatePath
        $result = Invoke-Pwsh -Command "Import-Module '$ModuleManifest'; Set-HaloSyncConfiguration -InvoiceDay 3" `
            -Environment @{ HALOSYNC_STATE_PATH = '"' + $state + '"' }

        $result.ExitCode | Should -Be 0 -Because $result.Error
        (Get-HaloSyncConfiguration -StatePath $state).InvoiceDay | Should -Be 3
    }

    It 'has SQLite ready on import, before Microsoft.Data.Sqlite looks for a provider by name' {
        $result = Invoke-Pwsh -Command "Import-Module '$ModuleManifest'; [SQLitePCL.raw]::sqlite3_libversion_number()"

        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output.Trim() | Should -Match '^3\d{6}$'
    }

    It 'exits non-zero with the error text when a command fails' {
        $result = Invoke-Pwsh -Command "Import-Module '$ModuleManifest'; Set-HaloSyncConfiguration -InvoiceDay 32" `
            -Environment @{ HALOSYNC_STATE_PATH = (New-StatePath) }

        $result.ExitCode | Should -Not -Be 0
        $result.Error | Should -Match 'The invoice day 32 is not valid'
        $result.Error | Should -Match 'from 1 to 31'
    }

    It 'exits non-zero when a script stops on an error ($ErrorActionPreference = Stop, -File)' {
        $file = Join-Path $TestDrive 'fails.ps1'
        Set-Content $file "`$ErrorActionPreference = 'Stop'; Import-Module '$ModuleManifest'; Invoke-HaloSync; 'not reached'"
        $result = Invoke-Pwsh -File $file -Environment @{ HALOSYNC_STATE_PATH = (New-StatePath) }

        $result.ExitCode | Should -Be 1
        $result.Output | Should -Not -Match 'not reached'
        $result.Error | Should -Match 'not connected to HaloPSA'
    }
}

Describe 'The README main job (examples/main-job.ps1)' {
    It 'runs end to end in pwsh, starting and stopping its own sandbox' {
        $state = New-StatePath
        $result = Invoke-Pwsh -File (Join-Path $RepoRoot 'examples' 'main-job.ps1') -Arguments '-StatePath', $state -TimeoutSeconds 300 `
            -Environment @{ HALOSYNC_SANDBOX_HALO_SITE = '' }

        $result.ExitCode | Should -Be 0 -Because "$($result.Error)`n$($result.Output)"
        $result.Error | Should -BeNullOrEmpty
        $text = $result.Output
        $text | Should -Match 'Sandbox started: HaloPSA http://127\.0\.0\.1:\d+/'
        $text | Should -Match 'Cumulus: 30 organizations, 11 products\. HaloPSA: 27 clients'
        $text | Should -Match 'MS-TEAMS-ESS'
        $text | Should -Match 'Mapped 2 of 3 rows from product-mappings\.csv; 1 need attention:'
        $text | Should -Match "Row 3: No HaloPSA item has the id or name 'Acronis Cyber Protect'"
        $text | Should -Match 'Organizations mapped: 27; not mapped: 3\.'
        $text | Should -Match 'Planned: [1-9]\d* events\.'
        $text | Should -Match 'Second run: 0 changes'
        $text | Should -Match 'Failed events: 0\.'
        $text | Should -Match 'Sandbox stopped\.'
        $text | Should -Not -Match 'demo-sherweb-secret-not-real|halosync-sim-secret|demo-subscription-key-not-real'
        (Get-HaloSyncLog -StatePath $state | Where-Object Status -eq 'Success').Count | Should -BeGreaterThan 0
    }
}

Describe 'The sandbox process (out/sandbox/HaloSync.Sandbox.dll)' {
    It 'prints one JSON line whose control URLs answer with the index of control routes' {
        $process = Start-SandboxProcess @('--halo-port', '0', '--sherweb-port', '0', '--json')
        try {
            $info = $process.StandardOutput.ReadLine() | ConvertFrom-Json
            $info.environment.HALOSYNC_SANDBOX_HALO_SITE | Should -Match '^http://127\.0\.0\.1:\d+/$'
            $halo = Invoke-RestMethod $info.haloControlUri
            $halo.routes | Should -Contain 'GET /_sim/state'
            $halo.routes | Should -Contain 'POST /_sim/faults'
            $sherweb = Invoke-RestMethod $info.sherwebControlUri.TrimEnd('/')
            $sherweb.routes | Should -Contain 'POST /_sim/subscriptions'
            $sherweb.routes | Should -Contain 'GET /_sim/requests'
        }
        finally {
            $process.StandardInput.Close()
            $process.WaitForExit(15000) | Should -BeTrue -Because 'the sandbox stops when its standard input closes'
            $process.ExitCode | Should -Be 0
            $process.Dispose()
        }
    }

    It 'stops on SIGTERM' {
        $process = Start-SandboxProcess @('--halo-port', '0', '--sherweb-port', '0', '--json')
        try {
            $info = $process.StandardOutput.ReadLine() | ConvertFrom-Json
            & kill -TERM $process.Id
            $process.WaitForExit(15000) | Should -BeTrue
            $process.ExitCode | Should -Be 0
            { Invoke-RestMethod $info.haloControlUri -TimeoutSec 5 } | Should -Throw
        }
        finally {
            if (-not $process.HasExited) { $process.Kill($true) }
            $process.Dispose()
        }
    }

    It 'refuses a port in use with one clear line and exit code 3' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $process = Start-SandboxProcess @('--halo-port', "$port", '--sherweb-port', '0', '--json')
            $errors = $process.StandardError.ReadToEndAsync()
            $process.WaitForExit(30000) | Should -BeTrue
            $process.ExitCode | Should -Be 3
            $lines = @($errors.Result -split '\r?\n' | Where-Object { $_ })
            $lines.Count | Should -Be 1
            $lines[0] | Should -Match "127\.0\.0\.1:$port.*address already in use.*--halo-port"
            $lines[0] | Should -Not -Match '   at '
            $process.Dispose()
        }
        finally {
            $listener.Stop()
        }
    }

    It 'Start-HaloSyncSandbox sets the HALOSYNC_SANDBOX_* variables, adds latency, and Stop-HaloSyncSandbox removes them' {
        $before = $env:HALOSYNC_SANDBOX_HALO_SITE
        $sandbox = Start-HaloSyncSandbox -LatencyMs 150
        try {
            $env:HALOSYNC_SANDBOX_HALO_SITE | Should -Be $sandbox.HaloSite
            $sandbox.HaloCredential | Should -BeOfType [pscredential]
            $sandbox.SubscriptionKey | Should -BeOfType [securestring]
            "$($sandbox | Format-List | Out-String)" | Should -Not -Match 'secret|not-real'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath (New-StatePath) | Out-Null
            $watch.Elapsed.TotalMilliseconds | Should -BeGreaterThan 300
        }
        finally {
            Stop-HaloSyncSandbox -Sandbox $sandbox
        }
        $env:HALOSYNC_SANDBOX_HALO_SITE | Should -Be $before
        Get-Process -Id $sandbox.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
