# Issue 10 as a new admin meets it in pwsh: the mapping and input mistakes admins really make (a spreadsheet made
# before the first read, a listing piped back, a typo, a semicolon file, a duplicate row), reads that never create a
# state file, one rule for yes/no and for -Organization, and a sync that says what it does and what to map first.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox

    function Initialize-Connected([string] $StatePath) {
        # Settings and both connections, and nothing read yet: what an admin has right after connecting.
        Set-HaloSyncConfiguration -StatePath $StatePath -InvoiceDay 15 -MappingMode Manual -SyncEnabled $true
        Connect-Sandbox -Sandbox $sandbox -StatePath $StatePath
    }

    function Initialize-Synced([string] $StatePath) {
        # Every organization mapped by name, products mapped automatically, Contoso and Fabrikam synced once.
        Initialize-DemoState -Sandbox $sandbox -StatePath $StatePath -MapOrganizations
        Invoke-HaloAutoMapping | Out-Null
        Invoke-HaloSync -Organization 'Contoso Ltd', 'Fabrikam, Inc.' -ErrorAction Stop | Out-Null
    }

    function Get-SherwebRequest([string] $PathLike) { @(Invoke-Sim $sandbox.SherwebControlUri requests | Where-Object path -like $PathLike) }

    function Get-ShouldProcessCalls([scriptblock] $Run) {
        # Each change a command makes goes through ShouldProcess, which -Verbose reports (What if lines go to the host only).
        @(& $Run 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Performing the operation*' })
    }

    function Get-Warnings([scriptblock] $Run) {
        Write-Output -NoEnumerate @(& $Run 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
    }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'A spreadsheet made in advance, mapped right after connecting' {
    BeforeEach {
        $state = New-StatePath
        Initialize-Connected $state
        Invoke-Sim $sandbox.SherwebControlUri requests -Method Delete | Out-Null
    }

    It 'maps SKUs HaloSync has not read yet, looking them up in Sherweb once for the whole pipeline' {
        (Get-CumulusProduct -NoRefresh).Count | Should -Be 0 -Because 'no product has been read yet'
        $rows = ConvertFrom-Csv @('Cumulus SKU,Halo Item,Enable Sync', 'MS-VISIO-P2,Visio Plan 2,yes', 'MS-EXO-P1,Exchange Online (Plan 1),yes', 'MS-TEAMS-ESS,Microsoft Teams Essentials,no')

        $rows | Set-HaloProductMapping -ErrorAction Stop

        (Get-HaloProductMapping -Sku MS-VISIO-P2).Status | Should -Be 'Mapped'
        (Get-HaloProductMapping -Sku MS-EXO-P1).HaloItemName | Should -Be 'Exchange Online (Plan 1)'
        (Get-HaloProductMapping -Sku MS-TEAMS-ESS).Status | Should -Be 'Disabled'
        (Get-SherwebRequest '*/payable-charges').Count | Should -Be 1
    }

    It 'still refuses a SKU Sherweb does not know, naming the nearest known SKUs, and maps the other rows' {
        $rows = ConvertFrom-Csv @('Cumulus SKU,Halo Item', 'MS-VISO-P2,Visio Plan 2', 'MS-EXO-P1,Exchange Online (Plan 1)', 'NO-SUCH-THING,Visio Plan 2')

        $rows | Set-HaloProductMapping -ErrorAction SilentlyContinue -ErrorVariable rowErrors

        $rowErrors.Count | Should -Be 2
        $rowErrors[0].FullyQualifiedErrorId | Should -Be 'ProductNotFound,HaloSync.Commands.SetHaloProductMappingCommand'
        $rowErrors[0].Exception.Message | Should -BeLike "Row 1: *'MS-VISO-P2'*Similar: 'MS-VISIO-P2' (Visio Plan 2)*"
        $rowErrors[1].Exception.Message | Should -BeLike "Row 3: *'NO-SUCH-THING'*"
        (Get-HaloProductMapping -Sku MS-EXO-P1).Status | Should -Be 'Mapped'
        (Get-SherwebRequest '*/payable-charges').Count | Should -Be 1 -Because 'one read serves every unknown SKU of the pipeline'
    }

    It 'maps organizations HaloSync has not read yet, reading Sherweb''s list once' {
        $rows = ConvertFrom-Csv @('Organization,Halo Client', 'Contoso Ltd,Contoso Ltd', '"Fabrikam, Inc.","Fabrikam, Inc."')
        Invoke-Sim $sandbox.SherwebControlUri requests -Method Delete | Out-Null

        $rows | Set-HaloOrgMapping -ErrorAction Stop

        (Get-HaloOrgMapping).Name | Should -Be @('Contoso Ltd', 'Fabrikam, Inc.')
        (Get-SherwebRequest '*/customers').Count | Should -BeLessOrEqual 1
    }
}

Describe 'Listings piped back into Set-HaloProductMapping and Set-HaloOrgMapping' {
    BeforeEach {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
    }

    It 'maps an Unmapped product piped from Get-CumulusProduct with sync on: its own SyncEnabled (False) is no request' {
        Get-CumulusProduct -Status Unmapped | Where-Object Sku -eq 'MS-VISIO-P2' | Set-HaloProductMapping -HaloItemName 'Visio Plan 2'

        $visio = Get-HaloProductMapping -Sku MS-VISIO-P2
        $visio.SyncEnabled | Should -BeTrue
        $visio.Status | Should -Be 'Mapped'
    }

    It 'keeps sync off when -SyncEnabled says so on the command line' {
        Get-CumulusProduct -Status Unmapped | Where-Object Sku -eq 'MS-VISIO-P2' | Set-HaloProductMapping -HaloItemName 'Visio Plan 2' -SyncEnabled no

        (Get-HaloProductMapping -Sku MS-VISIO-P2).Status | Should -Be 'Disabled'
    }

    It 'maps with sync on the rows of a Get-CumulusProduct export whose Halo Item the admin filled in' {
        $csv = Join-Path $TestDrive 'to-map.csv'
        Get-CumulusProduct -Status Unmapped | Select-Object Sku, ProductName, Status, SyncEnabled, @{ n = 'Halo Item'; e = { if ($_.Sku -eq 'MS-VISIO-P2') { 'Visio Plan 2' } } } |
            Export-Csv $csv

        Import-Csv $csv | Set-HaloProductMapping -ErrorAction Stop

        (Get-HaloProductMapping -Sku MS-VISIO-P2).Status | Should -Be 'Mapped'
        @(Get-HaloProductMapping).Sku | Should -Be @('MS-VISIO-P2') -Because 'rows left without an item ask for nothing'
    }

    It 'leaves every product as it was when all of Get-CumulusProduct is piped back: AutoMapped stays AutoMapped' {
        Invoke-HaloAutoMapping | Out-Null
        Set-HaloProductMapping -Sku MS-VISIO-P2 -HaloItemName 'Visio Plan 2' -SyncEnabled no
        $before = Get-CumulusProduct -NoRefresh | Select-Object Sku, Status, HaloItemId, Source, SyncEnabled
        @($before | Where-Object Status -eq 'AutoMapped').Count | Should -BeGreaterThan 3

        $changes = Get-ShouldProcessCalls { Get-CumulusProduct -NoRefresh | Set-HaloProductMapping -ErrorAction Stop -Verbose }

        $after = Get-CumulusProduct -NoRefresh | Select-Object Sku, Status, HaloItemId, Source, SyncEnabled
        Compare-Object $before $after -Property Sku, Status, HaloItemId, Source, SyncEnabled | Should -BeNullOrEmpty
        $changes | Should -BeNullOrEmpty
    }

    It 'maps an Unmapped organization piped from Get-CumulusOrganization with sync on' {
        Get-CumulusOrganization -Name 'Contoso Ltd' | Set-HaloOrgMapping -HaloClientName 'Contoso Ltd'

        (Get-HaloOrgMapping -Organization 'Contoso Ltd').Status | Should -Be 'Mapped'
    }
}

Describe 'Mistakes in a spreadsheet that are said, not passed over' {
    BeforeEach {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
    }

    It 'warns when two rows are about one SKU, naming both rows; the later row wins' {
        $rows = ConvertFrom-Csv @('Cumulus SKU,Halo Item', 'MS-VISIO-P2,Visio Plan 2', 'MS-EXO-P1,Exchange Online (Plan 1)', 'ms-visio-p2 ,Microsoft Teams Essentials')

        $warnings = Get-Warnings { $rows | Set-HaloProductMapping -ErrorAction Stop }

        $warnings.Count | Should -Be 1
        $warnings[0] | Should -BeLike "Rows 1 and 3 are both about SKU 'MS-VISIO-P2': row 1 maps it to 'Visio Plan 2' (id *), row 3 maps it to 'Microsoft Teams Essentials' (id *). The later row wins."
        (Get-HaloProductMapping -Sku MS-VISIO-P2).HaloItemName | Should -Be 'Microsoft Teams Essentials'
    }

    It 'warns when two organizations map to one HaloPSA client, naming both' {
        Set-HaloOrgMapping -Organization 'Contoso Ltd' -HaloClientName 'Contoso Ltd'

        $warnings = Get-Warnings { Set-HaloOrgMapping -Organization 'Fabrikam, Inc.' -HaloClientName 'Contoso Ltd' }

        $warnings.Count | Should -Be 1
        $warnings[0] | Should -BeLike "'Fabrikam, Inc.' and 'Contoso Ltd' map to the same HaloPSA client 'Contoso Ltd' (id *)*"
        (Get-HaloOrgMapping -Organization 'Fabrikam, Inc.').HaloClientName | Should -Be 'Contoso Ltd'
    }

    It 'says once, for every row, that a semicolon file was read without -Delimiter '';''' {
        $csv = Join-Path $TestDrive 'semicolons.csv'
        Set-Content $csv @('Cumulus SKU;Halo Item;Enable Sync', 'MS-VISIO-P2;Visio Plan 2;yes', 'MS-EXO-P1;Exchange Online (Plan 1);yes', 'MS-BB-NCE;Microsoft 365 Business Basic;no')

        Import-Csv $csv | Set-HaloProductMapping -ErrorAction SilentlyContinue -ErrorVariable csvErrors

        $csvErrors.Count | Should -Be 1
        $csvErrors[0].FullyQualifiedErrorId | Should -Be 'CsvDelimiterMismatch,HaloSync.Commands.SetHaloProductMappingCommand'
        $csvErrors[0].Exception.Message | Should -BeLike "3 rows (1, 2, 3) came with a single column named 'Cumulus SKU;Halo Item;Enable Sync'*Import-Csv -Delimiter ';'*"
        @(Get-HaloProductMapping).Count | Should -Be 0
    }

    It 'says the same of Set-HaloOrgMapping, Set-CumulusChargeSync and the Remove cmdlets' -ForEach @(
        @{ Command = 'Set-HaloOrgMapping'; Lines = @('Organization;Halo Client', 'Contoso Ltd;Contoso Ltd') }
        @{ Command = 'Set-CumulusChargeSync'; Lines = @('Organization;Charge Key;Enable Sync', 'Contoso Ltd;sub-1;no') }
        @{ Command = 'Remove-HaloOrgMapping'; Lines = @('Organization;Note', 'Contoso Ltd;x') }
        @{ Command = 'Remove-HaloProductMapping'; Lines = @('Cumulus SKU;Note', 'MS-BB-NCE;x') }
    ) {
        ConvertFrom-Csv $Lines | & $Command -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable csvErrors

        $csvErrors.Count | Should -Be 1
        $csvErrors[0].FullyQualifiedErrorId | Should -BeLike 'CsvDelimiterMismatch,*'
        $csvErrors[0].Exception.Message | Should -Match "Import-Csv -Delimiter ';'"
    }

    It 'names the columns a row lacks when its header binds nothing' {
        ConvertFrom-Csv @('Product,Item', 'MS-VISIO-P2,Visio Plan 2') | Set-HaloProductMapping -ErrorAction SilentlyContinue -ErrorVariable csvErrors

        $csvErrors.Count | Should -Be 1
        $csvErrors[0].FullyQualifiedErrorId | Should -BeLike 'MissingColumn,*'
        $csvErrors[0].Exception.Message | Should -BeLike "Row 1 had the columns 'Product', 'Item', and nothing for -Sku (a column named 'Sku', 'Cumulus SKU'*"
    }
}

Describe 'Set-HaloSyncConfiguration' {
    BeforeEach {
        $state = New-StatePath
        Set-HaloSyncConfiguration -StatePath $state -InvoiceDay 10 -Proration $false -SyncEnabled $false
    }

    It 'refuses an invoice day that is not a whole day, and keeps the day it had: <Day>' -ForEach @(@{ Day = 15.5 }, @{ Day = '15.5' }, @{ Day = '#15' }) {
        { Set-HaloSyncConfiguration -StatePath $state -InvoiceDay $Day -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,HaloSync.Commands.SetHaloSyncConfigurationCommand' -ExpectedMessage "*not a whole day*"
        (Get-HaloSyncConfiguration -StatePath $state).InvoiceDay | Should -Be 10
    }

    It 'takes a whole day written as 20, ''20'' or 20.0' {
        foreach ($day in 20, '20', 20.0) {
            Set-HaloSyncConfiguration -StatePath $state -InvoiceDay $day
            (Get-HaloSyncConfiguration -StatePath $state).InvoiceDay | Should -Be 20
        }
    }

    It 'takes yes/no for -Proration and -SyncEnabled, as the mapping cmdlets do' {
        Set-HaloSyncConfiguration -StatePath $state -Proration yes -SyncEnabled 'Y'
        $settings = Get-HaloSyncConfiguration -StatePath $state
        $settings.Proration | Should -BeTrue
        $settings.SyncEnabled | Should -BeTrue
        Set-HaloSyncConfiguration -StatePath $state -Proration off -SyncEnabled:$false
        (Get-HaloSyncConfiguration -StatePath $state).Proration | Should -BeFalse
    }

    It 'refuses another value with an error that names it' {
        { Set-HaloSyncConfiguration -StatePath $state -Proration maybe -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*-Proration 'maybe' is not yes or no: use yes/no, true/false or 1/0 (*"
        (Get-HaloSyncConfiguration -StatePath $state).Proration | Should -BeFalse
    }
}

Describe 'Set-CumulusChargeSync from a spreadsheet' {
    It 'binds the Enable Sync column' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
        $charge = Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object Kind -eq 'Subscription' | Select-Object -First 1
        $rows = ConvertFrom-Csv @('Organization,Charge Key,Enable Sync', "Contoso Ltd,$($charge.ChargeKey),no")

        $rows | Set-CumulusChargeSync -ErrorAction Stop

        (Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object ChargeKey -eq $charge.ChargeKey).SyncEnabled | Should -BeFalse
    }

    It 'asks nothing and previews nothing for a row that finds the switch already as it says, and says so in -Verbose' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
        $charge = Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object Kind -eq 'Subscription' | Select-Object -First 1
        $charge.SyncEnabled | Should -BeTrue

        $said = @(Set-CumulusChargeSync -Organization 'Contoso Ltd' -ChargeKey $charge.ChargeKey -SyncEnabled yes -Confirm -Verbose 4>&1)

        $said.Message | Should -Contain "$($charge.ChargeKey) of Contoso Ltd: sync already on; nothing changed."
        (Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object ChargeKey -eq $charge.ChargeKey).SyncEnabled | Should -BeTrue
    }
}

Describe 'Reading never creates a state file' {
    It '<Command> with a mistyped -StatePath is an error naming the path, and no file appears' -ForEach @(
        @{ Command = 'Get-HaloSyncConfiguration' }, @{ Command = 'Get-HaloProductMapping' }, @{ Command = 'Get-HaloOrgMapping' }, @{ Command = 'Get-HaloSyncLog' }, @{ Command = 'Compare-HaloBilling' }, @{ Command = 'Get-HaloMigration' }
    ) {
        $typo = Join-Path $TestDrive 'halosnyc.db'

        { & $Command -StatePath $typo -ErrorAction Stop } | Should -Throw -ErrorId "StateDatabaseNotFound,*" -ExpectedMessage "*'$typo'*"

        Test-Path $typo | Should -BeFalse
    }
}

Describe 'Get-HaloProductMapping and Get-HaloOrgMapping list mappings' {
    BeforeAll {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        Invoke-HaloAutoMapping | Out-Null
        Set-HaloProductMapping -Sku MS-VISIO-P2 -HaloItemName 'Visio Plan 2' -SyncEnabled no
        Set-HaloOrgMapping -Organization 'Fabrikam, Inc.' -SyncEnabled no
        $mappingProperties = 'Sku', 'HaloItemId', 'HaloItemName', 'Source', 'SyncEnabled', 'Status'
        $organizationProperties = 'OrganizationId', 'Name', 'HaloClientId', 'HaloClientName', 'SyncEnabled', 'Status'
    }

    It 'lists products with an item only; -Status Unmapped or Error asks for the others' {
        $listed = @(Get-HaloProductMapping)
        $listed.Status | Sort-Object -Unique | Should -Be @('AutoMapped', 'Disabled')
        @(Get-HaloProductMapping -Status Unmapped, Error).Count | Should -BeGreaterThan 0
        $listed.Count + @(Get-HaloProductMapping -Status Unmapped, Error).Count | Should -Be @(Get-CumulusProduct -NoRefresh).Count
    }

    It 'lists organizations with a client only' {
        @(Get-HaloOrgMapping).Count | Should -Be 27
        (Get-HaloOrgMapping).Status | Sort-Object -Unique | Should -Be @('Mapped', 'Disabled')
    }

    It 'round-trips exactly through Export-Csv and Import-Csv into a new state file' {
        $products = Join-Path $TestDrive 'products.csv'
        $organizations = Join-Path $TestDrive 'organizations.csv'
        Get-HaloProductMapping | Export-Csv $products
        Get-HaloOrgMapping | Export-Csv $organizations
        $restored = New-StatePath
        Initialize-Connected $restored

        Import-Csv $products | Set-HaloProductMapping -StatePath $restored -ErrorAction Stop
        Import-Csv $organizations | Set-HaloOrgMapping -StatePath $restored -ErrorAction Stop -WarningAction SilentlyContinue

        Compare-Object @(Get-HaloProductMapping -StatePath $state) @(Get-HaloProductMapping -StatePath $restored) -Property $mappingProperties | Should -BeNullOrEmpty
        Compare-Object @(Get-HaloOrgMapping -StatePath $state) @(Get-HaloOrgMapping -StatePath $restored) -Property $organizationProperties | Should -BeNullOrEmpty
    }

    It 'changes nothing when its export is imported into the same state file' {
        $products = Join-Path $TestDrive 'products-again.csv'
        $before = @(Get-CumulusProduct -NoRefresh)
        Get-HaloProductMapping | Export-Csv $products -Delimiter ';'

        $changes = Get-ShouldProcessCalls { Import-Csv $products -Delimiter ';' | Set-HaloProductMapping -ErrorAction Stop -Verbose }

        $changes | Should -BeNullOrEmpty
        Compare-Object $before @(Get-CumulusProduct -NoRefresh) -Property $mappingProperties | Should -BeNullOrEmpty
    }
}

Describe 'Remove-* on a product or an organization that is not mapped' {
    BeforeAll {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
    }

    It 'changes nothing, asks nothing, and says so with -Verbose: <Expected>' -ForEach @(
        @{ Run = { Remove-HaloProductMapping -Sku 'ACRONIS-CP' -Verbose -PassThru 4>&1 }; Expected = 'Cumulus product ACRONIS-CP (Acronis Cyber Protect): not mapped; nothing changed.' }
        @{ Run = { Remove-HaloOrgMapping -Organization 'Coho Winery' -Verbose -PassThru 4>&1 }; Expected = 'Cumulus organization Coho Winery (*): not mapped; nothing changed.' }
    ) {
        $before = [System.IO.File]::ReadAllBytes($state)

        $records = @(& $Run)

        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        @($verbose | Where-Object { $_ -like 'Performing the operation*' }) | Should -BeNullOrEmpty -Because 'nothing is there to remove, so no What if line and no question'
        @($verbose | Where-Object { $_ -like $Expected }).Count | Should -Be 1
        @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 1 -Because '-PassThru returns the mapping as it is'
        [System.IO.File]::ReadAllBytes($state) | Should -Be $before
    }
}

Describe 'Set-HaloOrgMapping before Connect-Cumulus' {
    It 'says to connect first, as Set-HaloProductMapping does, for an organization not seen yet (in a new pwsh)' {
        $state = New-StatePath
        $script = @'
Import-Module '{0}'
Set-HaloSyncConfiguration -StatePath '{1}' -InvoiceDay 15
try {{ Set-HaloOrgMapping -StatePath '{1}' -Organization 'Contoso Ltd' -HaloClientId 1 -ErrorAction Stop }} catch {{ "$($_.FullyQualifiedErrorId) | $($_.Exception.Message)" }}
'@ -f $ModuleManifest, $state

        $result = Invoke-Pwsh -Command $script

        $result.Output | Should -Match ([regex]::Escape("CumulusOrganizationNotFound,HaloSync.Commands.SetHaloOrgMappingCommand | No Cumulus organization with the id or name 'Contoso Ltd' has been seen, and this session is not connected to Sherweb to look it up. Run Connect-Cumulus first"))
    }
}

Describe 'A new invoice day once clients have HaloSync recurring invoices' {
    BeforeAll {
        $state = New-StatePath
        Initialize-Synced $state
    }

    It 'is refused, saying why and what to do in HaloPSA first, and changes nothing' {
        { Set-HaloSyncConfiguration -StatePath $state -InvoiceDay 1 -Proration $false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvoiceDayInUse,HaloSync.Commands.SetHaloSyncConfigurationCommand' `
                -ExpectedMessage 'The invoice day was not changed from 15 to 1: 2 client(s) have a HaloSync recurring invoice that HaloPSA generates on day 15*set the next invoice date of each HaloSync recurring invoice in HaloPSA to day 1*-InvoiceDay 1 -Force.'
        $settings = Get-HaloSyncConfiguration -StatePath $state
        $settings.InvoiceDay | Should -Be 15
        $settings.Proration | Should -BeTrue -Because 'nothing of a refused call is written'
    }

    It 'takes the day it has, and a new day with -Force once the schedules were moved' {
        Set-HaloSyncConfiguration -StatePath $state -InvoiceDay 15 -Proration $false -ErrorAction Stop
        (Get-HaloSyncConfiguration -StatePath $state).Proration | Should -BeFalse

        Set-HaloSyncConfiguration -StatePath $state -InvoiceDay 1 -Force -ErrorAction Stop

        (Get-HaloSyncConfiguration -StatePath $state).InvoiceDay | Should -Be 1
    }
}

Describe '-Organization: wildcards everywhere, a warning when it matches nothing, the nearest names' {
    BeforeAll {
        $state = New-StatePath
        Initialize-Synced $state
    }

    It 'selects by wildcard in <Command>' -ForEach @(
        @{ Command = 'Get-HaloOrgMapping'; Names = { param($o) $o.Name } }
        @{ Command = 'Get-HaloSyncLog'; Names = { param($o) $o.OrganizationName } }
        @{ Command = 'Get-CumulusCharge'; Names = { param($o) $o.OrganizationName } }
    ) {
        $found = @(& $Command -Organization 'Fabrik*' | ForEach-Object { & $Names $_ } | Where-Object { $_ } | Sort-Object -Unique)
        $found | Should -Be @('Fabrikam, Inc.')
    }

    It 'selects by wildcard in Invoke-HaloSync' {
        $verbose = @(Invoke-HaloSync -Organization 'Fabrik*', 'Contoso L?d' -WhatIf -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $read = @($verbose | Where-Object { $_ -like 'Sherweb: *: * subscription(s); bills to HaloPSA client *' })
        $read | ForEach-Object { $_.Split(':')[1].Trim() } | Sort-Object | Should -Be @('Contoso Ltd', 'Fabrikam, Inc.')
        $verbose | Where-Object { $_ -like 'Organizations: 2 to sync (of the 2 asked for)*' } | Should -Not -BeNullOrEmpty
    }

    It 'warns in <Command> when -Organization matches nothing, naming the nearest organization: ''<Value>''' -ForEach @(
        @{ Command = 'Get-HaloOrgMapping'; Value = 'Contosso Ltd' }, @{ Command = 'Get-HaloOrgMapping'; Value = 'Contosso*' }
        @{ Command = 'Get-HaloSyncLog'; Value = 'Contosso Ltd' }, @{ Command = 'Get-CumulusCharge'; Value = 'Contosso Ltd' }
        @{ Command = 'Invoke-HaloSync'; Value = 'Contosso Ltd' }, @{ Command = 'Get-CumulusOrganization'; Value = 'Contosso Ltd' }
    ) {
        $extra = if ($Command -eq 'Invoke-HaloSync') { @{ WhatIf = $true } } elseif ($Command -eq 'Get-CumulusOrganization') { @{ Name = $Value } } else { @{ Organization = $Value } }
        if ($Command -eq 'Invoke-HaloSync') { $extra.Organization = $Value }

        $warnings = Get-Warnings { & $Command @extra -ErrorAction Stop }

        $warnings | Should -Contain "No Cumulus organization matches '$Value'. Similar: 'Contoso Ltd'."
    }

    It 'names the nearest organization in the error of a row whose organization is unknown: Contosso Ltd and Fabrikam' {
        Set-HaloOrgMapping -Organization 'Contosso Ltd' -HaloClientName 'Contoso Ltd' -ErrorAction SilentlyContinue -ErrorVariable typo
        Set-HaloOrgMapping -Organization 'Fabrikam' -HaloClientName 'Contoso Ltd' -ErrorAction SilentlyContinue -ErrorVariable partial

        $typo[0].Exception.Message | Should -BeLike "*'Contosso Ltd'. Similar: 'Contoso Ltd' (id *"
        $partial[0].Exception.Message | Should -BeLike "*'Fabrikam'. Similar: 'Fabrikam, Inc.' (id *"
    }

    It 'maps by a wildcard that matches one organization, and refuses one that matches several, listing them' {
        Set-HaloOrgMapping -Organization 'Trey*' -HaloClientName 'Contoso Ltd' -WarningAction SilentlyContinue -ErrorAction Stop
        (Get-HaloOrgMapping -Organization 'Trey Research').HaloClientName | Should -Be 'Contoso Ltd'

        Set-HaloOrgMapping -Organization 'C*' -SyncEnabled no -ErrorAction SilentlyContinue -ErrorVariable several
        $several[0].FullyQualifiedErrorId | Should -BeLike 'CumulusOrganizationAmbiguous,*'
        $several[0].Exception.Message | Should -BeLike "*'C*' matches * records: *'Contoso Ltd'*Give one name or id."
    }
}

Describe 'Invoke-HaloSync says what it does' {
    It 'says what to map first when sync is on and nothing is mapped' {
        $state = New-StatePath
        Initialize-Connected $state

        $warnings = Get-Warnings { $script:summary = Invoke-HaloSync -ErrorAction Stop }

        $summary.Organizations | Should -Be 0
        $warnings | Should -Contain ("No organization is mapped to a HaloPSA client with sync on, so nothing was synced. Map them first: " +
            "Get-CumulusOrganization -Status Unmapped lists them, and Set-HaloOrgMapping -Organization <name> -HaloClientName <client> maps one (or pipe a spreadsheet into it).")
        $summary.Advice | Should -Be $warnings
    }

    It 'says to map products when organizations are mapped and no product is' {
        $state = New-StatePath
        Initialize-Connected $state
        Set-HaloOrgMapping -Organization 'Contoso Ltd' -HaloClientName 'Contoso Ltd'

        $warnings = Get-Warnings { Invoke-HaloSync -ErrorAction Stop | Out-Null }

        $warnings | Where-Object { $_ -like 'No product is mapped to a HaloPSA item with sync on, so the * subscription(s) and charge(s) of the 1 mapped organization(s) were skipped.*Invoke-HaloAutoMapping*' } |
            Should -Not -BeNullOrEmpty
    }

    It 'logs with -Verbose each phase, the requests and the decisions, and no secret' {
        # An organization no other test of this file syncs, so its subscription is created (not adopted).
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
        Set-HaloSyncConfiguration -MappingMode Manual
        Set-HaloOrgMapping -Organization 'Adventure Works' -HaloClientName 'Adventure Works'
        $first, $others = @(Get-CumulusCharge -Organization 'Adventure Works' | Where-Object Kind -eq 'Subscription')
        Set-HaloProductMapping -Sku $first.Sku -HaloItemName $first.ProductName
        $others.Count | Should -BeGreaterThan 0 -Because 'a subscription of an unmapped product is skipped'

        $verbose = @(Invoke-HaloSync -Verbose -ErrorAction Stop 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

        $text = $verbose -join "`n"
        foreach ($phase in 'Reading Cumulus: ', 'Reading HaloPSA: Items', 'Planning: ', 'Reading HaloPSA: Subscriptions and recurring invoices', 'Writing HaloPSA: ') {
            $verbose | Where-Object { $_.StartsWith($phase) } | Should -Not -BeNullOrEmpty -Because "the phase '$phase' is logged:`n$text"
        }
        $text | Should -Match 'Sherweb: GET /service-provider/v1/billing/subscriptions/details\?customerId=[0-9a-f-]{36} -> 200'
        $text | Should -Match 'HaloPSA: POST /api/SoftwareLicence\?returnall=true -> 2\d\d'
        $text | Should -Match 'Organizations: 1 to sync; not synced: 29 unmapped'
        $text | Should -Match ([regex]::Escape("To write: Adventure Works, $($first.ProductName) ($($first.Sku)): CreateSubscription 0 -> $($first.Quantity) from "))
        $text | Should -Match ([regex]::Escape("Skipped: Adventure Works: $($others[0].ProductName) ($($others[0].Sku)): product not mapped"))
        $text | Should -Match 'HaloPSA client \d+: \d+ event\(s\) written, 0 failed\.'
        foreach ($secret in $sandbox.HaloCredential.GetNetworkCredential().Password, $sandbox.SherwebCredential.GetNetworkCredential().Password,
            [System.Net.NetworkCredential]::new('', $sandbox.SubscriptionKey).Password) {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
    }

    It 'shows the times of -WhatIf events and of the log in the same time zone, the configured one' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
        Set-HaloSyncConfiguration -TimeZone 'Asia/Kolkata'
        Set-HaloOrgMapping -Organization 'Contoso Ltd' -HaloClientName 'Contoso Ltd'
        Invoke-HaloAutoMapping | Out-Null

        $planned = @(Invoke-HaloSync -WhatIf | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncEvent] })
        Invoke-HaloSync -ErrorAction Stop | Out-Null
        $logged = @(Get-HaloSyncLog)

        $planned.Count | Should -BeGreaterThan 0
        $planned.CreatedAt.Offset | Sort-Object -Unique | Should -Be ([timespan]'05:30')
        $logged.CreatedAt.Offset | Sort-Object -Unique | Should -Be ([timespan]'05:30')
    }
}

Describe 'A 3,000-row organization spreadsheet (issue 12)' {
    It 'reads the known organizations once, not once per row' {
        $state = New-StatePath
        Initialize-Connected $state
        $client = [System.Net.Http.HttpClient]::new()
        try {
            $names = 1..3000 | ForEach-Object { 'Bulk customer {0:0000}' -f $_ }
            foreach ($name in $names) {
                $body = [System.Net.Http.StringContent]::new((@{ displayName = $name } | ConvertTo-Json), [System.Text.Encoding]::UTF8, 'application/json')
                $client.PostAsync($sandbox.SherwebControlUri + 'customers', $body).GetAwaiter().GetResult().EnsureSuccessStatusCode() | Out-Null
            }
        }
        finally {
            $client.Dispose()
        }
        Invoke-Sim $sandbox.HaloControlUri seed -Method Post -Body @{ clients = @($names | ForEach-Object { @{ name = $_ } }) } | Out-Null
        Get-CumulusOrganization | Out-Null
        Get-HaloClient | Out-Null
        $rows = $names | ForEach-Object { [pscustomobject]@{ Organization = $_; 'Halo Client' = $_ } }

        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $verbose = @($rows | Set-HaloOrgMapping -Verbose -ErrorAction Stop 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $watch.Stop()

        @($verbose | Where-Object { $_ -like 'Read * known organization(s) from the state database*' }).Count | Should -Be 1
        @(Get-HaloOrgMapping -Organization 'Bulk customer *').Count | Should -Be 3000
        Write-Host "3,000 organization rows mapped in $([math]::Round($watch.Elapsed.TotalSeconds, 1)) s (19.5 s when every row re-read the organizations)."
    }
}
