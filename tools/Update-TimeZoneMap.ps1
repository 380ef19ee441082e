# Writes src/HaloSync.Engine/Configuration/IanaWindowsZones.txt: every IANA time zone id this machine's tz database
# holds, with the Windows id .NET (ICU's copy of CLDR's windowsZones) gives it. Windows PowerShell 5.1 (.NET Framework)
# knows Windows ids only; HaloSync reads this table there, so a state file configured as 'America/Toronto' on
# PowerShell 7 syncs on 5.1 too. Run it in pwsh 7 on Linux or macOS when CLDR adds zones:
#     dotnet pwsh -NoProfile -File tools/Update-TimeZoneMap.ps1
param([string] $ZoneInfo = '/usr/share/zoneinfo')

$ErrorActionPreference = 'Stop'
$ids = Get-ChildItem $ZoneInfo -Recurse -File |
    ForEach-Object { $_.FullName.Substring($ZoneInfo.TrimEnd('/').Length + 1) } |
    Where-Object { $_ -notmatch '^(posix|right)/' } |
    Sort-Object -Unique -CaseSensitive
$lines = foreach ($id in $ids) {
    $windowsId = $null
    if ([System.TimeZoneInfo]::TryConvertIanaIdToWindowsId($id, [ref] $windowsId)) { "$id`t$windowsId" }
}
$target = Join-Path $PSScriptRoot '../src/HaloSync.Engine/Configuration/IanaWindowsZones.txt'
[System.IO.File]::WriteAllLines($target, [string[]] $lines)
"$($lines.Count) zones written to $target"
