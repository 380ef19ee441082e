# Start-HaloMigration and Get-HaloMigration in real pwsh against the sandbox, whose HaloPSA holds a legacy integration's
# records for two customers (src/HaloSync.Simulators/Sandbox/DemoDataSet.cs):
# - Adventure Works: Business Premium x6 at 27.50 (Sherweb says 7), E3 x37 at 42.00 (the item now sells at 45.00), Cloud
#   Backup x40 at 12.50, on one legacy recurring invoice: every line covered once HaloSync syncs it, with drift;
# - Woodgrove Bank: Business Basic x12 at 7.50, Defender x21 at 3.75 and Acronis x9 at 10.00, which HaloSync cannot bill
#   (HaloPSA has no item for it): the cutover is refused.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox
    $state = New-StatePath
    Initialize-DemoState -Sandbox $sandbox -StatePath $state
    Set-HaloOrgMapping -Organization 'Adventure Works' -HaloClientName 'Adventure Works'
    Set-HaloOrgMapping -Organization 'Woodgrove Bank' -HaloClientName 'Woodgrove Bank'
    $before = @(Start-HaloMigration -Organization 'Adventure Works')
    Invoke-HaloSync -Organization 'Adventure Works', 'Woodgrove Bank' -ErrorAction Stop | Out-Null

    function Get-HaloState { Invoke-Sim $sandbox.HaloControlUri state }
    function Get-LegacyInvoice([string] $Client) {
        (Get-HaloState).invoices | Where-Object { $_.client_name -eq $Client -and $_.reference -eq 'Sherweb monthly' }
    }
    function Get-LegacyLicence([string] $Client) {
        (Get-HaloState).licences | Where-Object { $_.client_name -eq $Client -and -not $_.snowid }
    }
    function Get-Writes { @(Invoke-Sim $sandbox.HaloControlUri requests | Where-Object { $_.method -in 'POST', 'DELETE' -and $_.path -like '/api/*' }).Count }
    function Select-Summary { process { if ($_ -is [HaloSync.Engine.Migration.MigrationSummary]) { $_ } } }
    function Select-Row { process { if ($_ -is [HaloSync.Engine.Migration.MigrationItem]) { $_ } } }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'Start-HaloMigration (compare)' {
    It 'sees only legacy records before HaloSync has made anything' {
        $summary = $before | Select-Summary
        $summary.OnlyInLegacy | Should -Be 6
        $summary.HaloSyncMonthlyTotal | Should -Be 0
        $summary.ReadyForCutover | Should -BeFalse
    }

    It 'compares a synced customer item by item, with the monthly totals of both sides, and writes nothing' {
        $writes = Get-Writes
        $output = @(Start-HaloMigration -Organization 'Adventure Works')

        Get-Writes | Should -Be $writes
        $rows = @($output | Select-Row | Where-Object Record -eq 'Line')
        $rows.Count | Should -Be 3
        ($rows | Where-Object Name -eq 'Microsoft 365 Business Premium').Status | Should -Be 'QuantityDifferent'
        ($rows | Where-Object Name -eq 'Microsoft 365 E3').Status | Should -Be 'PriceDifferent'
        ($rows | Where-Object Name -eq 'Cloud Backup').Status | Should -Be 'Matched'
        $summary = $output | Select-Summary
        $summary.Outcome | Should -Be 'Validated'
        # Legacy: 6 x 27.50 = 165.00, 37 x 42.00 = 1554.00, 40 x 12.50 = 500.00 -> 2219.00.
        # HaloSync: 7 x 27.50 = 192.50, 37 x 45.00 = 1665.00, 40 x 12.50 = 500.00 -> 2357.50; +138.50 per period.
        $summary.LegacyMonthlyTotal | Should -Be 2219.00
        $summary.HaloSyncMonthlyTotal | Should -Be 2357.50
        $summary.LegacyMonthlyToEnd | Should -Be 2219.00
        $summary.MonthlyChange | Should -Be 138.50
        $summary.SubscriptionsToDeactivate | Should -Be 3
        $summary.InvoicesToEnd | Should -Be 1
        $summary.ReadyForCutover | Should -BeTrue
    }

    It 'shows the rows in a table that fits 80 columns, grouped by record' {
        $text = Remove-Ansi (Start-HaloMigration -Organization 'Adventure Works' | Select-Row | Out-String -Width 80)

        foreach ($line in ($text -split '\r?\n')) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $text | Should -Match 'Record: Subscription'
        $text | Should -Match 'Record: Line'
        $text | Should -Match 'QuantityDifferent\s+6\s+7\s+27\.50\s+27\.50 Microsoft 365 Busine'
        $text | Should -Match 'PriceDifferent\s+37\s+37\s+42\.00\s+45\.00 Microsoft 365 E3'
    }

    It 'compares every customer piped from Get-HaloOrgMapping' {
        $summaries = @(Get-HaloOrgMapping -Status Mapped | Start-HaloMigration | Select-Summary)

        @($summaries.OrganizationName | Sort-Object) | Should -Be @('Adventure Works', 'Woodgrove Bank')
    }

    It 'gives an unmapped organization its own error' {
        Start-HaloMigration -Organization 'Tailspin Toys' -ErrorAction SilentlyContinue -ErrorVariable failure | Out-Null

        $failure[0].FullyQualifiedErrorId | Should -BeLike 'OrganizationNotMapped,*'
        $failure[0].Exception.Message | Should -Match 'Set-HaloOrgMapping'
    }
}

Describe 'Start-HaloMigration -Cutover' {
    It 'refuses a customer whose legacy invoice bills something HaloSync does not, names it, and writes nothing' {
        $writes = Get-Writes
        $output = @(Start-HaloMigration -Organization 'Woodgrove Bank' -Cutover -Force -ErrorAction SilentlyContinue -ErrorVariable refusal)

        $refusal.Count | Should -Be 1
        $refusal[0].FullyQualifiedErrorId | Should -BeLike 'MigrationNotCovered,*'
        $refusal[0].Exception.Message | Should -Match "'Acronis Cyber Protect' \(9 x 10\.00\)"
        $refusal[0].Exception.Message | Should -Match 'Nothing was written'
        ($output | Select-Summary).Outcome | Should -Be 'Refused'
        ($output | Select-Row | Where-Object Cutover -eq 'NotCovered').Name | Should -Be 'Acronis Cyber Protect'
        Get-Writes | Should -Be $writes
        (Get-LegacyInvoice 'Woodgrove Bank').disabled | Should -BeFalse
        @(Get-LegacyLicence 'Woodgrove Bank' | Where-Object is_active).Count | Should -Be 3
    }

    It 'in a host that cannot ask, stops at once with an error that says to add -Force, and writes nothing' {
        $writes = Get-Writes
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $result = Invoke-Pwsh -TimeoutSeconds 120 -Environment @{ MIGRATION_STATE = $state } -Command @"
Import-Module '$ModuleManifest'
`$credential = [pscredential]::new(`$env:HALOSYNC_SANDBOX_HALO_CLIENT_ID, (ConvertTo-SecureString `$env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET -AsPlainText -Force))
Connect-HaloPsa -Site `$env:HALOSYNC_SANDBOX_HALO_SITE -Credential `$credential -StatePath `$env:MIGRATION_STATE | Out-Null
Start-HaloMigration -Organization 'Adventure Works' -Cutover | Out-Null
"@

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60
        $result.ExitCode | Should -Not -Be 0
        $result.Error | Should -Match 'cannot ask'
        $result.Error | Should -Match '-Force'
        Get-Writes | Should -Be $writes
        (Get-LegacyInvoice 'Adventure Works').disabled | Should -BeFalse
        Get-HaloMigration | Should -BeNullOrEmpty
    }

    It 'with -WhatIf shows what it would end and writes nothing' {
        $writes = Get-Writes
        $summary = Start-HaloMigration -Organization 'Adventure Works' -Cutover -WhatIf -WarningAction SilentlyContinue | Select-Summary

        $summary.Outcome | Should -Be 'Planned'
        Get-Writes | Should -Be $writes
        Get-HaloMigration | Should -BeNullOrEmpty
    }

    It 'with -Force in a non-interactive runbook ends the legacy records, records the migration, and warns of the new total' {
        $result = Invoke-Pwsh -TimeoutSeconds 120 -Environment @{ MIGRATION_STATE = $state } -Command @"
Import-Module '$ModuleManifest'
`$credential = [pscredential]::new(`$env:HALOSYNC_SANDBOX_HALO_CLIENT_ID, (ConvertTo-SecureString `$env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET -AsPlainText -Force))
Connect-HaloPsa -Site `$env:HALOSYNC_SANDBOX_HALO_SITE -Credential `$credential -StatePath `$env:MIGRATION_STATE | Out-Null
`$summary = Start-HaloMigration -Organization 'Adventure Works' -Cutover -Force -ErrorAction Stop | Where-Object { `$_ -is [HaloSync.Engine.Migration.MigrationSummary] }
"OUTCOME=`$(`$summary.Outcome) RUN=`$(`$summary.RunId)"
"@

        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Match 'OUTCOME=CutOver RUN=\S+'
        $result.Output | Should -Match 'WARNING: Adventure Works: after the cutover the customer is billed 2357\.50 per period instead of 2219\.00 \(\+138\.50\)'
        $invoice = Get-LegacyInvoice 'Adventure Works'
        $invoice.disabled | Should -BeTrue
        $invoice.enddate | Should -Not -BeNullOrEmpty
        foreach ($licence in Get-LegacyLicence 'Adventure Works') {
            $licence.is_active | Should -BeFalse
            $licence.status | Should -Be 'Inactive'
        }
        @((Get-HaloState).licences | Where-Object { $_.client_name -eq 'Adventure Works' -and $_.snowid -like 'halosync:*' -and $_.is_active }).Count | Should -Be 3
        $migration = Get-HaloMigration -Organization 'Adventure*'
        $migration.OrganizationName | Should -Be 'Adventure Works'
        $migration.DeactivatedSubscriptions | Should -Be 3
        $migration.EndedInvoices | Should -Be 1
        $events = @(Get-HaloSyncLog -RunId $migration.RunId)
        $events.Count | Should -Be 4
        @($events | Where-Object Status -eq 'Success').Count | Should -Be 4
        @($events.Kind | Sort-Object -Unique) | Should -Be @('DeactivateLegacySubscription', 'EndLegacyInvoice')
    }

    It 'a second cutover writes nothing and says the customer was already migrated' {
        $writes = Get-Writes
        $summary = Start-HaloMigration -Organization 'Adventure Works' -Cutover -Force | Select-Summary

        $summary.Outcome | Should -Be 'AlreadyMigrated'
        $summary.MigratedOn | Should -Be (Get-HaloMigration).CutoverOn
        Get-Writes | Should -Be $writes
        @(Get-HaloMigration).Count | Should -Be 1
    }

    It 'cuts over the refused customer once the uncovered line has moved, with -Confirm:$false, -RemoveLegacyInvoice and -AsOf' {
        $invoice = Get-LegacyInvoice 'Woodgrove Bank'
        $acronis = $invoice.lines | Where-Object item_shortdescription -eq 'Acronis Cyber Protect'
        $kept = @($invoice.lines | Where-Object id -ne $acronis.id)
        Invoke-Sim $sandbox.HaloControlUri seed -Method Post -Body @{ invoices = @(
                @{ id = $invoice.id; lines = $kept },
                @{ client_id = $invoice.client_id; reference = 'Acronis'; is_recurring_invoice = $true; period = 2; lines = @(
                        @{ _itemid = -1; item_shortdescription = 'Acronis Cyber Protect'; qty_order = 9; unit_price = 10.00 }) }) } | Out-Null

        $day = (Get-Date).Date.AddDays(3)
        $summary = Start-HaloMigration -Organization 'Woodgrove Bank' -Cutover -Confirm:$false -RemoveLegacyInvoice -AsOf $day -WarningVariable warnings | Select-Summary

        $summary.Outcome | Should -Be 'CutOver'
        $summary.AsOf | Should -Be $day
        # Business Basic 12 x 7.50 = 90.00 and Defender 21 x 3.75 = 78.75 on both sides; Acronis 9 x 10.00 = 90.00 bills on: no change, no warning.
        $summary.LegacyMonthlyToEnd | Should -Be 168.75
        $summary.HaloSyncMonthlyTotal | Should -Be 168.75
        $summary.MonthlyChange | Should -Be 0
        $warnings | Should -BeNullOrEmpty
        Get-LegacyInvoice 'Woodgrove Bank' | Should -BeNullOrEmpty # deleted
        ((Get-HaloState).invoices | Where-Object reference -eq 'Acronis').disabled | Should -BeFalse
        $legacy = @(Get-LegacyLicence 'Woodgrove Bank')
        foreach ($licence in $legacy | Where-Object name -ne 'Acronis Cyber Protect') {
            $licence.is_active | Should -BeFalse
            ([datetime]$licence.end_date).Date | Should -Be $day
        }
        # The Acronis subscription has no HaloSync counterpart: left alone, still billing.
        ($legacy | Where-Object name -eq 'Acronis Cyber Protect').is_active | Should -BeTrue
        $migration = Get-HaloMigration -Organization 'Woodgrove Bank'
        $migration.CutoverOn | Should -Be $day
        $migration.RemovedInvoices | Should -Be 1
        @(Get-HaloSyncLog -RunId $migration.RunId | Where-Object Kind -eq 'RemoveLegacyInvoice').Count | Should -Be 1
    }
}

Describe 'Get-HaloMigration' {
    It 'lists migrated customers in a table that fits 80 columns and filters by name' {
        $text = Remove-Ansi (Get-HaloMigration | Out-String -Width 80)

        foreach ($line in ($text -split '\r?\n')) { $line.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $text | Should -Match 'Adventure Works\s+\d+ \d{4}-\d{2}-\d{2}\s+2219\.00\s+2357\.50'
        @(Get-HaloMigration -Organization 'Wood*').OrganizationName | Should -Be @('Woodgrove Bank')
        Get-HaloMigration -Organization 'Contoso*' | Should -BeNullOrEmpty
    }
}
