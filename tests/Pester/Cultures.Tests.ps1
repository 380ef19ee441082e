# The module under the cultures its admins work in: Quebec and France (dd/mm dates, decimal comma), Turkey (the
# dotted and dotless i), Thailand (a Buddhist calendar). What it reads and writes must not move with the culture.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox
    $state = New-StatePath
    Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations

    function Use-Culture([string] $Name, [scriptblock] $Script) {
        $thread = [System.Threading.Thread]::CurrentThread
        $before = $thread.CurrentCulture
        try {
            $thread.CurrentCulture = [cultureinfo]::GetCultureInfo($Name)
            & $Script
        }
        finally { $thread.CurrentCulture = $before }
    }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'Wildcards under tr-TR, where "I" is not the capital of "i"' {
    It 'finds <Command> <Parameter> <Pattern> as under en-US' -ForEach @(
        @{ Command = 'Get-CumulusProduct'; Parameter = 'Sku'; Pattern = 'ms-visio-p2'; Extra = @{ NoRefresh = $true } }
        @{ Command = 'Get-CumulusProduct'; Parameter = 'Name'; Pattern = 'VISIO PLAN 2'; Extra = @{ NoRefresh = $true } }
        @{ Command = 'Get-HaloClient'; Parameter = 'Name'; Pattern = 'NORTHWIND*'; Extra = @{} }
        @{ Command = 'Get-HaloOrgMapping'; Parameter = 'Name'; Pattern = 'NORTHWIND*'; Extra = @{} }
    ) {
        $arguments = @{ $Parameter = $Pattern } + $Extra
        $english = @(Use-Culture 'en-US' { & $Command @arguments })
        $turkish = @(Use-Culture 'tr-TR' { & $Command @arguments })

        $english.Count | Should -Be 1 -Because 'the demo data has exactly one match'
        $turkish.Count | Should -Be 1
    }
}

Describe 'Dates given as text' {
    It 'reads <Text> as 5 November 2026 under <Culture>' -ForEach @(
        @{ Culture = 'fr-FR'; Text = '2026-11-05' }
        @{ Culture = 'fr-CA'; Text = '2026-11-05' }
        @{ Culture = 'th-TH'; Text = '2026-11-05' }
        @{ Culture = 'en-US'; Text = '2026-11-05 00:00' }
    ) {
        $summary = Use-Culture $Culture { Invoke-HaloSync -AsOf $Text -WhatIf -WarningAction SilentlyContinue | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncSummary] } }

        $summary.AsOf | Should -Be ([datetime]::new(2026, 11, 5))
    }

    It 'refuses 05/11/2026 under <Culture>, where it would be another day than elsewhere, saying how to write it' -ForEach @(
        @{ Culture = 'fr-FR' }, @{ Culture = 'en-US' }
    ) {
        $caught = Use-Culture $Culture { try { Get-HaloSyncLog -From '05/11/2026' -ErrorAction Stop } catch { $_ } }

        $caught.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $caught.Exception.Message | Should -Match "'05/11/2026' is not a date HaloSync reads the same in every culture"
        $caught.Exception.Message | Should -Match '2026-11-05'
    }

    It 'takes a [datetime] as it is' {
        $summary = Use-Culture 'fr-FR' { Invoke-HaloSync -AsOf ([datetime]::new(2026, 11, 5)) -WhatIf -WarningAction SilentlyContinue | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncSummary] } }

        $summary.AsOf | Should -Be ([datetime]::new(2026, 11, 5))
    }
}

Describe 'Text HaloSync keeps or shows, under th-TH' {
    It 'names a run by its Gregorian date and time' {
        $summary = Use-Culture 'th-TH' { Invoke-HaloSync -WhatIf -WarningAction SilentlyContinue | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncSummary] } }

        $summary.RunId | Should -Match ('^' + [datetime]::UtcNow.ToString('yyyy', [cultureinfo]::InvariantCulture))
        "$summary" | Should -Match ('as of ' + [datetime]::UtcNow.ToString('yyyy', [cultureinfo]::InvariantCulture))
    }
}

Describe 'Spreadsheet yes/no in the words Excel writes in other languages' {
    It 'reads <Word> as <Expected>' -ForEach @(
        @{ Word = 'VRAI'; Expected = $true }, @{ Word = 'Faux'; Expected = $false }
        @{ Word = 'WAHR'; Expected = $true }, @{ Word = 'FALSCH'; Expected = $false }
        @{ Word = 'oui'; Expected = $true }, @{ Word = 'non'; Expected = $false }
    ) {
        $organization = Get-HaloOrgMapping -Name 'Contoso Ltd'
        [pscustomobject]@{ Organization = $organization.OrganizationId; SyncEnabled = $Word } | Set-HaloOrgMapping

        (Get-HaloOrgMapping -Name 'Contoso Ltd').SyncEnabled | Should -Be $Expected
    }

    It 'says which words it reads when it reads none of them' {
        $organization = Get-HaloOrgMapping -Name 'Contoso Ltd'
        $errors = @()
        [pscustomobject]@{ Organization = $organization.OrganizationId; SyncEnabled = 'peut-être' } | Set-HaloOrgMapping -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSwitchValue,*'
        $errors[0].Exception.Message | Should -Match 'VRAI/FAUX'
    }

    It 'points at the file encoding when a name lost its accents to it' {
        $errors = @()
        [pscustomobject]@{ Organization = "Soci$([char]0xFFFD)t$([char]0xFFFD) G$([char]0xFFFD)n$([char]0xFFFD)rale"; 'Halo Client' = 'Contoso Ltd' } |
            Set-HaloOrgMapping -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        $errors[0].Exception.Message | Should -Match '^Row 1: '
        $errors[0].Exception.Message | Should -Match 'CSV UTF-8'
    }
}

Describe 'A host east of UTC (TZ=Europe/Paris)' {
    It 'writes the calendar date of -AsOf (Get-Date -Year 2026 -Month 11 -Day 16) to HaloPSA as typed, not the day before' {
        Set-HaloOrgMapping -Organization 'Contoso Ltd' -HaloClientName 'Contoso Ltd' -SyncEnabled yes
        Invoke-HaloAutoMapping | Out-Null
        $script = @'
Import-Module '{0}'
. '{1}'
$sandbox = Use-HaloSyncSandbox
Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath '{2}' | Out-Null
Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey -StatePath '{2}' | Out-Null
"zone=$([System.TimeZoneInfo]::Local.BaseUtcOffset)"
$summary = Invoke-HaloSync -Organization 'Contoso Ltd' -AsOf (Get-Date -Year 2026 -Month 11 -Day 16) -ErrorAction Stop | Select-Object -Last 1
"failed=$($summary.Failed) created=$($summary.Created)"
'@ -f $ModuleManifest, (Join-Path $RepoRoot 'examples/sandbox.ps1'), $state

        $result = Invoke-Pwsh -Command $script -Environment @{ TZ = 'Europe/Paris' }

        $result.Output | Should -Match 'zone=01:00:00' -Because 'the child pwsh runs an hour east of UTC'
        $result.Output | Should -Match 'failed=0 created=[1-9]' -Because $result.Error
        $halo = Invoke-Sim $sandbox.HaloControlUri state
        $contoso = ($halo.clients | Where-Object name -eq 'Contoso Ltd').id
        $lines = @(@($halo.invoices | Where-Object { $_.client_id -eq $contoso -and $_.reference -eq 'HaloSync' }).lines)
        $lines.Count | Should -BeGreaterThan 0
        @($lines | ForEach-Object { ([datetime] $_.startdate).ToString('yyyy-MM-ddTHH:mm:ss', [cultureinfo]::InvariantCulture) } | Sort-Object -Unique) |
            Should -Be '2026-11-16T00:00:00'
    }
}
