# Maps Cumulus products to HaloPSA items from a spreadsheet (CSV with headers such as
# 'Cumulus SKU', 'Halo Item Id', 'Halo Item', 'Enable Sync'). Every bad row is reported with its row
# number and value; every good row is mapped. Run after Connect-HaloPsa and Connect-Cumulus: SKUs HaloSync has not
# read yet are looked up in Sherweb, and a mistyped SKU's error names the nearest known ones.
#   ./examples/bulk-map-from-csv.ps1 -Path ./my-mappings.csv
#   ./examples/bulk-map-from-csv.ps1 -Path ./export-from-excel.csv -Delimiter ';'
[CmdletBinding()]
param(
    # Default: product-mappings.csv beside this script (set below: Windows PowerShell 5.1 has no $PSScriptRoot in defaults).
    [string] $Path,

    # Excel saves "CSV" with the list separator of the machine's region: ';' in much of Europe.
    [char] $Delimiter = ','
)

if (-not $Path) {
    $Path = Join-Path $PSScriptRoot 'product-mappings.csv'
}

if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

$rows = @(Import-Csv -LiteralPath $Path -Delimiter $Delimiter)
$mapped = @($rows | Set-HaloProductMapping -PassThru -ErrorAction SilentlyContinue -ErrorVariable rowErrors)
Write-Host "Mapped $($mapped.Count) of $($rows.Count) rows from $(Split-Path -Leaf $Path); $($rowErrors.Count) need attention:"
foreach ($rowError in $rowErrors) {
    Write-Host "  $($rowError.Exception.Message)"
}

$mapped
