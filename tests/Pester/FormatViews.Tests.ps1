# Every view in HaloSync.Format.ps1xml, rendered at 80 and 120 columns, with the values an admin reads checked on the
# row they belong to (not just "it renders"). Each table is designed for an 80-column console, which formats to 79:
# the columns that fit sum to 79, so at 79 and 80 the next one is dropped whole rather than squeezed until its header
# wraps, and the ones that fit 119 come next. Single objects (settings, a sync's summary) are lists by default, with
# a table view for Format-Table.
BeforeDiscovery {
    $formatFile = Join-Path $PSScriptRoot '..' '..' 'src' 'HaloSync' 'HaloSync.Format.ps1xml'
    $viewNames = @(([xml](Get-Content -Raw $formatFile)).Configuration.ViewDefinitions.View.Name)
    # Every table view and its column headers, in order (a header without a label shows its column's property name).
    $tableViews = @(([xml](Get-Content -Raw $formatFile)).Configuration.ViewDefinitions.View | Where-Object { $_['TableControl'] } | ForEach-Object {
            $items = @($_.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem)
            $headers = @($_.TableControl.TableHeaders.TableColumnHeader)
            $labels = for ($i = 0; $i -lt $headers.Count; $i++) { if ($headers[$i]['Label']) { $headers[$i].Label } else { $items[$i].PropertyName } }
            @{ View = $_.Name; Labels = @($labels) }
        })
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
        'HaloSync.OrganizationCharge'      = @{ Objects = { Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object { $_.ProductName.Length -le 19 } }
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
            Row80 = { param($o) Format-Date $o.CreatedAt 'HH:mm'; "$($o.Status)"; $o.OrganizationName; "$($o.Kind) $($o.Sku) $($o.QuantityBefore)->$($o.QuantityAfter)" }
            Row120 = { param($o) Format-Date $o.CreatedAt 'HH:mm'; "$($o.Status)"; $o.OrganizationName; "$($o.Kind) $($o.Sku) $($o.QuantityBefore)->$($o.QuantityAfter)" }
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

    # Per table view: a row of the longest values it is meant to show (a long SKU, four-digit quantities, six-digit ids,
    # large amounts), set on a copy of the case's first object, and the text of them that must show whole on the row's
    # one line. A view with nothing long to show has an empty Set.
    $longSku = 'MS-DEF-O365-P2-M' # 16 characters
    $longRows = @{
        'HaloSync.SyncConfiguration.Table'  = @{ Set = @{}; Whole = @() }
        'HaloSync.HaloPsaConnection'        = @{ Set = @{}; Whole = @() }
        'HaloSync.CumulusConnection'        = @{ Set = @{ CustomerCount = 12345 }; Whole = @('12345') }
        'HaloSync.HaloClient'               = @{ Set = @{ Id = 1234567; Name = "Munson's Pickles and Preserves" }; Whole = @('1234567', "Munson's Pickles and Preserves") }
        'HaloSync.HaloItem'                 = @{ Set = @{ Id = 123456; SupplierPartCode = $longSku; BasePrice = 12345.67d; CostPrice = 12345.67d }; Whole = @('123456', '12345.67', $longSku) }
        'HaloSync.OrganizationMapping'      = @{ Set = @{ Name = "Munson's Pickles and Preserves"; Status = 'Unmapped'; HaloClientId = 123456 }; Whole = @("Munson's Pickles and Preserves", 'Unmapped', '123456') }
        'HaloSync.ProductMapping'           = @{ Set = @{ Sku = $longSku; Status = 'AutoMapped'; HaloItemId = 123456 }; Whole = @($longSku, 'AutoMapped') }
        'HaloSync.OrganizationCharge'       = @{ Set = @{ Kind = 'Subscription'; Sku = $longSku; Quantity = 1005d; UnitCost = 1234.56d; SyncEnabled = $false }; Whole = @('Subscription', $longSku, '1005', '1234.56', 'False') }
        'HaloSync.AutoMappingResult'        = @{ Set = @{ Sku = $longSku; Message = 'Mapped.' }; Whole = @($longSku) }
        'HaloSync.ChargeSyncSetting'        = @{ Set = @{ ChargeKey = 'sub-5b1d0000-0000-4000-8000-000000000001'; SyncEnabled = $false }; Whole = @('sub-5b1d0000-0000-4000-8000-000000000001', 'False') }
        # The longest kind with a long SKU and four-digit quantities, in the longest status.
        'HaloSync.SyncEvent'                = @{ Set = @{ Kind = 'CreateSubscription'; Sku = $longSku; QuantityBefore = 1000d; QuantityAfter = 1005d; Status = 'Superseded'; OrganizationName = 'Fabrikam, Inc.'; EffectiveDate = $null; Error = $null }
            Whole = @('Superseded', 'Fabrikam, Inc.', "CreateSubscription $longSku 1000->1005") }
        'HaloSync.SyncSummary.Table'        = @{ Set = @{ Organizations = 1000; Created = 12345; Updated = 12345; HaloPsaRequests = 123456 }; Whole = @('1000', '12345', '123456') }
        'HaloSync.MigrationItem'            = @{ Set = @{ Status = 'QuantityDifferent'; LegacyQuantity = 1000d; HaloSyncQuantity = 1005d; LegacyUnitPrice = 1234.5d; HaloSyncUnitPrice = 1234.5d }; Whole = @('QuantityDifferent', '1000', '1005', '1234.50') }
        'HaloSync.MigrationSummary'         = @{ Set = @{ Outcome = 'AlreadyMigrated'; LegacyMonthlyTotal = 123456.78d; HaloSyncMonthlyTotal = 123456.78d; MonthlyChange = -1234.56d; NotCovered = 12 }; Whole = @('AlreadyMigrated', '123456.78', '-1234.56') }
        'HaloSync.MigrationRecord'          = @{ Set = @{ HaloClientId = 123456; LegacyMonthlyTotal = 123456.78d; HaloSyncMonthlyTotal = 123456.78d }; Whole = @('123456', '123456.78') }
        'HaloSync.BillingComparison'        = @{ Set = @{ Sku = $longSku; Status = 'QuantityMismatch'; Reason = 'OrganizationUnmapped'; SherwebQuantity = 1005d; HaloQuantity = 1000d; Margin = -1234.56d }
            Whole = @($longSku, 'QuantityMismatch', 'OrganizationUnmapped', '1005', '1000', '-1234.56') }
        'HaloSync.BillingComparisonSummary' = @{ Set = @{ Cost = 1234567.89d; Billed = 1234567.89d; Margin = -1234567.89d; Leakage = 1234567.89d }; Whole = @('1234567.89', '-1234567.89') }
        'HaloSync.OrganizationBillingTotal' = @{ Set = @{ Issues = 1000; Cost = 1234567.89d; Billed = 1234567.89d; Margin = -1234567.89d; Leakage = 1234567.89d }; Whole = @('1000', '1234567.89', '-1234567.89') }
    }

    function Copy-Row($Object, [hashtable] $Set) {
        # A copy of the object that the view formats as its own type, with some properties set to other values.
        $copy = [ordered]@{}
        foreach ($property in $Object.PSObject.Properties) { $copy[$property.Name] = $property.Value }
        foreach ($name in $Set.Keys) { $copy[$name] = $Set[$name] }
        $row = [pscustomobject]$copy
        $row.PSTypeNames.Insert(0, $Object.GetType().FullName)
        $row
    }

    function Get-TableHeader([string] $Text) {
        # Each table header in a rendering (a grouped view has one per group): the lines it takes (from the blank line
        # above to its line of dashes), and the text of its last line above each run of dashes, which is the whole label
        # of the column when the column is wide enough for it.
        $lines = @($Text -split '\r?\n')
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -notmatch '^[ -]*-[ -]*$') { continue }
            $top = $i - 1
            while ($top -gt 0 -and $lines[$top - 1].Trim()) { $top-- }
            $above = $lines[$i - 1]
            $shown = foreach ($run in [regex]::Matches($lines[$i], '-+')) {
                if ($run.Index -ge $above.Length) { '' } else { $above.Substring($run.Index, [Math]::Min($run.Length, $above.Length - $run.Index)).Trim() }
            }
            # The rows under it, up to the blank line that ends the table.
            $rows = @(for ($j = $i + 1; $j -lt $lines.Count -and $lines[$j].Trim(); $j++) { $lines[$j] })
            [pscustomobject]@{ Lines = @($lines[$top..($i - 1)]); Shown = @($shown); Rows = $rows }
        }
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

    It 'groups the charges of several organizations under each organization''s name' {
        $rows = @(Get-CumulusCharge -Organization 'Co*')
        $names = @($rows.OrganizationName | Select-Object -Unique)
        $names.Count | Should -BeGreaterThan 1
        $text = Remove-Ansi ($rows | Out-String -Width 80)
        foreach ($name in $names) { $text | Should -Match "(?m)^ +Organization: $([regex]::Escape($name))$" }
    }

    It 'shows the summary that follows the events of Invoke-HaloSync -WhatIf as its counters, not as a list of every property' {
        # Fabrikam's refused writes are planned again.
        $text = Remove-Ansi (Invoke-HaloSync -Organization 'Fabrikam, Inc.' -WhatIf | Out-String -Width 80)
        $text | Should -Match '(?m)^ +Date: \d{4}-\d{2}-\d{2}$'
        $text | Should -Match '(?m)^Time\s+Status\s+Organization\s+Change'
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

    It 'fits <Width> columns by default, in Format-Table and in Format-List' -ForEach @(@{ Width = 79 }, @{ Width = 80 }, @{ Width = 119 }, @{ Width = 120 }) {
        Test-Fits (Remove-Ansi ($objects | Out-String -Width $Width)) $Width
        Test-Fits (Remove-Ansi ($objects | Format-Table | Out-String -Width $Width)) $Width
        Test-Fits (Remove-Ansi ($objects | Format-List | Out-String -Width $Width)) $Width
    }

    # 79 and 119: what an 80- and a 120-column console format to.
    It 'shows each row with its <Design>-column values on one line in Format-Table at <Width> columns' -ForEach @(@{ Width = 79; Design = 80 }, @{ Width = 80; Design = 80 }, @{ Width = 119; Design = 120 }, @{ Width = 120; Design = 120 }) {
        if ($case.List) { $case.Keys | Should -Contain 'Shown'; return }
        $text = Remove-Ansi ($objects | Format-Table | Out-String -Width $Width)
        $lines = $text -split '\r?\n'
        $row = if ($Design -eq 80) { $case.Row80 } else { $case.Row120 }
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

# An 80-column console formats tables to 79 columns (PowerShell's console host leaves the last column of its buffer
# unwritten, so that each line ends with a new line), Out-String -Width 80 to 80: a view must fit both, and the same
# for 120. A column that does not fit is either dropped whole or squeezed into the columns left, and a squeezed header
# wraps (HaloClientI over d) or loses its end.
Describe 'Table view <View> at 80 and 120 columns' -ForEach $tableViews {
    BeforeAll {
        $case = $cases[$View]
        $objects = @(& $case.Objects)
    }

    It 'shows each column header whole, on one line, the columns that do not fit dropped whole, at <Width> columns' -ForEach @(@{ Width = 79 }, @{ Width = 80 }, @{ Width = 119 }, @{ Width = 120 }) {
        $objects.Count | Should -BeGreaterThan 0
        $text = Remove-Ansi ($objects | Format-Table -View $View | Out-String -Width $Width)
        $tables = @(Get-TableHeader $text)
        $tables.Count | Should -BeGreaterThan 0 -Because "a table has a header:`n$text"
        foreach ($table in $tables) {
            $table.Lines.Count | Should -Be 1 -Because "a header takes one line at $Width columns:`n$text"
            $table.Shown.Count | Should -BeGreaterThan 0
            $table.Shown | Should -Be $Labels[0..($table.Shown.Count - 1)] -Because "each column shown has its whole header at $Width columns:`n$text"
        }
    }

    It 'keeps a row of long values on one line, with them whole, at <Width> columns' -ForEach @(@{ Width = 79 }, @{ Width = 80 }, @{ Width = 119 }, @{ Width = 120 }) {
        $longRows.Keys | Should -Contain $View -Because 'each table view has a row of long values in this file'
        $long = $longRows[$View]
        $row = Copy-Row $objects[0] $long.Set
        $text = Remove-Ansi ($row | Format-Table -View $View | Out-String -Width $Width)
        $tables = @(Get-TableHeader $text)
        $tables.Count | Should -Be 1 -Because "one row is one table:`n$text"
        $tables[0].Rows.Count | Should -Be 1 -Because "the row takes one line at $Width columns:`n$text"
        foreach ($value in $long.Whole) {
            $tables[0].Rows[0] | Should -BeLike "*$([WildcardPattern]::Escape($value))*" -Because "'$value' shows whole at $Width columns:`n$text"
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
