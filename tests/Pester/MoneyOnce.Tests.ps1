# Issue 9 as admins and runbooks meet it in pwsh: a sync killed with kill -9 does not stall the next scheduled run,
# which finishes its work with each change billed once; hand edits and re-maps are reported as warnings; removing a
# mapping says what stays; a lost state file set up with the first mappings ends what stayed active on the client an
# organization had moved to; a state file HaloSync refuses is left byte for byte as it was.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox

    function Get-HaloState { Invoke-Sim $sandbox.HaloControlUri state }

    function Invoke-HaloApi([string] $Method, [string] $Path, $Body) {
        # An admin's own API call (a "hand edit"), with a token of the sandbox's API application.
        $form = @{ grant_type = 'client_credentials'; client_id = $sandbox.HaloCredential.UserName; client_secret = $sandbox.HaloCredential.GetNetworkCredential().Password; scope = 'all' }
        $token = (Invoke-RestMethod -Method Post -Uri ($sandbox.HaloSite.TrimEnd('/') + '/auth/token') -Body $form).access_token
        $parameters = @{ Method = $Method; Uri = $sandbox.HaloSite.TrimEnd('/') + $Path; Headers = @{ Authorization = "Bearer $token" } }
        if ($Body) { $parameters.Body = ConvertTo-Json -InputObject @($Body) -Depth 10; $parameters.ContentType = 'application/json' }
        Invoke-RestMethod @parameters
    }

    function Get-ContosoPremium {
        # Contoso's Business Premium subscription as Cumulus lists it (its id is in the charge key 'sub-<id>').
        $charge = Get-CumulusCharge -Organization 'Contoso Ltd' | Where-Object { $_.Sku -eq 'MS-BP-NCE' -and $_.Kind -eq 'Subscription' }
        [pscustomobject]@{ Id = $charge.ChargeKey.Substring(4); Quantity = [int]$charge.Quantity; Key = "halosync:$($charge.ChargeKey)" }
    }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'A sync killed mid-way (kill -9 of pwsh)' {
    It 'does not block the next run, which finishes its work without a duplicate and bills a later change once' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        # The recurring-invoice save hangs (the licences are saved first), so the run is killed between the two writes.
        Invoke-Sim $sandbox.HaloControlUri faults -Method Post -Body @{ kind = 'SlowResponse'; delay = '00:01:00'; method = 'POST'; pathContains = '/api/RecurringInvoice' } | Out-Null
        $script = "Import-Module '$ModuleManifest'; Connect-HaloPsa -Site '$($sandbox.HaloSite)' -Credential ([pscredential]::new('$($sandbox.HaloCredential.UserName)', (ConvertTo-SecureString '$($sandbox.HaloCredential.GetNetworkCredential().Password)' -AsPlainText -Force))) -StatePath '$state';" +
            " Connect-Cumulus -ApiBaseUri '$($sandbox.SherwebUri)' -Credential ([pscredential]::new('$($sandbox.SherwebCredential.UserName)', (ConvertTo-SecureString '$($sandbox.SherwebCredential.GetNetworkCredential().Password)' -AsPlainText -Force))) -SubscriptionKey (ConvertTo-SecureString '$([System.Net.NetworkCredential]::new('', $sandbox.SubscriptionKey).Password)' -AsPlainText -Force);" +
            " Invoke-HaloSync"
        $killed = Start-Pwsh -Command $script
        $deadline = [datetime]::UtcNow.AddSeconds(90)
        while (-not (Invoke-Sim $sandbox.HaloControlUri requests | Where-Object { $_.method -eq 'POST' -and $_.path -eq '/api/RecurringInvoice' }) -and [datetime]::UtcNow -lt $deadline) {
            Start-Sleep -Milliseconds 100
        }
        $killed.Process.Kill() # SIGKILL: no finally block, no lease release, no run record
        $killed.Process.WaitForExit()
        Invoke-Sim $sandbox.HaloControlUri faults -Method Delete | Out-Null
        $premium = Get-ContosoPremium
        @((Get-HaloState).licences | Where-Object snowid -eq $premium.Key).Count | Should -Be 1
        @(Get-HaloSyncLog -StatePath $state -Status Pending).Count | Should -BeGreaterThan 0

        # Cumulus changes before the next scheduled run: Contoso takes two more seats today.
        Invoke-Sim $sandbox.SherwebControlUri "subscriptions/$($premium.Id)/quantity" -Method Post -Body @{ quantity = $premium.Quantity + 2 } | Out-Null
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $summary = Invoke-HaloSync -StatePath $state -ErrorAction Stop
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 60

        $summary.Failed | Should -Be 0
        @(Get-HaloSyncLog -StatePath $state -Status Pending).Count | Should -Be 0
        @(Get-HaloSyncLog -StatePath $state -Status Failed).Count | Should -Be 0
        $halo = Get-HaloState
        $licences = @($halo.licences | Where-Object snowid -eq $premium.Key)
        $licences.Count | Should -Be 1
        $licences[0].count | Should -Be ($premium.Quantity + 2)
        $keys = @($halo.licences | Where-Object { $_.snowid -like 'halosync:*' } | ForEach-Object snowid)
        @($keys | Select-Object -Unique).Count | Should -Be $keys.Count
        $contosoClient = ($halo.clients | Where-Object name -eq 'Contoso Ltd').id
        $invoices = @($halo.invoices | Where-Object { $_.client_id -eq $contosoClient -and $_.reference -eq 'HaloSync' })
        $invoices.Count | Should -Be 1
        $line = @($invoices[0].lines | Where-Object { $_.item_longdescription -like "*[[]$($premium.Key)]*" })
        $line.Count | Should -Be 1
        $line[0].qty_order | Should -Be ($premium.Quantity + 2)
        # The dead run's events were first-sync creations (no pro-rata); today's +2 is one pro-rata entry.
        @($line[0].prorata_data).Count | Should -Be 1
        $line[0].prorata_data[0].quantity | Should -Be 2
    }
}

Describe 'What Invoke-HaloSync and Remove-HaloOrgMapping report' {
    BeforeAll {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        Invoke-HaloSync -StatePath $state -ErrorAction Stop | Out-Null
    }

    It 'warns when it sets back a hand edit in HaloPSA, and says what was changed' {
        $premium = Get-ContosoPremium
        $licence = (Get-HaloState).licences | Where-Object snowid -eq $premium.Key
        Invoke-HaloApi Post '/api/SoftwareLicence' @{ id = $licence.id; count = 99 } | Out-Null

        $summary = Invoke-HaloSync -StatePath $state -WarningVariable warnings -WarningAction SilentlyContinue

        $summary.DriftReverted | Should -Be 1
        $setBack = @($warnings | Where-Object { "$_" -like 'Set back a hand edit*' })
        $setBack | Should -HaveCount 1
        "$($setBack[0])" | Should -Match '^Set back a hand edit in HaloPSA: Contoso Ltd, Microsoft 365 Business Premium'
        "$($setBack[0])" | Should -Match 'subscription count 99 \(should be \d+\)'
        ((Get-HaloState).licences | Where-Object snowid -eq $premium.Key).count | Should -Be $premium.Quantity
        (Get-HaloSyncLog -StatePath $state | Where-Object Kind -eq 'RevertDrift').Status | Should -Be 'Success'
    }

    It 'warns when an organization moves to another client, and ends its records on the old one' {
        Invoke-HaloApi Post '/api/Client' @{ name = 'Contoso Holdings' } | Out-Null
        Get-HaloClient -StatePath $state | Out-Null
        Set-HaloOrgMapping -StatePath $state -Organization 'Contoso Ltd' -HaloClientName 'Contoso Holdings'

        $summary = Invoke-HaloSync -StatePath $state -WarningVariable warnings -WarningAction SilentlyContinue

        $summary.EndedOnOldClient | Should -BeGreaterThan 0
        $summary.Created | Should -Be $summary.EndedOnOldClient
        @($warnings | Where-Object { "$_" -like 'Ended on its old client: Contoso Ltd*' }).Count | Should -Be $summary.EndedOnOldClient
        $premium = Get-ContosoPremium
        $halo = Get-HaloState
        $old = $halo.licences | Where-Object { $_.snowid -eq $premium.Key -and $_.client_name -eq 'Contoso Ltd' }
        $new = $halo.licences | Where-Object { $_.snowid -eq $premium.Key -and $_.client_name -eq 'Contoso Holdings' }
        $old.is_active | Should -BeFalse
        $new.is_active | Should -BeTrue
    }

    It 'says, when a mapping is removed, that HaloSync''s records stay in HaloPSA as they are' {
        Remove-HaloOrgMapping -StatePath $state -Organization 'Fabrikam, Inc.' -WarningVariable warnings -WarningAction SilentlyContinue

        "$warnings" | Should -Match "^Fabrikam, Inc\.: HaloSync's \d+ subscription\(s\) and their recurring-invoice lines on HaloPSA client 'Fabrikam, Inc\.' stay as they are"
    }

    It 'keeps the first-sync date of a removed mapping for a mapping back to the same client, and clears it for another client' {
        $synced = (Get-HaloOrgMapping -StatePath $state -Organization 'Northwind Traders').FirstSyncedOn
        $synced | Should -Not -BeNullOrEmpty
        Remove-HaloOrgMapping -StatePath $state -Organization 'Northwind Traders' -WarningAction SilentlyContinue
        Set-HaloOrgMapping -StatePath $state -Organization 'Northwind Traders' -HaloClientName 'Northwind Traders'
        (Get-HaloOrgMapping -StatePath $state -Organization 'Northwind Traders').FirstSyncedOn | Should -Be $synced

        Remove-HaloOrgMapping -StatePath $state -Organization 'Northwind Traders' -WarningAction SilentlyContinue
        Set-HaloOrgMapping -StatePath $state -Organization 'Northwind Traders' -HaloClientName 'Contoso Holdings' -WarningAction SilentlyContinue
        (Get-HaloOrgMapping -StatePath $state -Organization 'Northwind Traders').FirstSyncedOn | Should -BeNullOrEmpty
    }
}

Describe 'A lost state file set up again from the first mapping spreadsheet' {
    It 'ends what HaloSync left active on the client the organization had moved to, with a warning, and bills each subscription once' {
        $before = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $before -MapOrganizations
        if (-not (Get-HaloClient -StatePath $before | Where-Object Name -eq 'Contoso Holdings')) {
            Invoke-HaloApi Post '/api/Client' @{ name = 'Contoso Holdings' } | Out-Null
            Get-HaloClient -StatePath $before | Out-Null
        }
        Set-HaloOrgMapping -StatePath $before -Organization 'Contoso Ltd' -HaloClientName 'Contoso Holdings'
        Invoke-HaloSync -StatePath $before -ErrorAction Stop -WarningAction SilentlyContinue | Out-Null
        $premium = Get-ContosoPremium
        ((Get-HaloState).licences | Where-Object { $_.snowid -eq $premium.Key -and $_.is_active }).client_name | Should -Be 'Contoso Holdings'

        # The disk is lost; the admin sets HaloSync up again with the spreadsheet of the first day (Contoso on Contoso Ltd).
        $after = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $after -MapOrganizations
        $summary = Invoke-HaloSync -StatePath $after -WarningVariable warnings -WarningAction SilentlyContinue

        $summary.Failed | Should -Be 0
        $summary.EndedOnOldClient | Should -BeGreaterThan 0
        $ended = @($warnings | Where-Object { "$_" -like 'Ended on its old client: Contoso Ltd*' })
        $ended.Count | Should -Be $summary.EndedOnOldClient
        "$($ended[0])" | Should -Match "which this state file did not know \(found active by their key\)"
        $active = @((Get-HaloState).licences | Where-Object { $_.snowid -like 'halosync:*' -and $_.is_active })
        @($active | Group-Object snowid | Where-Object Count -gt 1) | Should -HaveCount 0
        ($active | Where-Object snowid -eq $premium.Key).client_name | Should -Be 'Contoso Ltd'
        $again = Invoke-HaloSync -StatePath $after -ErrorAction Stop -WarningAction SilentlyContinue
        $again.EndedOnOldClient + $again.Created + $again.Adopted | Should -Be 0
    }
}

Describe 'A state file HaloSync refuses' {
    It 'is left byte for byte as it was by Connect-HaloPsa: <Name>' -ForEach @(
        @{ Name = 'damaged'; Make = { param($path) [System.IO.File]::WriteAllBytes($path, [byte[]](1..4096 | ForEach-Object { $_ % 251 })) }; ErrorId = 'StateDatabaseCorrupt' }
        @{ Name = 'another application''s'; Make = { param($path) Set-HaloSyncConfiguration -StatePath $path -InvoiceDay 3; $c = [Microsoft.Data.Sqlite.SqliteConnection]::new("Data Source=$path;Pooling=False"); $c.Open(); $q = $c.CreateCommand(); $q.CommandText = 'PRAGMA application_id = 7;'; $null = $q.ExecuteNonQuery(); $c.Dispose() }; ErrorId = 'StateDatabaseForeign' }
    ) {
        $path = New-StatePath
        & $Make $path
        $before = [System.IO.File]::ReadAllBytes($path)

        { Connect-HaloPsa -Site $sandbox.HaloSite -Credential $sandbox.HaloCredential -StatePath $path -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,HaloSync.Commands.ConnectHaloPsaCommand"

        [System.IO.File]::ReadAllBytes($path) | Should -Be $before
    }
}

Describe 'Set-HaloSyncConfiguration -HandEditCheckHours' {
    It 'makes the runs between two checks read back nothing when nothing changed, and notices a hand edit at the next check' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        Set-HaloSyncConfiguration -StatePath $state -HandEditCheckHours 24
        (Get-HaloSyncConfiguration -StatePath $state).HandEditCheckHours | Should -Be 24
        Invoke-HaloSync -StatePath $state -ErrorAction Stop | Out-Null
        $premium = Get-ContosoPremium
        $licence = (Get-HaloState).licences | Where-Object { $_.snowid -eq $premium.Key -and $_.client_name -eq 'Contoso Ltd' }
        Invoke-HaloApi Post '/api/SoftwareLicence' @{ id = $licence.id; count = 77 } | Out-Null
        Invoke-Sim $sandbox.HaloControlUri requests -Method Delete | Out-Null

        $between = Invoke-HaloSync -StatePath $state -ErrorAction Stop

        $between.DriftReverted | Should -Be 0
        @(Invoke-Sim $sandbox.HaloControlUri requests | Where-Object { $_.method -eq 'GET' -and $_.path -in '/api/SoftwareLicence', '/api/RecurringInvoice' }).Count | Should -Be 0
        Set-HaloSyncConfiguration -StatePath $state -HandEditCheckHours 0
        (Invoke-HaloSync -StatePath $state -ErrorAction Stop -WarningAction SilentlyContinue).DriftReverted | Should -BeGreaterThan 0
        ((Get-HaloState).licences | Where-Object id -eq $licence.id).count | Should -Be $premium.Quantity
    }

    It 'refuses more than a week' {
        { Set-HaloSyncConfiguration -StatePath (New-StatePath) -HandEditCheckHours 169 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,HaloSync.Commands.SetHaloSyncConfigurationCommand'
    }
}

# Last in the file: it takes a customer out of the sandbox's Sherweb.
Describe 'A mapped organization Sherweb no longer lists' {
    It 'is left as it is, with a warning that names it, its client and what to do' {
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        Invoke-HaloSync -StatePath $state -ErrorAction Stop | Out-Null
        $fabrikam = Get-CumulusOrganization | Where-Object Name -eq 'Fabrikam, Inc.'
        $licences = @((Get-HaloState).licences | Where-Object { $_.client_name -eq 'Fabrikam, Inc.' -and $_.is_active })
        $licences.Count | Should -BeGreaterThan 0
        Invoke-Sim $sandbox.SherwebControlUri "customers/$($fabrikam.OrganizationId)" -Method Delete | Out-Null

        $summary = Invoke-HaloSync -StatePath $state -WarningVariable warnings -WarningAction SilentlyContinue

        $summary.Failed | Should -Be 0
        $summary.Cancelled | Should -Be 0
        $gone = @($warnings | Where-Object { "$_" -like 'Fabrikam, Inc. *' })
        $gone | Should -HaveCount 1
        "$($gone[0])" | Should -Match "^Fabrikam, Inc\. \($($fabrikam.OrganizationId)\): mapped to HaloPSA client \d+, but Sherweb no longer lists this customer\. Its HaloPSA subscriptions and lines were left as they are \(still billing\)"
        $summary.Warnings | Should -Be @("$($gone[0])")
        @((Get-HaloState).licences | Where-Object { $_.client_name -eq 'Fabrikam, Inc.' -and $_.is_active }).Count | Should -Be $licences.Count
    }
}
