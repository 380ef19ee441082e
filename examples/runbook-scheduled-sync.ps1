<#
.SYNOPSIS
    One unattended HaloSync run, for Azure Automation, an RMM agent or Task Scheduler (every 10 to 15 minutes).

.DESCRIPTION
    Connects to HaloPSA and Sherweb with secrets from the host's credential store, runs Invoke-HaloSync, prints one
    summary line and ends with an exit code a scheduler or an RMM agent can act on. It never prompts.

    Secrets, read at every run and never written anywhere:
      - in Azure Automation, Get-AutomationPSCredential: credential assets named by -HaloCredentialName (user name =
        HaloPSA client id, password = secret), -SherwebCredentialName (Sherweb client id and secret) and
        -SherwebKeyName (password = Sherweb subscription key; the user name is not used);
      - elsewhere, SecretManagement's Get-Secret (Microsoft.PowerShell.SecretManagement with a vault such as
        Microsoft.PowerShell.SecretStore): the same names, the first two stored as PSCredential, the key as a string.

    The state file (settings, mappings, what was synced) is set up once at a prompt: Set-HaloSyncConfiguration,
    Set-HaloProductMapping, Set-HaloOrgMapping, then Set-HaloSyncConfiguration -SyncEnabled $true. Give it with
    -StatePath or HALOSYNC_STATE_PATH; a runbook running as SYSTEM should always name it. The file must outlive the
    run: in Azure Automation, run this on a Hybrid Runbook Worker (a cloud job's disk is discarded after each job).

    The last line of output is the summary, one line:
      HaloSync OK: 27 organizations, 3 created, 1 updated, 0 cancelled, 2 pro-rata, 0 charges, 0 failed, 9 HaloPSA requests, run 20261120-101500-ab12cd
      HaloSync FAILED: 2 event(s) failed (Fabrikam, Inc., Microsoft 365 Business Premium (MS-BP-NCE) on HaloPSA client 12, ChangeQuantity 10 -> 13: ...); 27 organizations, ... run 20261120-101500-ab12cd
      HaloSync FAILED: HaloPsaPermissionMissing: The HaloPSA application ... lacks ...
    Exit codes: 0 every event succeeded; 1 the run finished but some events failed (the next run retries them);
    2 the run could not start or stopped (credentials, connection, permissions, state file, sync switched off).

    Written for Windows PowerShell 5.1 and PowerShell 7.

.EXAMPLE
    # Azure Automation (PowerShell 7.2 or 5.1 runbook) on a Hybrid Runbook Worker, with HaloSync installed there:
    .\runbook-scheduled-sync.ps1 -HaloSite https://contoso.halopsa.com -StatePath C:\HaloSync\halosync.db

.EXAMPLE
    # An RMM agent or Task Scheduler, running as a service account with a SecretStore vault:
    powershell.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File C:\HaloSync\runbook-scheduled-sync.ps1 -HaloSite https://contoso.halopsa.com -StatePath C:\HaloSync\halosync.db
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [string] $HaloSite,

    [string] $HaloCredentialName = 'HaloSync HaloPSA',

    [string] $SherwebCredentialName = 'HaloSync Sherweb',

    [string] $SherwebKeyName = 'HaloSync Sherweb subscription key',

    # Empty: Sherweb's own API. The sandbox's address in tests.
    [string] $SherwebApiBaseUri,

    [string] $StatePath = $env:HALOSYNC_STATE_PATH,

    # The module to import when it is not loaded yet: its name when installed, or the path of HaloSync.psd1.
    [string] $Module = 'HaloSync'
)

$ErrorActionPreference = 'Stop'
$ConfirmPreference = 'None'
$ProgressPreference = 'SilentlyContinue'

function ConvertTo-OneLine([string] $Text) {
    ($Text -replace '\s+', ' ').Trim()
}

function Get-RunbookSecret {
    # A PSCredential (or, with -Key, the SecureString password) from Azure Automation or SecretManagement.
    param([string] $Name, [switch] $Key)
    if (Get-Command -Name Get-AutomationPSCredential -ErrorAction SilentlyContinue) {
        $credential = Get-AutomationPSCredential -Name $Name
        if ($null -eq $credential) { throw "Azure Automation has no credential asset named '$Name'. Create it under Shared Resources > Credentials." }
        if ($Key) { return $credential.Password }
        return $credential
    }
    if (Get-Command -Name Get-Secret -ErrorAction SilentlyContinue) {
        $secret = Get-Secret -Name $Name -ErrorAction Stop
        if ($Key -and $secret -is [securestring]) { return $secret }
        if ($Key -and $secret -is [pscredential]) { return $secret.Password }
        if (-not $Key -and $secret -is [pscredential]) { return $secret }
        throw "The secret '$Name' is a $($secret.GetType().Name); store it as a PSCredential (client id as user name, secret as password)."
    }
    throw "No credential store: neither Get-AutomationPSCredential (Azure Automation) nor Get-Secret (Microsoft.PowerShell.SecretManagement) is available. " +
        "Run this in Azure Automation, or install SecretManagement with a vault and store '$HaloCredentialName', '$SherwebCredentialName' and '$SherwebKeyName'."
}

try {
    if (-not (Get-Module -Name HaloSync)) {
        Import-Module $Module
    }

    $cumulus = @{
        Credential      = Get-RunbookSecret -Name $SherwebCredentialName
        SubscriptionKey = Get-RunbookSecret -Name $SherwebKeyName -Key
    }
    if ($SherwebApiBaseUri) { $cumulus.ApiBaseUri = $SherwebApiBaseUri }
    $halo = @{ Site = $HaloSite; Credential = Get-RunbookSecret -Name $HaloCredentialName }
    if ($StatePath) { $halo.StatePath = $StatePath }

    Connect-HaloPsa @halo | Out-Null
    Connect-Cumulus @cumulus | Out-Null
    # A failed event is a non-terminating error: the run goes on with the other clients and the next run retries it.
    $summary = Invoke-HaloSync -ErrorAction SilentlyContinue -ErrorVariable failedEvents
}
catch {
    # HaloSync's errors carry a stable id (docs/troubleshooting.md); others (a missing vault, a module not found) only a message.
    $errorId = $_.Exception.ErrorId
    $reason = ConvertTo-OneLine $_.Exception.Message
    if ($errorId) { $reason = "${errorId}: $reason" }
    Write-Output "HaloSync FAILED: $reason"
    exit 2
}

$counts = '{0} organizations, {1} created, {2} updated, {3} cancelled, {4} pro-rata, {5} charges, {6} failed, {7} HaloPSA requests, run {8}' -f `
    $summary.Organizations, $summary.Created, $summary.Updated, $summary.Cancelled, $summary.ProRataEntries, $summary.Charges, $summary.Failed,
    $summary.HaloPsaRequests, $summary.RunId
if ($summary.Failed -gt 0) {
    # Each failed event's error names its organization, product and HaloPSA client before HaloPSA's reason.
    $first = if ($failedEvents.Count -gt 0) { " ($(ConvertTo-OneLine "$($failedEvents[0])"))" } else { '' }
    Write-Output "HaloSync FAILED: $($summary.Failed) event(s) failed$first; $counts"
    exit 1
}

Write-Output "HaloSync OK: $counts"
exit 0
