# Shared by every tests/Pester/*.Tests.ps1: dot-source it in BeforeAll.
# Imports the module by path from out/HaloSync exactly as users do, and brings the sandbox helper
# (examples/sandbox.ps1) and small helpers for state files, child pwsh processes and the simulators' control surface.

$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).ProviderPath
$ModuleFolder = Join-Path $RepoRoot 'out' 'HaloSync'
$ModuleManifest = Join-Path $ModuleFolder 'HaloSync.psd1'
if (-not (Test-Path $ModuleManifest)) {
    throw "The staged module '$ModuleManifest' is missing: run 'dotnet build HaloSync.sln' (build.ps1 does)."
}
if (-not (Get-Module HaloSync)) {
    Import-Module $ModuleManifest -ErrorAction Stop
}
. (Join-Path $RepoRoot 'examples' 'sandbox.ps1')
$PwshDll = Join-Path $PSHOME 'pwsh.dll'

function New-StatePath {
    # A fresh state file for one test (the folder exists, the file does not).
    $folder = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    Join-Path $folder 'halosync.db'
}

function Connect-Sandbox {
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $StatePath)
    Connect-HaloPsa -Site $Sandbox.HaloSite -Credential $Sandbox.HaloCredential -StatePath $StatePath | Out-Null
    Connect-Cumulus -ApiBaseUri $Sandbox.SherwebUri -Credential $Sandbox.SherwebCredential -SubscriptionKey $Sandbox.SubscriptionKey `
        -StatePath $StatePath | Out-Null
}

function Initialize-DemoState {
    # Settings, connection, and what HaloSync has read of both sides; optionally every organization mapped by name.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $StatePath, [switch] $MapOrganizations)
    Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 15 -BillingMethod PreBill -MappingMode Automatic -SyncEnabled $true
    Connect-Sandbox -Sandbox $Sandbox -StatePath $StatePath
    Get-CumulusOrganization | Out-Null
    Get-CumulusProduct | Out-Null
    Get-HaloClient | Out-Null
    Get-HaloItem | Out-Null
    if ($MapOrganizations) {
        Get-CumulusOrganization | Select-Object @{ n = 'Organization'; e = { $_.OrganizationId } }, @{ n = 'Halo Client'; e = { $_.Name } } |
            Set-HaloOrgMapping -ErrorAction SilentlyContinue
    }
}

function Remove-Ansi([string] $Text) { $Text -replace "`e\[[0-9;]*[A-Za-z]", '' }

function Start-Pwsh {
    # Starts a fresh pwsh (the same 7.6.9 that runs the tests); Wait-Pwsh collects its exit code, output and errors.
    param(
        [string] $Command,
        [string] $File,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $RepoRoot
    )
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add($PwshDll)
    foreach ($a in @('-NoProfile', '-NonInteractive')) { $start.ArgumentList.Add($a) }
    if ($File) { $start.ArgumentList.Add('-File'); $start.ArgumentList.Add($File) }
    else { $start.ArgumentList.Add('-Command'); $start.ArgumentList.Add($Command) }
    foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
    $start.WorkingDirectory = $WorkingDirectory
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $start.Environment['NO_COLOR'] = '1'
    foreach ($pair in $Environment.GetEnumerator()) { $start.Environment[$pair.Key] = [string]$pair.Value }
    $process = [System.Diagnostics.Process]::Start($start)
    $process.StandardInput.Close()
    [pscustomobject]@{
        Process = $process
        Output  = $process.StandardOutput.ReadToEndAsync()
        Error   = $process.StandardError.ReadToEndAsync()
    }
}

function Wait-Pwsh {
    param([Parameter(Mandatory, ValueFromPipeline)] $Started, [int] $TimeoutSeconds = 180)
    process {
        $process = $Started.Process
        try {
            if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
                $process.Kill($true)
                throw "pwsh did not finish in $TimeoutSeconds s."
            }
            $process.WaitForExit()
            [pscustomobject]@{
                ExitCode = $process.ExitCode
                Output   = Remove-Ansi $Started.Output.Result
                Error    = Remove-Ansi $Started.Error.Result
            }
        }
        finally {
            $process.Dispose()
        }
    }
}

function Invoke-Pwsh {
    # Runs a fresh pwsh to the end: its exit code, output and error text.
    param(
        [string] $Command,
        [string] $File,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = $RepoRoot,
        [int] $TimeoutSeconds = 180
    )
    $null = $PSBoundParameters.Remove('TimeoutSeconds')
    Start-Pwsh @PSBoundParameters | Wait-Pwsh -TimeoutSeconds $TimeoutSeconds
}

function Invoke-Sim {
    # A call to a simulator's control surface (<site>/_sim/...), e.g. Invoke-Sim $sandbox.HaloControlUri state.
    param([Parameter(Mandatory)] [string] $ControlUri, [string] $Route = '', [string] $Method = 'Get', $Body)
    $uri = $ControlUri.TrimEnd('/') + '/' + $Route.TrimStart('/')
    $answer = if ($PSBoundParameters.ContainsKey('Body')) {
        Invoke-RestMethod -Uri $uri -Method $Method -ContentType 'application/json' -Body ($Body | ConvertTo-Json -Depth 10)
    }
    else {
        Invoke-RestMethod -Uri $uri -Method $Method
    }
    $answer # a JSON array comes out one element at a time (an empty one as nothing)
}
