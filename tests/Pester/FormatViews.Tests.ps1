# Every view in HaloSync.Format.ps1xml, rendered at 80 and 120 columns, with the values an admin reads checked on the
# row they belong to (not just "it renders"). Each table is designed for 80 columns: the columns that fit sum to 80
# exactly, so the next one is dropped whole rather than squeezed until its header wraps letter by letter, and the
# ones that fit 120 come next. Single objects (settings, a sync's summary) are lists by default, with a table view
# for Format-Table.
BeforeDiscovery {
    $formatFile = Join-Path $PSScriptRoot '..' '..' 'src' 'HaloSync' 'HaloSync.Format.ps1xml'
    $viewNames = @(([xml](Get-Content -Raw $formatFile)).Configuration.ViewDefinitions.View.Name)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox
    $state = New-StatePath
    Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
    $haloConnection = Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath $state -PassThru
    $cumulusConnection = Connect-Cumulus -ApiBaseUri $sandbox.SherwebUri -Credential $sandbox.SherwebCredential -SubscriptionKey $sandbox.SubscriptionKey -PassThru
    $autoMapping = @(Invoke-HaloAutoMapping)
    $chargeSetting = Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object Sku -eq 'MS-AZURE-PLAN' | Set-CumulusChargeSync -SyncEnabled no -PassThru
    # One organization's HaloPSA writes are refused, so the log holds Failed events with their error.
    Invoke-Sim $sandbox.HaloControlUri faults -Method Post -Body @{ kind = 'Status'; statusCode = 400; body = '{"error":"Simulated refusal"}'; pathContains = '/api/SoftwareLicence'; method = 'POST'; times = 1000 } | Out-Null
    $failedSummary = Invoke-HaloSync -Organization 'Fabrikam, Inc.' -ErrorAction SilentlyContinue
    Invoke-Sim $sandbox.HaloControlUri faults -Method Delete | Out-Null
    $summary = Invoke-HaloSync -Organization 'Contoso Ltd' -ErrorAction Stop
    # Adventure Works is billed by a legacy integration in the sandbox: synced, compared, then cut over.
    Invoke-HaloSync -Organization 'Adventure Works' -ErrorAction Stop | Out-Null
    $migration = @(Start-HaloMigration -Organization 'Adventure Works')
    $cutover = @(Start-HaloMigration -Organization 'Adventure Works' -Cutover -Force -WarningAction SilentlyContinue)

    # A date or a number as a view writes it (invariant culture).
    function Format-Date($Value, [string] $Format) { if ($null -ne $Value) { $Value.ToString($Format, [cultureinfo]::InvariantCulture) } }

    # Per table view: the objects, and the values of each row that must show on one line at 80 and at 120 columns.
    # Per list view: the objects, and the properties it shows (all of them, bar the ones shown only when set).
    $cases = @{
        'HaloSync.SyncConfiguration'       = @{ Objects = { Get-HaloSyncConfiguration }; List = $true
            Shown = 'InvoiceDay', 'BillingMethod', 'Proration', 'MappingMode', 'SyncEnabled', 'TimeZone', 'CostBasis', 'HandEditCheckHours', 'StatePath' }
        'HaloSync.SyncConfiguration.Table' = @{ Objects = { Get-HaloSyncConfiguration }
            Row80 = { param($o) "$($o.InvoiceDay)"; "$($o.BillingMethod)"; "$($o.Proration)"; "$($o.MappingMode)"; "$($o.SyncEnabled)"; $o.TimeZone }
            Row120 = { param($o) "$($o.InvoiceDay)"; "$($o.BillingMethod)"; "$($o.Proration)"; "$($o.MappingMode)"; "$($o.SyncEnabled)"; $o.TimeZone; "$($o.CostBasis)" } }
        'HaloSync.HaloPsaConnection'       = @{ Objects = { $haloConnection }
            Row80 = { param($o) $o.Site; $o.ClientId; $o.Scope }
            Row120 = { param($o) $o.Site; $o.ClientId; $o.Scope; $o.Tenant; Format-Date $o.ConnectedAt 'yyyy-MM-dd HH:mm:ss' } }
        'HaloSync.CumulusConnection'       = @{ Objects = { $cumulusConnection }
            Row80 = { param($o) $o.ApiBaseUri; $o.ClientId; "$($o.CustomerCount)" }
            Row120 = { param($o) $o.ApiBaseUri; $o.ClientId; "$($o.CustomerCount)"; Format-Date $o.ConnectedAt 'yyyy-MM-dd HH:mm:ss' } }
        'HaloSync.HaloClient'              = @{ Objects = { Get-HaloClient | Where-Object Name -eq 'Fabrikam, Inc.' }
            Row80 = { param($o) "$($o.Id)"; $o.Name; "$($o.Inactive)" }
            Row120 = { param($o) "$($o.Id)"; $o.Name; "$($o.Inactive)" } }
        'HaloSync.HaloItem'                = @{ Objects = { Get-HaloItem | Where-Object Name -eq 'Cloud Backup' }
            Row80 = { param($o) "$($o.Id)"; $o.Name; "$($o.BasePrice)"; "$($o.CostPrice)"; $o.SupplierPartCode }
            Row120 = { param($o) "$($o.Id)"; $o.Name; "$($o.BasePrice)"; "$($o.CostPrice)"; $o.SupplierPartCode } }
        'HaloSync.OrganizationMapping'     = @{ Objects = { Get-CumulusOrganization -Name 'Fabrikam, Inc.', 'Trey Research' }
            Row80 = { param($o) $o.Name; "$($o.Status)"; "$($o.HaloClientName)"; "$($o.HaloClientId)" }
            Row120 = { param($o) $o.Name; "$($o.Status)"; "$($o.HaloClientName)"; "$($o.HaloClientId)"; $o.OrganizationId } }
        'HaloSync.ProductMapping'          = @{ Objects = { Get-CumulusProduct -NoRefresh | Where-Object { $_.ProductName.Length -le 25 -and "$($_.HaloItemName)".Length -le 25 } }
            Row80 = { param($o) $o.Sku; $o.ProductName; "$($o.Status)"; "$($o.HaloItemName)" }
            Row120 = { param($o) $o.Sku; $o.ProductName; "$($o.Status)"; "$($o.HaloItemName)"; "$($o.HaloItemId)"; "$($o.Source)"; "$($o.SyncEnabled)" } }
        'HaloSync.OrganizationCharge'      = @{ Objects = { Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object { $_.ProductName.Length -le 22 } }
            Row80 = { param($o) "$($o.Kind)"; $o.Sku; $o.ProductName; "$($o.Quantity)"; "$($o.UnitCost)"; "$($o.SyncEnabled)" }
            Row120 = { param($o) "$($o.Kind)"; $o.Sku; $o.ProductName; "$($o.Quantity)"; "$($o.UnitCost)"; "$($o.SyncEnabled)"; $o.BillingCycle; $o.ChargeType; $o.ChargeName } }
        'HaloSync.AutoMappingResult'       = @{ Objects = { $autoMapping | Where-Object Sku -in 'MS-BB-NCE', 'ACRONIS-CP', 'MS-TEAMS-ESS' }
            Row80 = { param($o) $o.Sku; "$($o.Outcome)"; $o.Message.Substring(0, 20) }
            Row120 = { param($o) $o.Sku; "$($o.Outcome)"; $o.Message.Substring(0, 60) }
            Wrapped = { param($o) $o.Message } }
        'HaloSync.ChargeSyncSetting'       = @{ Objects = { $chargeSetting }
            Row80 = { param($o) $o.OrganizationName; $o.ChargeKey; "$($o.SyncEnabled)" }
            Row120 = { param($o) $o.OrganizationName; $o.ChargeKey; "$($o.SyncEnabled)" } }
        'HaloSync.SyncEvent'               = @{ Objects = { Get-HaloSyncLog | Where-Object { ($_.Kind -eq 'CreateSubscription' -and $_.OrganizationName -in 'Contoso Ltd', 'Fabrikam, Inc.') -or $_.Status -eq 'Failed' } }
            Row80 = { param($o) Format-Date $o.CreatedAt 'yyyy-MM-dd HH:mm'; "$($o.Status)"; $o.OrganizationName; "$($o.Kind)" }
            Row120 = { param($o) Format-Date $o.CreatedAt 'yyyy-MM-dd HH:mm'; "$($o.Status)"; $o.OrganizationName; "$($o.Kind) $($o.Sku) $($o.QuantityBefore)->$($o.QuantityAfter)" }
            Wrapped = { param($o) "$($o.Kind) $($o.Sku) $($o.QuantityBefore)->$($o.QuantityAfter)"; $o.Error } }
        'HaloSync.SyncSummary'             = @{ Objects = { $summary; $failedSummary }; List = $true
            Shown = 'RunId', 'Organizations', 'Created', 'Updated', 'Cancelled', 'ProRataEntries', 'Charges', 'ItemCostUpdates', 'Failed', 'SkippedUnmapped', 'HaloPsaRequests'
            WhenSet = 'Adopted', 'EndedOnOldClient', 'DriftReverted' }
        'HaloSync.SyncSummary.Table'       = @{ Objects = { $summary; $failedSummary }
            Row80 = { param($o) "$($o.Organizations)"; "$($o.Created)"; "$($o.Updated)"; "$($o.Cancelled)"; "$($o.Failed)"; "$($o.SkippedUnmapped)"; "$($o.HaloPsaRequests)" }
            Row120 = { param($o) "$($o.Organizations)"; "$($o.Created)"; "$($o.Updated)"; "$($o.Cancelled)"; "$($o.Failed)"; "$($o.SkippedUnmapped)"; "$($o.HaloPsaRequests)"; "$($o.ProRataEntries)"; "$($o.Charges)"; "$($o.ItemCostUpdates)" } }
        'HaloSync.MigrationItem'           = @{ Objects = { $migration | Where-Object { $_ -is [HaloSync.Engine.Migration.MigrationItem] } }
            Row80 = { param($o) "$($o.Status)"; Format-Date $o.LegacyQuantity '0.##'; Format-Date $o.HaloSyncQuantity '0.##'; Format-Date $o.LegacyUnitPrice '0.00##'
                Format-Date $o.HaloSyncUnitPrice '0.00##'; $o.Name.Substring(0, [Math]::Min(12, $o.Name.Length)) }
            Row120 = { param($o) "$($o.Status)"; Format-Date $o.LegacyQuantity '0.##'; Format-Date $o.HaloSyncQuantity '0.##'; Format-Date $o.LegacyUnitPrice '0.00##'
                Format-Date $o.HaloSyncUnitPrice '0.00##'; $o.Name } }
        'HaloSync.MigrationSummary'        = @{ Objects = { @($migration) + @($cutover) | Where-Object { $_ -is [HaloSync.Engine.Migration.MigrationSummary] } }
            Row80 = { param($o) $o.OrganizationName; "$($o.Outcome)"; Format-Date $o.LegacyMonthlyTotal '0.00'; Format-Date $o.HaloSyncMonthlyTotal '0.00'
                Format-Date $o.MonthlyChange '+0.00;-0.00;0.00'; "$($o.NotCovered)" }
            Row120 = { param($o) $o.OrganizationName; "$($o.Outcome)"; Format-Date $o.LegacyMonthlyTotal '0.00'; Format-Date $o.HaloSyncMonthlyTotal '0.00'
                Format-Date $o.MonthlyChange '+0.00;-0.00;0.00'; "$($o.NotCovered)" } }
        'HaloSync.MigrationRecord'         = @{ Objects = { Get-HaloMigration }
            Row80 = { param($o) $o.OrganizationName; "$($o.HaloClientId)"; Format-Date $o.CutoverOn 'yyyy-MM-dd'; Format-Date $o.LegacyMonthlyTotal '0.00'; Format-Date $o.HaloSyncMonthlyTotal '0.00' }
            Row120 = { param($o) $o.OrganizationName; "$($o.HaloClientId)"; Format-Date $o.CutoverOn 'yyyy-MM-dd'; Format-Date $o.LegacyMonthlyTotal '0.00'; Format-Date $o.HaloSyncMonthlyTotal '0.00' } }
        'HaloSync.BillingComparison'   = @{ Objects = { Compare-HaloBilling -Organization 'Contoso Ltd', 'Trey Research' }
            Row80 = { param($o) $o.Sku; "$($o.Status)"; "$($o.Reason)"; "$($o.SherwebQuantity)"; "$($o.HaloQuantity)"; "$($o.Margin)" }
            Row120 = { param($o) $o.Sku; "$($o.Status)"; "$($o.Reason)"; "$($o.SherwebQuantity)"; "$($o.HaloQuantity)"; "$($o.Margin)" } }
        'HaloSync.BillingComparisonSummary' = @{ Objects = { Compare-HaloBilling -Summary }
            Row80 = { param($o) Format-Date $o.PeriodFrom 'yyyy-MM-dd'; Format-Date $o.PeriodTo 'yyyy-MM-dd'; "$($o.Source)"; "$($o.Cost)"; "$($o.Billed)"; "$($o.Margin)"; "$($o.Leakage)" }
            Row120 = { param($o) Format-Date $o.PeriodFrom 'yyyy-MM-dd'; Format-Date $o.PeriodTo 'yyyy-MM-dd'; "$($o.Source)"; "$($o.Cost)"; "$($o.Billed)"; "$($o.Margin)"; "$($o.Leakage)" } }
        'HaloSync.OrganizationBillingTotal' = @{ Objects = { (Compare-HaloBilling -Summary).ByOrganization | Select-Object -First 3 }
            Row80 = { param($o) $o.Organization; "$($o.Issues)"; "$($o.Cost)"; "$($o.Billed)"; "$($o.Margin)"; "$($o.Leakage)" }
            Row120 = { param($o) $o.Organization; "$($o.Issues)"; "$($o.Cost)"; "$($o.Billed)"; "$($o.Margin)"; "$($o.Leakage)" } }
    }

    function Find-Row([string[]] $Lines, [string[]] $Values) {
        # The rendered line that holds every value, left to right (a row can be told from the others).
        $pattern = ($Values | Where-Object { $_ } | ForEach-Object { [regex]::Escape($_) }) -join '.*'
        @($Lines | Where-Object { $_ -match $pattern })
    }

    function Test-Listed([string] $Text, [string] $Label, [string] $Value) {
        # Format-List wraps a long value onto indented lines, at a space or inside a word: compare without any white space.
        $wanted = ($Label + ':' + $Value) -replace '\s', ''
        ($Text -replace '\s', '').Contains($wanted)
    }

    function Test-Fits([string] $Text, [int] $Width) {
        foreach ($line in ($Text -split '\r?\n')) { $line.TrimEnd().Length | Should -BeLessOrEqual $Width }
        # A header squeezed into a column too narrow for it wraps a few letters a line: fragments of 1 to 4 letters, one
        # above the other at the end of the line ("Ha", "lo", "Cl", "ie" for HaloClientId).
        $lines = @($Text -split '\r?\n')
        for ($i = 1; $i -lt $lines.Count; $i++) {
            $above, $line = $lines[$i - 1], $lines[$i]
            $letterByLetter = $above -match '\s\S{1,4}\s*$' -and $line -match '^\s+\S{1,4}\s*$' -and $above.TrimEnd().Length -eq $line.TrimEnd().Length
            $letterByLetter | Should -BeFalse -Because "a column is too narrow for its text:`n$Text"
        }
    }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'The format file' {
    It 'has a case in this file for each of its views' {
        $covered = @('HaloSync.SyncEvent.Detail') + @($cases.Keys)
        foreach ($view in $viewNames) { $covered | Should -Contain $view }
    }

    It 'makes the settings and a sync summary lists by default, and gives Format-Table a table of each' {
        foreach ($type in 'HaloSync.Engine.Configuration.SyncConfiguration', 'HaloSync.Engine.Sync.SyncSummary') {
            $views = @((Get-FormatData -TypeName $type).FormatViewDefinition)
            $views[0].Control | Should -BeOfType [System.Management.Automation.ListControl]
            @($views | Where-Object { $_.Control -is [System.Management.Automation.TableControl] }).Count | Should -Be 1
        }
    }

    It 'shows the summary that follows the events of Invoke-HaloSync -WhatIf as its counters, not as a list of every property' {
        # Fabrikam's refused writes are planned again.
        $text = Remove-Ansi (Invoke-HaloSync -Organization 'Fabrikam, Inc.' -WhatIf | Out-String -Width 80)
        $text | Should -Match '(?m)^CreatedAt\s+Status\s+OrganizationName\s+Change'
        # An object of another type after a table is a list of its default display properties (PowerShell's rule).
        $text | Should -Match '(?m)^HaloPsaRequests\s*: \d+'
        $text | Should -Match '(?m)^Failed\s*: \d+'
        $text | Should -Not -Match '(?m)^(Events|Duration|SkippedReservedInstances)\s*:'
        Test-Fits $text 80
    }
}

Describe 'View <_>' -ForEach $viewNames.Where({ $_ -ne 'HaloSync.SyncEvent.Detail' }) {
    BeforeAll {
        $case = $cases[$_]
        $objects = @(& $case.Objects)
    }

    It 'is the view the cmdlets'' objects get' {
        $objects.Count | Should -BeGreaterThan 0
        if ($_ -eq 'HaloSync.ProductMapping') {
            # Rows with and without an item.
            $objects.Status | Should -Contain 'Unmapped'
            $objects.Status | Should -Contain 'AutoMapped'
        }
        $kind = if ($case.List) { [System.Management.Automation.ListControl] } else { [System.Management.Automation.TableControl] }
        $names = ((Get-FormatData -TypeName $objects[0].GetType().FullName).FormatViewDefinition | Where-Object { $_.Control -is $kind }).Name
        $names | Should -Contain $_
    }

    It 'fits <Width> columns by default, in Format-Table and in Format-List' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        Test-Fits (Remove-Ansi ($objects | Out-String -Width $Width)) $Width
        Test-Fits (Remove-Ansi ($objects | Format-Table | Out-String -Width $Width)) $Width
        Test-Fits (Remove-Ansi ($objects | Format-List | Out-String -Width $Width)) $Width
    }

    It 'shows each row with its <Width>-column values on one line in Format-Table at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        if ($case.List) { $case.Keys | Should -Contain 'Shown'; return }
        $text = Remove-Ansi ($objects | Format-Table | Out-String -Width $Width)
        $lines = $text -split '\r?\n'
        $row = if ($Width -eq 80) { $case.Row80 } else { $case.Row120 }
        foreach ($o in $objects) {
            $values = @(& $row $o)
            Find-Row $lines $values | Should -Not -BeNullOrEmpty -Because "the row of $($values -join ' / ') must read as one line at $Width columns:`n$text"
            if ($case.Wrapped) {
                foreach ($value in @(& $case.Wrapped $o) | Where-Object { $_ }) {
                    ($text -replace '\s', '').Contains(($value -replace '\s', '')) | Should -BeTrue -Because "'$value' must show, wrapped, at $Width columns:`n$text"
                }
            }
        }
    }

    It 'shows every value a list shows at <Width> columns, by default' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        if (-not $case.List) { $case.Keys | Should -Contain 'Row80'; return }
        $text = Remove-Ansi ($objects | Out-String -Width $Width)
        foreach ($o in $objects) {
            foreach ($name in $case.Shown) { Test-Listed $text $name "$($o.$name)" | Should -BeTrue -Because "$name is '$($o.$name)' in:`n$text" }
            foreach ($name in $case.WhenSet) {
                $shown = $text -match "(?m)^$name\s*:"
                $shown | Should -Be ([bool]($objects | Where-Object { $_.$name -ne 0 })) -Because "$name shows only when it is not 0:`n$text"
            }
        }
    }

    It 'lists every value of each object in Format-List * at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Remove-Ansi ($objects | Format-List * | Out-String -Width $Width)
        foreach ($o in $objects) {
            foreach ($property in $o.PSObject.Properties) {
                $value = $property.Value
                if ($null -eq $value -or "$value" -eq '' -or -not ($value -is [string] -or $value -is [enum] -or $value -is [bool] -or $value -is [guid] -or $value.GetType().IsPrimitive -or $value -is [decimal])) { continue }
                if ($property.Name -in 'Duration', 'StatePath', 'RequestsSent') { continue } # time taken, or cut by a narrow path wrap
                Test-Listed $text $property.Name "$value" | Should -BeTrue -Because "$($property.Name) of $($o.GetType().Name) is '$value' in:`n$text"
            }
        }
    }
}

Describe 'Get-HaloSyncLog detail view (HaloSync.SyncEvent.Detail)' {
    BeforeAll {
        $failed = @(Get-HaloSyncLog -Status Failed)
    }

    It 'is what Format-List shows for a log entry, with the error a failed event carries, at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $failed.Count | Should -BeGreaterThan 0
        $event = $failed[0]
        $event.Error | Should -Match 'Simulated refusal'
        $rendered = Remove-Ansi ($event | Format-List | Out-String -Width $Width)
        foreach ($line in ($rendered -split '\r?\n')) { $line.TrimEnd().Length | Should -BeLessOrEqual $Width }
        $text = $rendered
        Test-Listed $text 'EventId' "$($event.EventId)" | Should -BeTrue
        Test-Listed $text 'RunId' "$($event.RunId)" | Should -BeTrue
        Test-Listed $text 'CreatedAt' "$((Format-Date $event.CreatedAt 'yyyy-MM-dd HH:mm:ss zzz'))" | Should -BeTrue
        Test-Listed $text 'Status' 'Failed' | Should -BeTrue
        Test-Listed $text 'Attempts' "$($event.Attempts)" | Should -BeTrue
        Test-Listed $text 'Error' "$($event.Error)" | Should -BeTrue
        Test-Listed $text 'Kind' "$($event.Kind)" | Should -BeTrue
        Test-Listed $text 'OrganizationName' "$($event.OrganizationName)" | Should -BeTrue
        Test-Listed $text 'Sku' "$($event.Sku)" | Should -BeTrue
        Test-Listed $text 'QuantityAfter' "$($event.QuantityAfter)" | Should -BeTrue
        Test-Listed $text 'EffectiveDate' "$(Format-Date $event.EffectiveDate 'yyyy-MM-dd')" | Should -BeTrue
        Test-Listed $text 'CumulusKey' "$($event.CumulusKey)" | Should -BeTrue
        Test-Listed $text 'Detail' "$($event.Detail)" | Should -BeTrue
    }

    It 'is a list view of the same type as the table view' {
        $views = (Get-FormatData -TypeName 'HaloSync.Engine.Sync.SyncEvent').FormatViewDefinition
        ($views | Where-Object Name -eq 'HaloSync.SyncEvent.Detail').Control | Should -BeOfType [System.Management.Automation.ListControl]
        ($views | Where-Object Name -eq 'HaloSync.SyncEvent').Control | Should -BeOfType [System.Management.Automation.TableControl]
    }
}
