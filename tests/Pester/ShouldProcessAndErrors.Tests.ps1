# -WhatIf, -Confirm:$false and errors as scripts handle them: $ErrorActionPreference = 'Stop' with try/catch on
# the error id (FullyQualifiedErrorId), and -ErrorAction Stop on a per-row error.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox

    function Get-HaloWrites {
        @(Invoke-Sim $sandbox.HaloControlUri requests | Where-Object { $_.method -ne 'GET' -and $_.path -notlike '*/token*' })
    }

    function Get-CaughtErrorId([scriptblock] $Script) {
        # What a runbook does: stop on the first error and branch on its id.
        $ErrorActionPreference = 'Stop'
        try {
            & $Script
            'no error'
        }
        catch {
            $_.FullyQualifiedErrorId
        }
    }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe '-WhatIf' {
    BeforeEach {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
    }

    It 'changes no setting, mapping or charge switch' {
        Set-HaloSyncConfiguration -InvoiceDay 3 -CostBasis List -WhatIf
        Set-HaloProductMapping -Sku MS-VISIO-P2 -HaloItemName 'Visio Plan 2' -WhatIf
        Set-HaloOrgMapping -Organization 'Fabrikam, Inc.' -SyncEnabled no -WhatIf
        Get-CumulusCharge -Organization 'Contoso Ltd' | Set-CumulusChargeSync -SyncEnabled no -WhatIf
        Remove-HaloOrgMapping -Organization 'Contoso Ltd' -WhatIf

        (Get-HaloSyncConfiguration).InvoiceDay | Should -Be 15
        "$((Get-HaloSyncConfiguration).CostBasis)" | Should -Not -Be 'List'
        (Get-CumulusProduct -NoRefresh -Sku MS-VISIO-P2).Status | Should -Be 'Unmapped'
        (Get-HaloOrgMapping -Name 'Fabrikam, Inc.').SyncEnabled | Should -BeTrue
        (Get-HaloOrgMapping -Name 'Contoso Ltd').Status | Should -Be 'Mapped'
        @(Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object SyncEnabled -eq $false).Count | Should -Be 0
    }

    It 'leaves the state file byte for byte as it was, even when it looks up what a real run would record' {
        $before = [System.IO.File]::ReadAllBytes($state)
        $stamp = (Get-Item $state).LastWriteTimeUtc

        # -Refresh reads the HaloPSA clients again (a real run caches them); a SKU the state has not seen is looked up in Sherweb.
        Set-HaloOrgMapping -Organization 'Contoso Ltd' -HaloClientName 'Contoso Ltd' -Refresh -WhatIf
        Set-HaloProductMapping -Sku 'NOT-SEEN-SKU' -HaloItemId 1 -WhatIf -ErrorAction SilentlyContinue -ErrorVariable unknown
        Set-HaloSyncConfiguration -InvoiceDay 3 -WhatIf

        "$unknown" | Should -Match 'NOT-SEEN-SKU'
        [System.IO.File]::ReadAllBytes($state) | Should -Be $before
        (Get-Item $state).LastWriteTimeUtc | Should -Be $stamp
    }

    It 'creates no state file: a -WhatIf on a path that has none is an error naming it and saying why' -ForEach @(
        @{ Command = { param($path) Set-HaloOrgMapping -StatePath $path -Organization 'Contoso Ltd' -HaloClientName 'Contoso Ltd' -WhatIf -ErrorAction Stop } }
        @{ Command = { param($path) Remove-HaloProductMapping -StatePath $path -Sku 'MS-BP-NCE' -WhatIf -ErrorAction Stop } }
    ) {
        $missing = Join-Path $TestDrive "none-$([guid]::NewGuid().ToString('N')).db"

        { & $Command $missing } | Should -Throw -ErrorId 'StateDatabaseNotFound,*' -ExpectedMessage "*'$missing', and -WhatIf creates none*run without -WhatIf."
        Test-Path $missing | Should -BeFalse
    }

    It 'previews settings for a path that has no state file as the file it would create, and creates none (in a pwsh process)' {
        $missing = Join-Path $TestDrive "none-$([guid]::NewGuid().ToString('N')).db"

        $result = Invoke-Pwsh -Command "Import-Module '$ModuleManifest'; Set-HaloSyncConfiguration -StatePath '$missing' -InvoiceDay 3 -CostBasis List -WhatIf -ErrorAction Stop"

        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match ('What if: Performing the operation "Create the HaloSync state database and set: InvoiceDay=3, CostBasis=List" on target "' + [regex]::Escape($missing))
        Test-Path $missing | Should -BeFalse
    }

    It 'on Invoke-HaloSync returns the planned events and sends HaloPSA no write' {
        Invoke-Sim $sandbox.HaloControlUri requests -Method Delete | Out-Null

        $output = @(Invoke-HaloSync -Organization 'Contoso Ltd' -WhatIf)

        $events = @($output | Where-Object { $_ -is [HaloSync.Engine.Sync.SyncEvent] })
        $events.Count | Should -BeGreaterThan 0
        $events.OrganizationName | Where-Object { $_ } | Sort-Object -Unique | Should -Be 'Contoso Ltd'
        $output[-1].WhatIf | Should -BeTrue
        Get-HaloWrites | Should -BeNullOrEmpty
        Get-HaloSyncLog | Should -BeNullOrEmpty
    }

    It 'prints "What if:" lines naming the change and the state file (in a pwsh process)' {
        $result = Invoke-Pwsh -Command "Import-Module '$ModuleManifest'; Set-HaloSyncConfiguration -StatePath '$state' -InvoiceDay 3 -WhatIf"

        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match 'What if: Performing the operation "Set HaloSync configuration: InvoiceDay=3" on target'
        $result.Output | Should -Match ([regex]::Escape($state))
        (Get-HaloSyncConfiguration -StatePath $state).InvoiceDay | Should -Be 15
    }
}

Describe '-Confirm' {
    It 'is asked for under $ConfirmPreference = Medium (a non-interactive pwsh refuses to prompt) and -Confirm:$false goes ahead' {
        $state = New-StatePath
        Set-HaloSyncConfiguration -StatePath $state -InvoiceDay 10
        $script = @"
Import-Module '$ModuleManifest'
`$ConfirmPreference = 'Medium'
try { Set-HaloSyncConfiguration -StatePath '$state' -InvoiceDay 11 -ErrorAction Stop; 'changed without asking' } catch { 'refused: ' + `$_.FullyQualifiedErrorId }
Set-HaloSyncConfiguration -StatePath '$state' -InvoiceDay 12 -Confirm:`$false
'day: ' + (Get-HaloSyncConfiguration -StatePath '$state').InvoiceDay
"@
        $result = Invoke-Pwsh -Command $script

        $result.Output | Should -Match 'refused: .*HaloSync.Commands.SetHaloSyncConfigurationCommand'
        $result.Output | Should -Not -Match 'changed without asking'
        $result.Output | Should -Match 'day: 12'
    }

    It 'is not needed at the default $ConfirmPreference, and -Confirm:$false works on every changing cmdlet' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations

        Set-HaloProductMapping -Sku MS-VISIO-P2 -HaloItemName 'Visio Plan 2' -Confirm:$false
        Set-HaloOrgMapping -Organization 'Fabrikam, Inc.' -SyncEnabled no -Confirm:$false
        Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object Sku -eq 'MS-AZURE-PLAN' | Set-CumulusChargeSync -SyncEnabled no -Confirm:$false
        Remove-HaloProductMapping -Sku MS-VISIO-P2 -Confirm:$false
        $summary = Invoke-HaloSync -Organization 'Contoso Ltd' -Confirm:$false

        (Get-CumulusProduct -NoRefresh -Sku MS-VISIO-P2).Status | Should -Be 'Unmapped'
        (Get-HaloOrgMapping -Name 'Fabrikam, Inc.').Status | Should -Be 'Disabled'
        (Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object Sku -eq 'MS-AZURE-PLAN').SyncEnabled | Should -Not -Contain $true
        $summary.WhatIf | Should -BeFalse
        $summary.Created | Should -BeGreaterThan 0
    }
}

Describe '$ErrorActionPreference = Stop with try/catch on the error id' {
    It 'catches a refused parameter value as ParameterArgumentValidationError, with the range in the message' {
        $state = New-StatePath
        $ErrorActionPreference = 'Stop'
        $caught = $null
        try { Set-HaloSyncConfiguration -StatePath $state -InvoiceDay 32 } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,HaloSync.Commands.SetHaloSyncConfigurationCommand'
        $caught.Exception.Message | Should -Match 'from 1 to 31'
        Test-Path $state | Should -BeFalse
    }

    It 'catches a disabled sync as SyncDisabled' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
        Set-HaloSyncConfiguration -SyncEnabled $false

        Get-CaughtErrorId { Invoke-HaloSync } | Should -Be 'SyncDisabled,HaloSync.Commands.InvokeHaloSyncCommand'
    }

    It 'catches a missing connection as HaloPsaNotConnected in a runspace that never connected' {
        $state = New-StatePath
        $id = Start-ThreadJob -ScriptBlock {
            Import-Module $using:ModuleManifest
            $ErrorActionPreference = 'Stop'
            try { Get-HaloClient -StatePath $using:state } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category }
        } | Receive-Job -Wait -AutoRemoveJob

        $id[0] | Should -Be 'HaloPsaNotConnected,HaloSync.Commands.GetHaloClientCommand'
        "$($id[1])" | Should -Be 'InvalidOperation'
    }

    It 'catches a damaged state file as StateDatabaseCorrupt naming the file, and leaves the file as it was' {
        $state = New-StatePath
        Set-Content -Path $state -Value 'this is not a SQLite database' -NoNewline
        $ErrorActionPreference = 'Stop'
        $caught = $null
        try { Get-HaloSyncConfiguration -StatePath $state } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -Be 'StateDatabaseCorrupt,HaloSync.Commands.GetHaloSyncConfigurationCommand'
        $caught.Exception.Message | Should -Match ([regex]::Escape($state))
        Get-Content -Raw $state | Should -Be 'this is not a SQLite database'
    }

    It 'catches a state path that is no file path as InvalidStatePath, naming where it came from' {
        $ErrorActionPreference = 'Stop'
        $caught = $null
        try { Set-HaloSyncConfiguration -StatePath "halo`0sync.db" -InvoiceDay 3 } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -Be 'InvalidStatePath,HaloSync.Commands.SetHaloSyncConfigurationCommand'
        "$($caught.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $caught.Exception.Message | Should -Match 'given by -StatePath is not a valid file path'
    }

    It 'reports each failed event of a sync as an error naming its organization, product and HaloPSA client, with the event as target' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        Invoke-HaloAutoMapping | Out-Null
        Invoke-Sim $sandbox.HaloControlUri faults -Method Post -Body @{ kind = 'Status'; statusCode = 400; body = '{"error":"Simulated refusal"}'; pathContains = '/api/RecurringInvoice'; method = 'POST'; times = 1000 } | Out-Null
        try {
            $summary = Invoke-HaloSync -ErrorVariable failures -ErrorAction SilentlyContinue
        }
        finally {
            Invoke-Sim $sandbox.HaloControlUri faults -Method Delete | Out-Null
        }

        $summary.Failed | Should -BeGreaterThan 0
        $failures.Count | Should -Be $summary.Failed
        $first = $failures[0]
        $first.FullyQualifiedErrorId | Should -Be 'HttpBadRequest,HaloSync.Commands.InvokeHaloSyncCommand'
        $first.TargetObject | Should -BeOfType ([HaloSync.Engine.Sync.SyncEvent])
        $logged = Get-HaloSyncLog -Status Failed | Where-Object EventId -eq $first.TargetObject.EventId
        $subject = '{0}, {1} ({2}) on HaloPSA client {3}, {4} ' -f $logged.OrganizationName, $logged.ProductName, $logged.Sku, $logged.HaloClientId, $logged.Kind
        "$first" | Should -BeLike "$([WildcardPattern]::Escape($subject))*: HaloPSA rejected the request*Simulated refusal*"
        $first.Exception.Message | Should -BeLike 'HaloPSA rejected the request*'
    }

    It 'turns a bad spreadsheet row into a catchable error with -ErrorAction Stop, naming the row and keeping its id' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
        $rows = ConvertFrom-Csv @('Cumulus SKU,Halo Item', 'MS-VISIO-P2,Visio Plan 2', 'NOT-A-SKU,Visio Plan 2')
        $caught = $null
        try { $rows | Set-HaloProductMapping -ErrorAction Stop } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -Be 'ProductNotFound,HaloSync.Commands.SetHaloProductMappingCommand'
        $caught.Exception.Message | Should -BeLike 'Row 2: *NOT-A-SKU*'
        $caught.TargetObject | Should -Be 'NOT-A-SKU'
        (Get-HaloProductMapping -Sku MS-VISIO-P2).Status | Should -Be 'Mapped'
    }

    It 'leaves non-terminating row errors to -ErrorVariable when the preference is Continue' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state
        $rows = ConvertFrom-Csv @('Cumulus SKU,Halo Item Id', 'MS-VISIO-P2,#3010', 'MS-TEAMS-ESS,0x10')

        $rows | Set-HaloProductMapping -ErrorAction SilentlyContinue -ErrorVariable rowErrors

        $rowErrors.FullyQualifiedErrorId | Should -Be @('InvalidId,HaloSync.Commands.SetHaloProductMappingCommand', 'InvalidId,HaloSync.Commands.SetHaloProductMappingCommand')
        $rowErrors[0].Exception.Message | Should -BeLike "Row 1: *'#3010'*"
        $rowErrors[1].Exception.Message | Should -BeLike "Row 2: *'0x10'*"
    }
}
