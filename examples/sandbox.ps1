# Starts and stops the HaloSync sandbox (fake HaloPSA and Sherweb with demo data, on 127.0.0.1) from pwsh.
# Dot-source it, then:
#   . ./examples/sandbox.ps1
#   $sandbox = Start-HaloSyncSandbox                 # -LatencyMs 25 adds latency to every API request
#   Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential
#   Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey
#   Stop-HaloSyncSandbox
# Use-HaloSyncSandbox returns the sandbox the $env:HALOSYNC_SANDBOX_* variables describe, or starts one.
# The sandbox is the process `dotnet out/sandbox/HaloSync.Sandbox.dll --json` that `dotnet build HaloSync.sln`
# stages. It also sets the $env:HALOSYNC_SANDBOX_* variables that examples/main-job.ps1 reads, and it stops by
# itself when this pwsh ends (it runs until its standard input closes), so none is left behind.

# The two functions live in a small in-memory module, so the list of sandboxes it started is kept in one place
# however often this file is dot-sourced.
if (Get-Module HaloSync.SandboxHelper) {
    return
}

New-Module -Name HaloSync.SandboxHelper -ArgumentList (Split-Path -Parent $PSScriptRoot) -ScriptBlock {
    param([string] $RepositoryRoot)

    $script:HaloSyncSandboxes = [System.Collections.Generic.List[object]]::new()
    $script:RepositoryRoot = $RepositoryRoot

    function Start-HaloSyncSandbox {
        <#
        .SYNOPSIS
            Starts the HaloSync sandbox on free ports and returns its addresses and ready-made credentials.
        .PARAMETER LatencyMs
            Milliseconds added to every simulated HaloPSA and Sherweb API request (the benchmark uses 25).
        .PARAMETER Organizations
            Serve a benchmark account of this many organizations (each with a HaloPSA client of the same name)
            instead of the demo data.
        .PARAMETER SubscriptionsPerOrganization
            With -Organizations: monthly subscriptions per organization (default 10).
        .PARAMETER HaloRateLimit
            HaloPSA answers 429 beyond this many requests per rolling 5 minutes (default 300, as hosted Halo; 0 for none).
        .PARAMETER TimeoutSeconds
            How long to wait for the sandbox to report that it listens.
        .PARAMETER SandboxPath
            The built sandbox (default: out/sandbox/HaloSync.Sandbox.dll of this repository).
        .OUTPUTS
            An object with HaloSite, SherwebUri, HaloControlUri, SherwebControlUri, HaloCredential, SherwebCredential,
            SubscriptionKey (a SecureString) and ProcessId.
        #>
        [CmdletBinding()]
        [OutputType('HaloSync.Sandbox')]
        param(
            [ValidateRange(0, 60000)]
            [int] $LatencyMs = 0,

            [ValidateRange(0, 100000)]
            [int] $Organizations = 0,

            [ValidateRange(1, 1000)]
            [int] $SubscriptionsPerOrganization = 10,

            [ValidateRange(0, 1000000)]
            [int] $HaloRateLimit = 300,

            [ValidateRange(1, 600)]
            [int] $TimeoutSeconds = 60,

            [string] $SandboxPath = ([System.IO.Path]::Combine($RepositoryRoot, 'out', 'sandbox', 'HaloSync.Sandbox.dll'))
        )

        if (-not (Test-Path -LiteralPath $SandboxPath -PathType Leaf)) {
            throw "The sandbox is not built ('$SandboxPath' is missing). Run 'dotnet build HaloSync.sln' first."
        }

        $dotnet = if ($env:DOTNET_HOST_PATH -and (Test-Path -LiteralPath $env:DOTNET_HOST_PATH)) { $env:DOTNET_HOST_PATH } else { 'dotnet' }
        $start = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
        $arguments = @((Resolve-Path -LiteralPath $SandboxPath).ProviderPath, '--halo-port', '0', '--sherweb-port', '0', '--latency-ms', "$LatencyMs",
            '--halo-rate-limit', "$HaloRateLimit", '--json')
        if ($Organizations -gt 0) {
            $arguments += '--organizations', "$Organizations", '--subscriptions-per-organization', "$SubscriptionsPerOrganization"
        }
        # One quoted string, not ArgumentList, which .NET Framework (Windows PowerShell 5.1) does not have.
        $start.Arguments = ($arguments | ForEach-Object { if ($_ -match '[\s"]') { '"' + ($_ -replace '"', '\"') + '"' } else { $_ } }) -join ' '
        $start.UseShellExecute = $false
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($start)
        $errors = $process.StandardError.ReadToEndAsync()

        $line = $process.StandardOutput.ReadLineAsync()
        if (-not $line.Wait([timespan]::FromSeconds($TimeoutSeconds)) -or -not $line.Result) {
            if (-not $process.HasExited) {
                $process.Kill()
            }
            $process.WaitForExit(5000) | Out-Null
            $why = if ($process.HasExited) { "exit code $($process.ExitCode): $($errors.Result.Trim())" } else { "no answer in $TimeoutSeconds s" }
            $process.Dispose()
            throw "The HaloSync sandbox did not start ($why)."
        }

        $info = $line.Result | ConvertFrom-Json
        $previous = @{}
        foreach ($variable in $info.environment.PSObject.Properties) {
            $previous[$variable.Name] = [System.Environment]::GetEnvironmentVariable($variable.Name)
            [System.Environment]::SetEnvironmentVariable($variable.Name, [string]$variable.Value)
        }

        $sandbox = New-SandboxInfo -Environment $info.environment -HaloControlUri $info.haloControlUri -SherwebControlUri $info.sherwebControlUri `
            -LatencyMs $info.latencyMs -Process $process
        $sandbox | Add-Member -NotePropertyName PreviousEnvironment -NotePropertyValue $previous
        $script:HaloSyncSandboxes.Add($sandbox)
        $sandbox
    }

    function Use-HaloSyncSandbox {
        <#
        .SYNOPSIS
            The sandbox the $env:HALOSYNC_SANDBOX_* variables describe (one started earlier, by this or another
            pwsh), else a new one from Start-HaloSyncSandbox. Only a new one has a Process: stop it with Stop-HaloSyncSandbox.
        #>
        [CmdletBinding()]
        [OutputType('HaloSync.Sandbox')]
        param()

        if (-not $env:HALOSYNC_SANDBOX_HALO_SITE) {
            return Start-HaloSyncSandbox
        }

        $environment = [pscustomobject]@{}
        foreach ($name in 'HALO_SITE', 'HALO_CLIENT_ID', 'HALO_CLIENT_SECRET', 'SHERWEB_URI', 'SHERWEB_CLIENT_ID', 'SHERWEB_CLIENT_SECRET', 'SHERWEB_SUBSCRIPTION_KEY') {
            $environment | Add-Member -NotePropertyName "HALOSYNC_SANDBOX_$name" -NotePropertyValue ([System.Environment]::GetEnvironmentVariable("HALOSYNC_SANDBOX_$name"))
        }
        New-SandboxInfo -Environment $environment -HaloControlUri "$($env:HALOSYNC_SANDBOX_HALO_SITE)_sim/" `
            -SherwebControlUri "$($env:HALOSYNC_SANDBOX_SHERWEB_URI)_sim/" -LatencyMs $null -Process $null
    }

    function New-SandboxInfo($Environment, [string] $HaloControlUri, [string] $SherwebControlUri, $LatencyMs, $Process) {
        # Addresses and ready-made credentials from the sandbox's HALOSYNC_SANDBOX_* values.
        $sandbox = [pscustomobject]@{
            PSTypeName        = 'HaloSync.Sandbox'
            HaloSite          = $Environment.HALOSYNC_SANDBOX_HALO_SITE
            SherwebUri        = $Environment.HALOSYNC_SANDBOX_SHERWEB_URI
            HaloControlUri    = $HaloControlUri
            SherwebControlUri = $SherwebControlUri
            LatencyMs         = $LatencyMs
            HaloCredential    = [pscredential]::new($Environment.HALOSYNC_SANDBOX_HALO_CLIENT_ID,
                (ConvertTo-SecureString $Environment.HALOSYNC_SANDBOX_HALO_CLIENT_SECRET -AsPlainText -Force))
            SherwebCredential = [pscredential]::new($Environment.HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID,
                (ConvertTo-SecureString $Environment.HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET -AsPlainText -Force))
            SubscriptionKey   = ConvertTo-SecureString $Environment.HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY -AsPlainText -Force
            ProcessId         = if ($Process) { $Process.Id } else { $null }
        }
        $sandbox | Add-Member -NotePropertyName Process -NotePropertyValue $Process
        $shown = [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet',
            [string[]]@('HaloSite', 'SherwebUri', 'HaloControlUri', 'SherwebControlUri', 'LatencyMs', 'ProcessId'))
        $sandbox | Add-Member -MemberType MemberSet -Name PSStandardMembers -Value ([System.Management.Automation.PSMemberInfo[]]@($shown))
        $sandbox
    }

    function Stop-HaloSyncSandbox {
        <#
        .SYNOPSIS
            Stops a sandbox that Start-HaloSyncSandbox started (by default every one this session started) and
            restores the $env:HALOSYNC_SANDBOX_* variables it had set.
        #>
        [CmdletBinding()]
        param(
            [Parameter(ValueFromPipeline)]
            [psobject[]] $Sandbox
        )

        begin { $toStop = [System.Collections.Generic.List[object]]::new() }
        process { foreach ($item in $Sandbox) { $toStop.Add($item) } }
        end {
            if ($toStop.Count -eq 0) { $toStop.AddRange($script:HaloSyncSandboxes) }
            foreach ($item in $toStop) {
                $process = $item.Process
                if ($process -and -not $process.HasExited) {
                    # Closing its standard input is the sandbox's signal to stop; kill it only if it does not.
                    try { $process.StandardInput.Close() } catch { Write-Verbose "Standard input already closed: $_" }
                    if (-not $process.WaitForExit(15000)) {
                        $process.Kill()
                        $process.WaitForExit(5000) | Out-Null
                    }
                }
                if ($process) { $process.Dispose() }
                foreach ($variable in $item.PreviousEnvironment.GetEnumerator()) {
                    if ($null -eq $variable.Value) {
                        Remove-Item -Path "env:$($variable.Key)" -ErrorAction Ignore
                    }
                    else {
                        Set-Item -Path "env:$($variable.Key)" -Value $variable.Value
                    }
                }
                [void]$script:HaloSyncSandboxes.Remove($item)
            }
        }
    }

    Export-ModuleMember -Function Start-HaloSyncSandbox, Use-HaloSyncSandbox, Stop-HaloSyncSandbox
} | Import-Module -Global
