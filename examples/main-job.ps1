# The main HaloSync job, end to end, on the embedded defaults.
# Runs as is in pwsh / Windows PowerShell and in the bundled runner (which has only core cmdlets):
#   dotnet run --project tools/HaloSync.Runner -- examples/main-job.ps1
#   pwsh -File examples/main-job.ps1
# The state database is HALOSYNC_STATE_PATH when set, otherwise a fresh file in the temp folder.
param(
    [string] $StatePath = $env:HALOSYNC_STATE_PATH
)

$ErrorActionPreference = 'Stop'
if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

if (-not $StatePath) {
    $StatePath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'halosync-main-job', [guid]::NewGuid().ToString('N'), 'halosync.db')
}

"HaloSync state database: $StatePath"

# 1. The connection modal's settings: invoice on the 15th, pre-bill, proration, automatic mapping.
Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 15 -BillingMethod PreBill -Proration $true `
    -MappingMode Automatic -SyncEnabled $true -CostBasis NetBeforePerformanceTier

# 2. Read them back from the state database.
Get-HaloSyncConfiguration -StatePath $StatePath
