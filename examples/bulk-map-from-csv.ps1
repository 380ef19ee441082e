# Maps Cumulus products to HaloPSA items from a spreadsheet (CSV with headers such as
# 'Cumulus SKU', 'Halo Item Id', 'Halo Item', 'Enable Sync'). Every bad row is reported with its row
# number and value; every good row is mapped. Run after Connect-HaloPsa and Get-CumulusProduct.
#   ./examples/bulk-map-from-csv.ps1 -Path ./my-mappings.csv
param(
    [string] $Path = "$PSScriptRoot/product-mappings.csv"
)

if (-not (Get-Module HaloSync)) {
    Import-Module "$PSScriptRoot/../out/HaloSync/HaloSync.psd1"
}

function Read-Csv([string] $File) {
    if (Get-Command Import-Csv -ErrorAction SilentlyContinue) {
        return Import-Csv -Path $File
    }

    # Hosts with only the core cmdlets (the bundled runner) have no Import-Csv: a small reader for
    # comma-separated files with optional double quotes.
    $cell = '(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))'
    $lines = [System.IO.File]::ReadAllLines($File) | Where-Object { $_.Trim() }
    $headers = @([regex]::Matches($lines[0], $cell) | ForEach-Object { $_.Groups[2].Value.Trim() + $_.Groups[1].Value })
    for ($i = 1; $i -lt $lines.Count; $i++) {
        $values = @([regex]::Matches($lines[$i], $cell) | ForEach-Object { if ($_.Groups[1].Success) { $_.Groups[1].Value.Replace('""', '"') } else { $_.Groups[2].Value } })
        $row = [ordered]@{}
        for ($c = 0; $c -lt $headers.Count; $c++) { $row[$headers[$c]] = if ($c -lt $values.Count) { $values[$c] } else { '' } }
        [pscustomobject]$row
    }
}

$rows = @(Read-Csv $Path)
$mapped = @($rows | Set-HaloProductMapping -PassThru -ErrorAction SilentlyContinue -ErrorVariable rowErrors)
"Mapped $($mapped.Count) of $($rows.Count) rows from $([System.IO.Path]::GetFileName($Path)); $($rowErrors.Count) need attention:"
foreach ($rowError in $rowErrors) {
    "  $($rowError.Exception.Message)"
}

$mapped
