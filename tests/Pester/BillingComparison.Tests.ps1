# Compare-HaloBilling in real pwsh against the sandbox (30 organizations, synced once): the rows and the summary agree,
# filters, CSV and HTML, -Invoiced after HaloPSA generated invoices, a change made after the sync, and no write anywhere.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox
    $state = New-StatePath
    Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
    Invoke-HaloSync -ErrorAction Stop | Out-Null
    $rows = @(Compare-HaloBilling)
    $summary = Compare-HaloBilling -Summary

    function Get-HaloWrites {
        @(Invoke-Sim $sandbox.HaloControlUri requests | Where-Object { $_.method -ne 'GET' -and $_.path -like '/api/*' })
    }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'Compare-HaloBilling over the sandbox' {
    It 'returns one row per organization, product and cycle, and a summary whose totals are the sums of its rows' {
        $rows.Count | Should -BeGreaterThan 30
        $rows[0] | Should -BeOfType ([HaloSync.Engine.Reconciliation.BillingComparison])
        @($rows | Group-Object { "$($_.Organization)|$($_.Sku)|$($_.Cycle)" } | Where-Object Count -gt 1).Count | Should -Be 0
        $summary | Should -BeOfType ([HaloSync.Engine.Reconciliation.BillingComparisonSummary])
        $summary.Rows.Count | Should -Be $rows.Count
        $summary.Cost | Should -Be ($rows | Measure-Object SherwebCost -Sum).Sum
        $summary.Billed | Should -Be ($rows | Measure-Object LineTotal -Sum).Sum
        $summary.Leakage | Should -Be ($rows | Measure-Object Leakage -Sum).Sum
        $summary.Margin | Should -Be ($summary.Billed - $summary.Cost)
        ($summary.ByOrganization | Measure-Object Cost -Sum).Sum | Should -Be $summary.Cost
        $summary.Ok + $summary.Unbilled + $summary.QuantityMismatch + $summary.NegativeMargin + $summary.DoubleBilled + $summary.Orphan | Should -Be $rows.Count
        # What the demo data holds: organizations without a HaloPSA client, and products HaloPSA has no item for.
        ($rows | Where-Object Organization -eq 'Trey Research').Reason | Sort-Object -Unique | Should -Be 'OrganizationUnmapped'
        @($rows | Where-Object { $_.Sku -eq 'ACRONIS-CP' -and $_.Cycle -eq 'Monthly' -and $_.Organization -notin 'Trey Research', 'Relecloud', 'Southridge Video' }).Reason |
            Sort-Object -Unique | Should -Be 'ProductUnmapped'
        foreach ($unbilled in ($rows | Where-Object Status -eq 'Unbilled')) { $unbilled.Leakage | Should -Be ([math]::Max([decimal]0, $unbilled.SherwebCost)) }
    }

    It 'filters by status and by organization name or id with wildcards' {
        $unbilled = @(Compare-HaloBilling -Status Unbilled, Orphan)
        $unbilled.Count | Should -Be @($rows | Where-Object Status -in 'Unbilled', 'Orphan').Count
        @(Compare-HaloBilling -Organization 'Contoso*', '5a1d0000-0000-4000-8000-000000000002').Organization | Sort-Object -Unique |
            Should -Be @('Contoso Ltd', 'Fabrikam, Inc.')
        { Compare-HaloBilling -Organization 'No such company' -ErrorAction Stop } | Should -Throw -ErrorId 'OrganizationNotFound,HaloSync.Commands.CompareHaloBillingCommand'
    }

    It 'warns of a mistyped organization with the nearest names and reports the others, as every -Organization does' {
        $warnings = $null
        $found = @(Compare-HaloBilling -Organization 'Contoso Ltd', 'Northwnd Traders' -WarningVariable warnings -WarningAction SilentlyContinue)

        $found.Organization | Sort-Object -Unique | Should -Be 'Contoso Ltd'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be "No Cumulus organization matches 'Northwnd Traders'. Similar: 'Northwind Traders'."
        { Compare-HaloBilling -Organization 'Northwnd Traders' -ErrorAction Stop } |
            Should -Throw -ErrorId 'OrganizationNotFound,HaloSync.Commands.CompareHaloBillingCommand' -ExpectedMessage "No Cumulus organization matches 'Northwnd Traders'. Similar: 'Northwind Traders'."
    }

    It 'round-trips through Export-Csv and Import-Csv with every value' {
        $csv = Join-Path $TestDrive 'billing.csv'
        $rows | Export-Csv $csv -NoTypeInformation
        $back = @(Import-Csv $csv)
        $back.Count | Should -Be $rows.Count
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $back[$i].Organization | Should -Be $rows[$i].Organization
            $back[$i].Status | Should -Be "$($rows[$i].Status)"
            [decimal]$back[$i].SherwebCost | Should -Be $rows[$i].SherwebCost
            [decimal]$back[$i].Margin | Should -Be $rows[$i].Margin
        }
    }

    It 'sends no write to HaloPSA and changes nothing in the state database' {
        $before = (Get-FileHash $state).Hash
        $events = @(Get-HaloSyncLog).Count
        Invoke-Sim $sandbox.HaloControlUri requests -Method Delete | Out-Null

        $again = Compare-HaloBilling -Summary

        Get-HaloWrites | Should -BeNullOrEmpty
        (Get-FileHash $state).Hash | Should -Be $before
        @(Get-HaloSyncLog).Count | Should -Be $events
        # One read of the subscriptions and one of the recurring invoices (whole lists, one page each): no read per line.
        $again.HaloPsaRequests | Should -Be 2
        @(Invoke-Sim $sandbox.HaloControlUri requests | Where-Object path -like '/api/*').Count | Should -Be 2
    }

    It 'names a seat change made in Cumulus after the sync: a quantity mismatch whose missing seats leak their cost' {
        $before = $rows | Where-Object { $_.Status -eq 'Ok' -and $_.Cycle -eq 'Monthly' -and $_.Organization -ne 'Adventure Works' } | Select-Object -First 1
        $seats = Get-CumulusCharge -Organization $before.OrganizationId |
            Where-Object { $_.Kind -eq 'Subscription' -and $_.Sku -eq $before.Sku -and $_.BillingCycle -eq 'Monthly' } | Select-Object -First 1
        Invoke-Sim $sandbox.SherwebControlUri "subscriptions/$($seats.ChargeKey.Substring(4))/quantity" -Method Post -Body @{ quantity = [int]$seats.Quantity + 2 } | Out-Null

        $after = Compare-HaloBilling -Organization $before.OrganizationId | Where-Object { $_.Sku -eq $before.Sku -and $_.Cycle -eq 'Monthly' }

        $before.Status | Should -Be 'Ok'
        $after.Status | Should -Be 'QuantityMismatch'
        $after.SherwebQuantity | Should -Be ($before.SherwebQuantity + 2)
        $after.HaloQuantity | Should -Be $before.HaloQuantity
        # Two seats not billed, each at the unit cost of a whole month.
        $after.Leakage | Should -Be (2 * $after.UnitCost)
        $after.Detail | Should -Match "^Sherweb charges $($before.SherwebQuantity + 2) at the period end; HaloPSA line\(s\) [\d, ]+ bill $($before.HaloQuantity)\.$"
    }

    It 'with -Invoiced compares the invoices HaloPSA generated, and warns that the period is not over' {
        $generated = @(Invoke-Sim $sandbox.HaloControlUri invoices/generate -Method Post -Body @{})
        $generated.Count | Should -BeGreaterThan 20
        Invoke-Sim $sandbox.HaloControlUri requests -Method Delete | Out-Null

        # Fabrikam is billed by HaloSync alone (Adventure Works also has a legacy integration's invoice in the sandbox).
        $invoiced = @(Compare-HaloBilling -Organization 'Fabrikam, Inc.' -Invoiced -WarningVariable warnings -WarningAction SilentlyContinue)

        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'is not over: invoices may still be generated for it\.$'
        $invoice = $generated | Where-Object client_name -eq 'Fabrikam, Inc.'
        ($invoiced | Measure-Object LineTotal -Sum).Sum | Should -Be ([decimal]$invoice.total)
        $invoiced.Source | Sort-Object -Unique | Should -Be 'Invoiced'
        @(Invoke-Sim $sandbox.HaloControlUri requests | Where-Object path -like '/api/Invoice').Count | Should -Be 1
        Get-HaloWrites | Should -BeNullOrEmpty
    }

    It 'needs both connections, and says so' {
        $result = Invoke-Pwsh -Command "Import-Module '$ModuleManifest'; try { Compare-HaloBilling -StatePath '$state' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        $result.Output | Should -Match 'HaloPsaNotConnected,HaloSync.Commands.CompareHaloBillingCommand'
        $result.Output | Should -Match 'Run Connect-HaloPsa'
    }
}

Describe 'examples/billing-report.ps1' {
    It 'is the one command the README gives for the report of the sandbox' {
        Get-Content -Raw (Join-Path $RepoRoot 'README.md') |
            Should -Match '(?m)^    dotnet tool restore && dotnet build HaloSync\.sln && dotnet pwsh -NoProfile -File examples/billing-report\.ps1$'
    }

    It 'writes an HTML report of the sandbox that an MSP can email, totals and findings included' {
        $html = Join-Path $TestDrive 'report.html'

        $result = Invoke-Pwsh -File (Join-Path $RepoRoot 'examples' 'billing-report.ps1') -Arguments '-OutFile', $html -TimeoutSeconds 300 -Environment @{ HALOSYNC_SANDBOX_HALO_SITE = '' }

        $result.ExitCode | Should -Be 0 -Because "$($result.Error)`n$($result.Output)"
        $result.Error | Should -BeNullOrEmpty
        $result.Output | Should -Match 'Contoso Ltd: .* -> \d+ seats in Cumulus, not synced yet\.'
        $text = Get-Content -Raw $html
        $text | Should -Match '<h1>Sherweb against HaloPSA, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d</h1>'
        $text | Should -Match '<td>Contoso Ltd</td><td>[^<]+</td><td>[^<]+</td><td>QuantityMismatch</td>'
        $text | Should -Match '<td>Trey Research</td><td>[^<]+</td><td>[^<]+</td><td>Unbilled</td><td>OrganizationUnmapped</td>'
        # The per-organization table adds up to the totals table.
        $total = [decimal]([regex]::Match($text, '<tr><td>Cost:</td><td>([-\d.]+)</td></tr>').Groups[1].Value)
        $perOrganization = [regex]::Match($text, '(?s)<h2>Per organization</h2>(.*?)</table>').Groups[1].Value
        $costs = [regex]::Matches($perOrganization, '<tr><td>[^<]*</td><td>[^<]*</td><td>\d+</td><td>\d+</td><td>([-\d.]+)</td>') | ForEach-Object { [decimal]$_.Groups[1].Value }
        # Every organization Sherweb charges this period (one whose only subscription is yearly may have no charge).
        $costs.Count | Should -BeGreaterThan 25
        ($costs | Measure-Object -Sum).Sum | Should -Be $total
    }
}
