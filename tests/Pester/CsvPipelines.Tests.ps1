# Spreadsheets in and out, as admins use them: Import-Csv (comma, -Delimiter ';', UTF-8 with a BOM, Excel's
# quoting) piped into every Set-* cmdlet that takes pipeline input, settings read from a CSV, and Export-Csv of
# the mappings and of the sync log.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox

    function Write-CsvFile([string] $Name, [string[]] $Lines, [switch] $Bom, [string] $NewLine = "`r`n") {
        # As Excel writes them: CRLF, and "CSV UTF-8" starts with a byte order mark.
        $path = Join-Path $TestDrive $Name
        [System.IO.File]::WriteAllText($path, ($Lines -join $NewLine) + $NewLine, [System.Text.UTF8Encoding]::new([bool]$Bom))
        $path
    }

    function Get-HaloItemId([string] $Name) { (Get-HaloItem | Where-Object Name -eq $Name | Select-Object -First 1).Id }
    function Get-HaloClientId([string] $Name) { (Get-HaloClient | Where-Object Name -eq $Name | Select-Object -First 1).Id }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'Import-Csv | Set-HaloProductMapping' {
    BeforeEach {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
    }

    It 'maps every good row of a comma-separated file and reports the bad one by row number, with its error id' {
        $teams = Get-HaloItemId 'Microsoft Teams Essentials'
        $csv = Write-CsvFile 'products.csv' @(
            'Cumulus SKU,Halo Item Id,Halo Item,Enable Sync'
            'MS-VISIO-P2,,Visio Plan 2,yes'
            "MS-TEAMS-ESS,$teams,,no"
            'ACRONIS-CP,,Acronis Cyber Protect,yes'
        )

        $mapped = @(Import-Csv $csv | Set-HaloProductMapping -PassThru -ErrorAction SilentlyContinue -ErrorVariable rowErrors)

        $mapped.Sku | Should -Be @('MS-VISIO-P2', 'MS-TEAMS-ESS')
        $visio = Get-HaloProductMapping -Sku MS-VISIO-P2
        $visio.HaloItemName | Should -Be 'Visio Plan 2'
        $visio.SyncEnabled | Should -BeTrue
        $visio.Status | Should -Be 'Mapped'
        (Get-HaloProductMapping -Sku MS-TEAMS-ESS).HaloItemId | Should -Be $teams
        (Get-HaloProductMapping -Sku MS-TEAMS-ESS).SyncEnabled | Should -BeFalse
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].FullyQualifiedErrorId | Should -Be 'HaloPSAItemNotFound,HaloSync.Commands.SetHaloProductMappingCommand'
        $rowErrors[0].Exception.Message | Should -BeLike "Row 3: *'Acronis Cyber Protect'*"
        $rowErrors[0].TargetObject | Should -Be 'ACRONIS-CP'
        (Get-CumulusProduct -NoRefresh -Sku ACRONIS-CP).Status | Should -Be 'Unmapped'
    }

    It 'reads a semicolon-separated Excel export (UTF-8 BOM, CRLF, quoted cells with ; and doubled quotes) with -Delimiter' {
        $premium = Get-HaloItemId 'Microsoft 365 Business Premium'
        # The BOM sits before the binding header, and the quoted Notes cells would shift every later column if
        # they were split on their ';' or their quotes.
        $csv = Write-CsvFile 'products-excel.csv' -Bom @(
            'Cumulus SKU;Notes;Halo Item Id;Halo Item;Enable Sync'
            'MS-VISIO-P2;"Visio; the ""Plan 2"" one";;Visio Plan 2;Y'
            "MS-BP-NCE;`"Premium; re-mapped by hand`";$premium;;TRUE"
            'MS-TEAMS-ESS;"Teams ""Essentials"";""legacy"" item exists";;Microsoft Teams Essentials;0'
        )

        $rows = @(Import-Csv $csv -Delimiter ';')
        $rows[0].PSObject.Properties.Name[0] | Should -Be 'Cumulus SKU'
        $rows[0].Notes | Should -Be 'Visio; the "Plan 2" one'
        $rows | Set-HaloProductMapping -ErrorAction Stop

        (Get-HaloProductMapping -Sku MS-VISIO-P2).HaloItemName | Should -Be 'Visio Plan 2'
        (Get-HaloProductMapping -Sku MS-BP-NCE).HaloItemId | Should -Be $premium
        (Get-HaloProductMapping -Sku MS-BP-NCE).Status | Should -Be 'Mapped'
        (Get-HaloProductMapping -Sku MS-TEAMS-ESS).HaloItemName | Should -Be 'Microsoft Teams Essentials'
        (Get-HaloProductMapping -Sku MS-TEAMS-ESS).SyncEnabled | Should -BeFalse
    }

    It 'keeps a semicolon file read without -Delimiter from mapping anything, and says once how to read it' {
        $csv = Write-CsvFile 'products-semicolon.csv' @('Cumulus SKU;Halo Item;Enable Sync', 'MS-VISIO-P2;Visio Plan 2;yes', 'MS-EXO-P1;Exchange Online (Plan 1);yes')

        Import-Csv $csv | Set-HaloProductMapping -ErrorAction SilentlyContinue -ErrorVariable bindErrors

        $bindErrors.Count | Should -Be 1
        $bindErrors[0].Exception.Message | Should -Match "Read it with Import-Csv -Delimiter ';'"
        (Get-CumulusProduct -NoRefresh -Sku MS-VISIO-P2).Status | Should -Be 'Unmapped'
    }
}

Describe 'Import-Csv | Set-HaloOrgMapping' {
    BeforeEach {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
    }

    It 'maps organizations whose names hold commas and apostrophes from a quoted, BOM-prefixed semicolon file' {
        $litware = Get-HaloClientId 'Litware, Inc.'
        $csv = Write-CsvFile 'organizations.csv' -Bom @(
            'Organization;Halo Client Id;Halo Client;Enable Sync'
            '"Fabrikam, Inc.";;"Fabrikam, Inc.";yes'
            "`"Litware, Inc.`";$litware;;on"
            "Margie's Travel;;Margie's Travel;off"
            '"Trey Research";;"Trey Research";yes'
        )

        $mapped = @(Import-Csv $csv -Delimiter ';' | Set-HaloOrgMapping -PassThru -ErrorAction SilentlyContinue -ErrorVariable rowErrors)

        $mapped.Name | Should -Be @('Fabrikam, Inc.', 'Litware, Inc.', "Margie's Travel")
        (Get-HaloOrgMapping -Name 'Fabrikam, Inc.').Status | Should -Be 'Mapped'
        (Get-HaloOrgMapping -Name 'Litware, Inc.').HaloClientId | Should -Be $litware
        (Get-HaloOrgMapping -Name "Margie's Travel").Status | Should -Be 'Disabled'
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].Exception.Message | Should -BeLike "Row 4: *'Trey Research'*"
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike '*,HaloSync.Commands.SetHaloOrgMappingCommand'
    }
}

Describe 'Spreadsheets as Excel and admins leave them' {
    BeforeEach {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
    }

    It 'keeps an item chosen by editing an exported sheet when automatic mapping runs again, though the Source column still says Automatic' {
        Invoke-HaloAutoMapping | Out-Null
        (Get-HaloProductMapping -Sku MS-BP-NCE).Source | Should -Be 'Automatic'
        $e3 = Get-HaloItemId 'Microsoft 365 E3'
        $csv = Join-Path $TestDrive 'export-edited.csv'
        Get-HaloProductMapping -Sku MS-BP-NCE | Export-Csv $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows[0].Source | Should -Be 'Automatic'
        $rows[0].HaloItemId = "$e3"
        $rows[0].HaloItemName = 'Microsoft 365 E3'

        $rows | Set-HaloProductMapping -ErrorAction Stop
        Invoke-HaloAutoMapping | Out-Null

        $now = Get-HaloProductMapping -Sku MS-BP-NCE
        $now.HaloItemId | Should -Be $e3
        $now.Source | Should -Be 'Manual'
    }

    It 'previews with -WhatIf every row naming a SKU the state file has not seen yet, as a real run maps them, and saves nothing' {
        $fresh = New-StatePath
        Set-HaloSyncConfiguration -StatePath $fresh -InvoiceDay 15 -BillingMethod PreBill -SyncEnabled $true
        Connect-Sandbox -Sandbox $sandbox -StatePath $fresh
        $visio, $backup, $exchange = (Get-HaloItemId 'Visio Plan 2'), (Get-HaloItemId 'Cloud Backup'), (Get-HaloItemId 'Exchange Online (Plan 1)')
        $csv = Write-CsvFile 'unseen.csv' @('Cumulus SKU,Halo Item Id', "MS-VISIO-P2,$visio", "SW-BACKUP,$backup", "MS-EXO-P1,$exchange")

        Import-Csv $csv | Set-HaloProductMapping -StatePath $fresh -WhatIf -ErrorAction SilentlyContinue -ErrorVariable previewErrors

        $previewErrors.Count | Should -Be 0
        @(Get-HaloProductMapping -StatePath $fresh | Where-Object HaloItemId).Count | Should -Be 0
        Import-Csv $csv | Set-HaloProductMapping -StatePath $fresh -ErrorAction Stop
        @(Get-HaloProductMapping -StatePath $fresh | Where-Object HaloItemId).Sku | Sort-Object | Should -Be @('MS-EXO-P1', 'MS-VISIO-P2', 'SW-BACKUP')
    }

    It 'reports an organization written with an unclosed [ as a row error and maps the rows after it' {
        $csv = Write-CsvFile 'bracket.csv' @('Organization,Halo Client', 'Contoso Ltd,Contoso Ltd', '"Fabrikam [EU","Fabrikam, Inc."', 'Northwind Traders,Northwind Traders')

        $mapped = @(Import-Csv $csv | Set-HaloOrgMapping -PassThru -ErrorAction SilentlyContinue -ErrorVariable rowErrors)

        $mapped.Name | Should -Be @('Contoso Ltd', 'Northwind Traders')
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].Exception.Message | Should -BeLike 'Row 2: *''Fabrikam `[EU''*'
    }

    It 'skips rows whose every cell is empty without an error' {
        $csv = Write-CsvFile 'blank-rows.csv' @('Cumulus SKU;Halo Item;Enable Sync', ';;', 'MS-VISIO-P2;Visio Plan 2;yes', ' ; ; ', 'MS-EXO-P1;Exchange Online (Plan 1);yes')

        $mapped = @(Import-Csv $csv -Delimiter ';' | Set-HaloProductMapping -PassThru -ErrorAction SilentlyContinue -ErrorVariable rowErrors)

        $rowErrors.Count | Should -Be 0
        $mapped.Sku | Should -Be @('MS-VISIO-P2', 'MS-EXO-P1')
    }

    It 'warns of a column that does not bind because of a space around its name, or a non-breaking one, naming the column to use' {
        $nbsp = [char]0x00A0
        $csv = Write-CsvFile 'spaced.csv' @("Cumulus SKU;Halo Item;Enable${nbsp}Sync ", 'MS-VISIO-P2;Visio Plan 2;no')

        Import-Csv $csv -Delimiter ';' | Set-HaloProductMapping -ErrorAction Stop -WarningVariable warned 3>$null

        $warned.Count | Should -Be 1
        "$($warned[0])" | Should -Be "The column 'Enable${nbsp}Sync ' is not read: its name has a space before or after it, or a non-breaking space. Rename it 'Enable Sync' so it binds."
    }

    It 'runs the help''s spreadsheet templates as written: the rows filled in are mapped, the rows left empty skipped without an error' {
        Push-Location $TestDrive
        try {
            Get-HaloProductMapping -Status Unmapped, Error |
                Select-Object @{ Name = 'Cumulus SKU'; Expression = { $_.Sku } }, ProductName, Status,
                    @{ Name = 'Halo Item Id'; Expression = { '' } } |
                Export-Csv -Path .\map.csv -NoTypeInformation -Encoding UTF8
            Get-HaloOrgMapping -Status Unmapped |
                Select-Object @{ Name = 'Organization'; Expression = { $_.OrganizationId } }, Name, Status,
                    @{ Name = 'Halo Client Id'; Expression = { '' } } |
                Export-Csv -Path .\customers.csv -NoTypeInformation -Encoding UTF8
            $products = @(Import-Csv .\map.csv)
            $organizations = @(Import-Csv .\customers.csv)
            $products.Count | Should -BeGreaterThan 3
            $organizations.Count | Should -BeGreaterThan 3
            ($products | Where-Object 'Cumulus SKU' -eq 'MS-VISIO-P2').'Halo Item Id' = "$(Get-HaloItemId 'Visio Plan 2')"
            ($organizations | Where-Object Name -eq 'Contoso Ltd').'Halo Client Id' = "$(Get-HaloClientId 'Contoso Ltd')"
            $products | Export-Csv .\map.csv -NoTypeInformation -Encoding UTF8
            $organizations | Export-Csv .\customers.csv -NoTypeInformation -Encoding UTF8

            Import-Csv -Path .\map.csv | Set-HaloProductMapping -ErrorVariable productErrors -ErrorAction SilentlyContinue
            Import-Csv -Path .\customers.csv | Set-HaloOrgMapping -ErrorVariable organizationErrors -ErrorAction SilentlyContinue
        }
        finally {
            Pop-Location
        }

        $productErrors.Count + $organizationErrors.Count | Should -Be 0
        (Get-HaloProductMapping -Sku MS-VISIO-P2).Status | Should -Be 'Mapped'
        (Get-HaloOrgMapping -Name 'Contoso Ltd').Status | Should -Be 'Mapped'
        @(Get-HaloProductMapping -Status Mapped, AutoMapped).Count | Should -Be 1
        @(Get-HaloOrgMapping -Status Mapped).Count | Should -Be 1
    }

    It 'maps the rows of a product listing filled in with items, and warns of those whose Enable Sync said no' {
        $csv = Join-Path $TestDrive 'products-listing.csv'
        Get-CumulusProduct -NoRefresh | Where-Object Sku -in 'MS-VISIO-P2', 'MS-EXO-P1' | Export-Csv $csv -NoTypeInformation
        $rows = @(Import-Csv $csv | Sort-Object Sku)
        $rows.Status | Should -Be @('Unmapped', 'Unmapped')
        $rows[0].HaloItemId = "$(Get-HaloItemId 'Exchange Online (Plan 1)')"
        $rows[1].HaloItemId = "$(Get-HaloItemId 'Visio Plan 2')"
        $rows[1].SyncEnabled = 'no'

        $rows | Set-HaloProductMapping -ErrorAction Stop -WarningVariable warned 3>$null

        (Get-HaloProductMapping -Sku MS-VISIO-P2).SyncEnabled | Should -BeTrue
        $warned.Count | Should -Be 1
        "$($warned[0])" | Should -BeLike "Row 2 of a listing piped back in (Status Unmapped or Error) named a target and said no in 'Enable Sync'*Set-HaloProductMapping for it with -SyncEnabled `$false."
    }
}

Describe 'Column names' {
    It 'binds the same columns to the SKU, and to the organization, in every command a spreadsheet is piped into' {
        $sku = 'Get-HaloProductMapping', 'Set-HaloProductMapping', 'Remove-HaloProductMapping' |
            ForEach-Object { , @((Get-Command $_).Parameters['Sku'].Aliases | Sort-Object) }
        $organization = 'Set-HaloOrgMapping', 'Remove-HaloOrgMapping', 'Set-CumulusChargeSync', 'Get-CumulusCharge', 'Start-HaloMigration' |
            ForEach-Object { , @((Get-Command $_).Parameters['Organization'].Aliases | Sort-Object) }

        foreach ($aliases in $sku) { $aliases | Should -Be @('Cumulus SKU', 'CumulusSku', 'Product SKU', 'Sherweb SKU') }
        foreach ($aliases in $organization) { $aliases | Should -Be @('Cumulus Customer', 'Cumulus Organization', 'Customer', 'Organization Name', 'OrganizationId') }
    }
}

Describe 'Import-Csv | Set-CumulusChargeSync' {
    It 'switches off the charges a comma-separated list names (organization names quoted, as Excel writes them)' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
        $charges = @(Get-CumulusCharge -Organization 'Contoso Ltd') + @(Get-CumulusCharge -Organization 'Fabrikam, Inc.')
        $chosen = @($charges | Where-Object Kind -eq 'Charge' | Select-Object -First 2)
        $chosen.Count | Should -Be 2
        $lines = @('"Organization","Charge Key","Comment"') + @($chosen | ForEach-Object { "`"$($_.OrganizationName)`",`"$($_.ChargeKey)`",`"off, per ticket ""42""`"" })
        $csv = Write-CsvFile 'charges.csv' $lines

        $result = @(Import-Csv $csv | Set-CumulusChargeSync -SyncEnabled no -PassThru -ErrorAction Stop)

        $result.ChargeKey | Should -Be $chosen.ChargeKey
        foreach ($charge in $chosen) {
            $now = Get-CumulusCharge -Organization $charge.OrganizationId | Where-Object ChargeKey -eq $charge.ChargeKey
            $now.SyncEnabled | Should -BeFalse -Because "$($charge.ChargeKey) of $($charge.OrganizationName) was switched off"
        }
        $others = @($charges | Where-Object { $chosen.ChargeKey -notcontains $_.ChargeKey })
        @(Get-CumulusCharge -Organization 'Contoso Ltd') + @(Get-CumulusCharge -Organization 'Fabrikam, Inc.') |
            Where-Object { $others.ChargeKey -contains $_.ChargeKey } | ForEach-Object { $_.SyncEnabled | Should -BeTrue }
    }
}

Describe 'Settings from a CSV into Set-HaloSyncConfiguration' {
    It 'binds the text cells of a settings row to the typed parameters (day, enums, time zone)' {
        # Set-HaloSyncConfiguration takes no pipeline input; a settings sheet is read and its cells passed by name.
        $state = New-StatePath
        $csv = Write-CsvFile 'settings.csv' -Bom @('InvoiceDay;BillingMethod;MappingMode;CostBasis;TimeZone', '28;PostBill;Manual;List;America/Toronto')
        $row = Import-Csv $csv -Delimiter ';'

        Set-HaloSyncConfiguration -StatePath $state -InvoiceDay $row.InvoiceDay -BillingMethod $row.BillingMethod `
            -MappingMode $row.MappingMode -CostBasis $row.CostBasis -TimeZone $row.TimeZone -ErrorAction Stop

        $settings = Get-HaloSyncConfiguration -StatePath $state
        $settings.InvoiceDay | Should -Be 28
        "$($settings.BillingMethod)" | Should -Be 'PostBill'
        "$($settings.MappingMode)" | Should -Be 'Manual'
        "$($settings.CostBasis)" | Should -Be 'List'
        $settings.TimeZone | Should -Be 'America/Toronto'
    }

    It 'refuses a bad cell before anything is written' {
        $state = New-StatePath
        Set-HaloSyncConfiguration -StatePath $state -InvoiceDay 10
        $row = ConvertFrom-Csv @('InvoiceDay,BillingMethod', '32,PreBill')

        { Set-HaloSyncConfiguration -StatePath $state -InvoiceDay $row.InvoiceDay -BillingMethod $row.BillingMethod -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,HaloSync.Commands.SetHaloSyncConfigurationCommand'
        (Get-HaloSyncConfiguration -StatePath $state).InvoiceDay | Should -Be 10
    }
}

Describe 'Export-Csv' {
    It 'exports the product and organization mappings so that Import-Csv restores them into another state file' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        Invoke-HaloAutoMapping | Out-Null
        Set-HaloProductMapping -Sku MS-VISIO-P2 -HaloItemName 'Visio Plan 2' -SyncEnabled no
        # Products in Error (two HaloPSA items carry the SKU) have no item yet, like the Unmapped ones.
        $products = @(Get-HaloProductMapping | Where-Object HaloItemId)
        $organizations = @(Get-HaloOrgMapping | Where-Object HaloClientId)
        $products.Count | Should -BeGreaterThan 5
        $organizations.Count | Should -Be 27
        $productsCsv = Join-Path $TestDrive 'product-mappings-export.csv'
        $organizationsCsv = Join-Path $TestDrive 'org-mappings-export.csv'

        $products | Export-Csv $productsCsv -Delimiter ';' -Encoding utf8BOM
        $organizations | Export-Csv $organizationsCsv

        $header = (Get-Content $productsCsv -TotalCount 1).Trim([char]0xFEFF)
        $header | Should -Match '"Sku";.*"HaloItemId";.*"SyncEnabled"'
        (Get-Content $organizationsCsv -TotalCount 1) | Should -Match '"OrganizationId",.*"HaloClientId"'
        @(Import-Csv $productsCsv -Delimiter ';').Count | Should -Be $products.Count
        Get-Content -Raw $organizationsCsv | Should -Match ([regex]::Escape('"Fabrikam, Inc."'))

        $restored = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $restored
        Import-Csv $productsCsv -Delimiter ';' | Set-HaloProductMapping -StatePath $restored -ErrorAction Stop
        Import-Csv $organizationsCsv | Set-HaloOrgMapping -StatePath $restored -ErrorAction Stop

        foreach ($product in $products) {
            $again = Get-HaloProductMapping -StatePath $restored -Sku $product.Sku
            $again.HaloItemId | Should -Be $product.HaloItemId -Because $product.Sku
            $again.SyncEnabled | Should -Be $product.SyncEnabled -Because $product.Sku
        }
        foreach ($organization in $organizations) {
            $again = Get-HaloOrgMapping -StatePath $restored -OrganizationId $organization.OrganizationId
            $again.HaloClientId | Should -Be $organization.HaloClientId -Because $organization.Name
            $again.SyncEnabled | Should -Be $organization.SyncEnabled -Because $organization.Name
        }
    }

    It 'exports the sync log with one row per event, the columns an admin filters on, and no secret' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        Invoke-HaloSync -Organization 'Contoso Ltd', 'Fabrikam, Inc.' -ErrorAction Stop | Out-Null
        $events = @(Get-HaloSyncLog)
        $events.Count | Should -BeGreaterThan 0
        $csv = Join-Path $TestDrive 'sync-log.csv'

        $events | Export-Csv $csv -UseCulture

        $rows = @(Import-Csv $csv -UseCulture)
        $rows.Count | Should -Be $events.Count
        foreach ($column in 'EventId', 'RunId', 'CreatedAt', 'Status', 'Kind', 'OrganizationName', 'Sku', 'QuantityBefore', 'QuantityAfter', 'EffectiveDate', 'Error') {
            $rows[0].PSObject.Properties.Name | Should -Contain $column
        }
        # Item cost updates belong to no organization.
        @($rows.OrganizationName | Where-Object { $_ } | Sort-Object -Unique) | Should -Be @('Contoso Ltd', 'Fabrikam, Inc.')
        @($rows | Where-Object Kind -like 'Create*').Count | Should -BeGreaterThan 0
        @($rows | Where-Object Status -ne 'Success').Count | Should -Be 0
        ($rows | Group-Object EventId | Where-Object Count -gt 1) | Should -BeNullOrEmpty
        $text = Get-Content -Raw $csv
        $text | Should -Not -Match ([regex]::Escape($sandbox.HaloCredential.GetNetworkCredential().Password))
        $text | Should -Not -Match ([regex]::Escape($sandbox.SherwebCredential.GetNetworkCredential().Password))
    }
}
