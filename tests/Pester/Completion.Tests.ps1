# Tab completion through TabExpansion2, as in a pwsh prompt: the argument completers read the local state file
# (the -StatePath typed on the line, else the session's) and never the network.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $sandbox = Start-HaloSyncSandbox
    $state = New-StatePath
    Initialize-DemoState -Sandbox $sandbox -StatePath $state

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches)
    }
}

AfterAll {
    Stop-HaloSyncSandbox
}

Describe 'TabExpansion2 on HaloSync parameters' {
    It 'completes organization names, quoting those with commas or spaces' {
        $matches = Get-Completion 'Set-HaloOrgMapping -Organization Fab'
        $matches.CompletionText | Should -Be @("'Fabrikam, Inc.'")
        $matches[0].ListItemText | Should -Be 'Fabrikam, Inc.'
        $matches[0].ToolTip | Should -Match '5a1d0000-0000-4000-8000-000000000002'
        (Get-Completion "Get-HaloSyncLog -Organization 'Marg").CompletionText | Should -Be @("'Margie''s Travel'")
        (Get-Completion 'Set-CumulusChargeSync -Organization Rele').CompletionText | Should -Be @('Relecloud')
    }

    It 'completes SKUs and product names for the product cmdlets' {
        (Get-Completion 'Set-HaloProductMapping -Sku MS-B').CompletionText | Should -Be @('MS-BB-NCE', 'MS-BP-NCE', 'MS-BS-NCE')
        (Get-Completion 'Set-HaloProductMapping -Sku ms-e').CompletionText | Should -Be @('MS-E3-NCE', 'MS-EXO-P1')
        (Get-Completion 'Get-CumulusProduct -Name Visio').CompletionText | Should -Be @("'Visio Plan 2'")
    }

    It 'completes HaloPSA item and client names from the catalogue HaloSync last read' {
        (Get-Completion 'Set-HaloProductMapping -Sku MS-VISIO-P2 -HaloItemName Vis').CompletionText | Should -Be @("'Visio Plan 2'")
        (Get-Completion 'Set-HaloOrgMapping -Organization x -HaloClientName Cont').CompletionText | Should -Be @("'Contoso Ltd'")
    }

    It 'completes time zones' {
        (Get-Completion 'Set-HaloSyncConfiguration -TimeZone America/Toron').CompletionText | Should -Contain "'America/Toronto'"
    }

    It 'completes Windows time zone names too, and IANA ids by their city, each accepted by -TimeZone' {
        (Get-Completion 'Set-HaloSyncConfiguration -TimeZone Eastern').CompletionText | Should -Contain "'Eastern Standard Time'"
        (Get-Completion "Set-HaloSyncConfiguration -TimeZone 'W. Europe").CompletionText | Should -Contain "'W. Europe Standard Time'"
        (Get-Completion 'Set-HaloSyncConfiguration -TimeZone Toronto').CompletionText | Should -Contain "'America/Toronto'"
        $other = New-StatePath
        Set-HaloSyncConfiguration -StatePath $other -TimeZone 'Eastern Standard Time' -ErrorAction Stop
        (Get-HaloSyncConfiguration -StatePath $other).TimeZone | Should -Be 'Eastern Standard Time'
    }

    It 'reads the state file named by -StatePath on the command line, and completes nothing from a missing one' {
        $other = New-StatePath
        Set-HaloSyncConfiguration -StatePath $other -InvoiceDay 3
        Get-Completion "Get-HaloSyncLog -StatePath '$other' -Organization Fab" | Should -BeNullOrEmpty
        Get-Completion "Get-HaloSyncLog -StatePath '$(Join-Path $TestDrive 'none.db')' -Organization Fab" | Should -BeNullOrEmpty
        Test-Path (Join-Path $TestDrive 'none.db') | Should -BeFalse
        (Get-Completion "Get-HaloSyncLog -StatePath '$state' -Organization Fab").CompletionText | Should -Be @("'Fabrikam, Inc.'")
    }

    It 'reads a relative -StatePath from the current location, as the cmdlet does (not from the process''s folder)' {
        Push-Location (Split-Path $state)
        try {
            $relative = './' + (Split-Path -Leaf $state)
            [System.IO.Directory]::GetCurrentDirectory() | Should -Not -Be (Split-Path $state)
            (Get-HaloSyncConfiguration -StatePath $relative).StatePath | Should -Be $state
            (Get-Completion "Get-HaloSyncLog -StatePath $relative -Organization Fab").CompletionText | Should -Be @("'Fabrikam, Inc.'")
        }
        finally {
            Pop-Location
        }
    }

    It 'sends no request to HaloPSA or Sherweb' {
        Invoke-Sim $sandbox.HaloControlUri requests -Method Delete | Out-Null
        Invoke-Sim $sandbox.SherwebControlUri requests -Method Delete | Out-Null

        (Get-Completion 'Set-HaloOrgMapping -Organization x -HaloClientName Cont').Count | Should -Be 1
        (Get-Completion 'Set-HaloProductMapping -Sku MS-B').Count | Should -Be 3

        @(Invoke-Sim $sandbox.HaloControlUri requests).Count | Should -Be 0
        @(Invoke-Sim $sandbox.SherwebControlUri requests).Count | Should -Be 0
    }
}
