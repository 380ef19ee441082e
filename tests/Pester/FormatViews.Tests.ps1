# Every view in HaloSync.Format.ps1xml, rendered by Format-Table and Format-List at 80 and 120 columns, with the
# values an admin reads checked on the row they belong to (not just "it renders").
# At 80 columns the tables are checked for the columns that identify a row; the columns they drop there
# (quantities, errors, sync switches...) are issue 10's redesign, and Format-List carries every value at 80.
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

    function Format-Date($Value, [string] $Format) { if ($null -ne $Value) { $Value.ToString($Format, [cultureinfo]::InvariantCulture) } }

    # Per view: the objects, the values of a row that must show in the table at 80 and at 120 columns.
    $cases = @{
        'HaloSync.SyncConfiguration'   = @{ Objects = { Get-HaloSyncConfiguration }
            Row80 = { param($o) "$($o.InvoiceDay)"; "$($o.BillingMethod)"; "$($o.MappingMode)" }
            Row120 = { param($o) "$($o.InvoiceDay)"; "$($o.BillingMethod)"; "$($o.MappingMode)"; "$($o.CostBasis)"; $o.TimeZone } }
        'HaloSync.HaloPsaConnection'   = @{ Objects = { $haloConnection }
            Row80 = { param($o) $o.Site; $o.ClientId }
            Row120 = { param($o) $o.Site; $o.ClientId; "$($o.Scope)" } }
        'HaloSync.CumulusConnection'   = @{ Objects = { $cumulusConnection }
            Row80 = { param($o) $o.ApiBaseUri; $o.ClientId; "$($o.CustomerCount)" }
            Row120 = { param($o) $o.ApiBaseUri; $o.ClientId; "$($o.CustomerCount)" } }
        'HaloSync.HaloClient'          = @{ Objects = { Get-HaloClient | Where-Object Name -eq 'Fabrikam, Inc.' }
            Row80 = { param($o) "$($o.Id)"; $o.Name }
            Row120 = { param($o) "$($o.Id)"; $o.Name; "$($o.Inactive)" } }
        'HaloSync.HaloItem'            = @{ Objects = { Get-HaloItem | Where-Object Name -eq 'Cloud Backup' }
            Row80 = { param($o) "$($o.Id)"; $o.Name; "$($o.BasePrice)"; "$($o.CostPrice)" }
            Row120 = { param($o) "$($o.Id)"; $o.Name; "$($o.BasePrice)"; "$($o.CostPrice)"; $o.SupplierPartCode } }
        'HaloSync.OrganizationMapping' = @{ Objects = { Get-HaloOrgMapping -Name 'Fabrikam, Inc.', 'Trey Research' }
            Row80 = { param($o) $o.Name; "$($o.Status)"; "$($o.HaloClientName)" }
            Row120 = { param($o) $o.Name; "$($o.Status)"; "$($o.HaloClientName)"; "$($o.HaloClientId)"; "$($o.SyncEnabled)" } }
        'HaloSync.ProductMapping'      = @{ Objects = { Get-HaloProductMapping -Sku 'MS-BB-NCE', 'ACRONIS-CP' }
            Row80 = { param($o) $o.Sku; $o.ProductName; "$($o.Status)" }
            Row120 = { param($o) $o.Sku; $o.ProductName; "$($o.Status)"; "$($o.HaloItemName)"; "$($o.HaloItemId)" } }
        'HaloSync.OrganizationCharge'  = @{ Objects = { Get-CumulusCharge -Organization 'Contoso Ltd' }
            Row80 = { param($o) "$($o.Kind)"; $o.Sku; $o.ProductName; "$($o.Quantity)" }
            Row120 = { param($o) "$($o.Kind)"; $o.Sku; $o.ProductName; "$($o.Quantity)"; $o.BillingCycle; "$($o.UnitCost)" } }
        'HaloSync.AutoMappingResult'   = @{ Objects = { $autoMapping | Where-Object Sku -in 'MS-BB-NCE', 'ACRONIS-CP', 'MS-TEAMS-ESS' }
            Row80 = { param($o) $o.Sku; "$($o.Outcome)"; "$($o.HaloItemName)"; "$($o.HaloItemId)" }
            Row120 = { param($o) $o.Sku; "$($o.Outcome)"; "$($o.HaloItemName)"; "$($o.HaloItemId)"; $o.Message.Substring(0, 20) } }
        'HaloSync.ChargeSyncSetting'   = @{ Objects = { $chargeSetting }
            Row80 = { param($o) $o.OrganizationName; $o.ChargeKey }
            Row120 = { param($o) $o.OrganizationName; $o.ChargeKey; "$($o.SyncEnabled)" } }
        'HaloSync.SyncEvent'           = @{ Objects = { Get-HaloSyncLog | Where-Object { $_.Kind -eq 'CreateSubscription' -and $_.OrganizationName -in 'Contoso Ltd', 'Fabrikam, Inc.' } }
            Row80 = { param($o) Format-Date $o.CreatedAt 'yyyy-MM-dd HH:mm zzz'; "$($o.Status)"; "$($o.Kind)"; $o.OrganizationName }
            Row120 = { param($o) Format-Date $o.CreatedAt 'yyyy-MM-dd HH:mm zzz'; "$($o.Status)"; "$($o.Kind)"; $o.OrganizationName; $o.Sku; "$($o.QuantityAfter)"; Format-Date $o.EffectiveDate 'yyyy-MM-dd' } }
        'HaloSync.SyncSummary'         = @{ Objects = { $summary; $failedSummary }
            Row80 = { param($o) "$($o.Organizations)"; "$($o.Created)"; "$($o.Updated)" }
            Row120 = { param($o) "$($o.Organizations)"; "$($o.Created)"; "$($o.Updated)"; "$($o.ItemCostUpdates)"; "$($o.Failed)"; "$($o.HaloPsaRequests)" } }
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
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'The format file' {
    It 'has a case in this file for each of its views' {
        $covered = @('HaloSync.SyncEvent.Detail') + @($cases.Keys)
        foreach ($view in $viewNames) { $covered | Should -Contain $view }
    }
}

Describe 'View <_>' -ForEach $viewNames.Where({ $_ -ne 'HaloSync.SyncEvent.Detail' }) {
    BeforeAll {
        $case = $cases[$_]
        $objects = @(& $case.Objects)
    }

    It 'selects this view for the objects the cmdlets return' {
        $objects.Count | Should -BeGreaterThan 0
        $typeName = ((Get-FormatData -TypeName $objects[0].GetType().FullName).FormatViewDefinition | Where-Object Control -is [System.Management.Automation.TableControl]).Name
        $typeName | Should -Contain $_
    }

    It 'shows each row with its <Width>-column values in Format-Table at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Remove-Ansi ($objects | Format-Table | Out-String -Width $Width)
        $lines = $text -split '\r?\n'
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual $Width }
        $row = if ($Width -eq 80) { $case.Row80 } else { $case.Row120 }
        foreach ($o in $objects) {
            $values = @(& $row $o)
            Find-Row $lines $values | Should -Not -BeNullOrEmpty -Because "the row of $($values -join ' / ') must read as one line at $Width columns:`n$text"
        }
    }

    It 'lists every value of each object in Format-List at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Remove-Ansi ($objects | Format-List | Out-String -Width $Width)
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
