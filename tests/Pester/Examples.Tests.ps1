# The examples an MSP starts from, each run to the end in a fresh non-interactive pwsh against the sandbox:
# examples/quickstart.ps1, examples/runbook-scheduled-sync.ps1 and examples/migrate-one-customer.ps1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $examples = Join-Path $RepoRoot 'examples'
    $secrets = 'demo-sherweb-secret-not-real|halosync-sim-secret|demo-subscription-key-not-real'
}

Describe 'examples/quickstart.ps1' {
    It 'connects, maps products automatically and organizations from the CSV, previews, syncs and reads the log' {
        $state = New-StatePath
        $result = Invoke-Pwsh -File (Join-Path $examples 'quickstart.ps1') -Arguments '-StatePath', $state -TimeoutSeconds 300 `
            -Environment @{ HALOSYNC_SANDBOX_HALO_SITE = '' }

        $result.ExitCode | Should -Be 0 -Because "$($result.Error)`n$($result.Output)"
        $result.Error | Should -BeNullOrEmpty
        $text = $result.Output
        $text | Should -Match 'Automatic mapping: 8 mapped, 1 need a choice\.'
        $text | Should -Match 'Organizations mapped from organization-mappings\.csv: 6; rows with errors: 0\.'
        $text | Should -Match 'Tailspin Toys\s+Disabled'
        $text | Should -Match 'Preview: [1-9]\d* events planned\.'
        $text | Should -Match 'Synced: [1-9]\d* created, 0 failed\. Second run: 0 changes\.'
        $text | Should -Match 'Failed events: 0\.'
        $text | Should -Not -Match $secrets
        # Five organizations synced (Tailspin Toys is mapped with sync off).
        @(Get-HaloSyncLog -StatePath $state | Where-Object Status -eq 'Success' | Select-Object -ExpandProperty OrganizationName -Unique | Where-Object { $_ }).Count | Should -Be 5
    }
}

Describe 'examples/runbook-scheduled-sync.ps1' {
    BeforeAll {
        $sandbox = Start-HaloSyncSandbox
        $state = New-StatePath
        Initialize-DemoState -Sandbox $sandbox -StatePath $state -MapOrganizations
        $runbook = Join-Path $examples 'runbook-scheduled-sync.ps1'
        $arguments = "-HaloSite '$($sandbox.HaloSite)' -SherwebApiBaseUri '$($sandbox.SherwebUri)' -StatePath '$state' -Module '$ModuleManifest'"
        # Azure Automation provides Get-AutomationPSCredential; SecretManagement provides Get-Secret. Each stands in
        # here for the real one, serving the sandbox's credentials under the runbook's default names.
        $automation = @'
function Get-AutomationPSCredential { param([string] $Name)
    $pairs = @{
        'HaloSync HaloPSA' = $env:HALOSYNC_SANDBOX_HALO_CLIENT_ID, $env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET
        'HaloSync Sherweb' = $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID, $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET
        'HaloSync Sherweb subscription key' = 'subscription key', $env:HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY
    }
    $user, $secret = $pairs[$Name]
    [pscredential]::new($user, (ConvertTo-SecureString $secret -AsPlainText -Force))
}
'@
        $secretManagement = @'
function Get-Secret { param([string] $Name)
    switch ($Name) {
        'HaloSync HaloPSA' { [pscredential]::new($env:HALOSYNC_SANDBOX_HALO_CLIENT_ID, (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_HALO_CLIENT_SECRET -AsPlainText -Force)) }
        'HaloSync Sherweb' { [pscredential]::new($env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_ID, (ConvertTo-SecureString $env:HALOSYNC_SANDBOX_SHERWEB_CLIENT_SECRET -AsPlainText -Force)) }
        'HaloSync Sherweb subscription key' { ConvertTo-SecureString $env:HALOSYNC_SANDBOX_SHERWEB_SUBSCRIPTION_KEY -AsPlainText -Force }
    }
}
'@
        function Invoke-Runbook([string] $Store) {
            Invoke-Pwsh -TimeoutSeconds 300 -Command "$Store`n& '$runbook' $arguments`nexit `$LASTEXITCODE"
        }
        function Get-LastLine($Result) { @($Result.Output -split '\r?\n' | Where-Object { $_.Trim() })[-1] }
    }

    AfterAll {
        Stop-HaloSyncSandbox -Sandbox $sandbox
    }

    It 'exits 1 with one FAILED line when HaloPSA refuses writes, and never prompts' {
        Invoke-Sim $sandbox.HaloControlUri faults -Method Post -Body @{ kind = 'Status'; statusCode = 400; body = '{"error":"Simulated refusal"}'; pathContains = '/api/RecurringInvoice'; method = 'POST'; times = 1000 } | Out-Null
        try {
            $result = Invoke-Runbook $automation
        }
        finally {
            Invoke-Sim $sandbox.HaloControlUri faults -Method Delete | Out-Null
        }

        $result.ExitCode | Should -Be 1 -Because "$($result.Error)`n$($result.Output)"
        Get-LastLine $result | Should -Match '^HaloSync FAILED: [1-9]\d* event\(s\) failed \(.+Simulated refusal.*\); 27 organizations, .* run \d{8}-\d{6}-\w{6}$'
        Get-LastLine $result | Should -Match 'event\(s\) failed \([^;]+ on HaloPSA client \d+, \w+ \d+ -> \d+: HaloPSA rejected'
        $result.Output | Should -Not -Match $secrets
    }

    It 'with Get-AutomationPSCredential retries what failed, exits 0 and prints one OK line' {
        $result = Invoke-Runbook $automation

        $result.ExitCode | Should -Be 0 -Because "$($result.Error)`n$($result.Output)"
        $result.Error | Should -BeNullOrEmpty
        Get-LastLine $result | Should -Match '^HaloSync OK: 27 organizations, \d+ created, \d+ updated, 0 cancelled, 0 pro-rata, \d+ charges, 0 failed, \d+ HaloPSA requests, run \d{8}-\d{6}-\w{6}$'
        @(Get-HaloSyncLog -StatePath $state -Status Failed).Count | Should -Be 0
    }

    It 'with SecretManagement''s Get-Secret syncs again and finds nothing to change' {
        $result = Invoke-Runbook $secretManagement

        $result.ExitCode | Should -Be 0 -Because "$($result.Error)`n$($result.Output)"
        Get-LastLine $result | Should -Match '^HaloSync OK: 27 organizations, 0 created, 0 updated, 0 cancelled, 0 pro-rata, 0 charges, 0 failed'
    }

    It 'without a credential store exits 2 with one line that says what to set up' {
        $result = Invoke-Runbook ''

        $result.ExitCode | Should -Be 2
        Get-LastLine $result | Should -Match '^HaloSync FAILED: No credential store: neither Get-AutomationPSCredential .* nor Get-Secret .* is available\.'
    }

    It 'exits 2 with the error id when the sync cannot run' {
        Set-HaloSyncConfiguration -StatePath $state -SyncEnabled $false
        try {
            $result = Invoke-Runbook $automation
        }
        finally {
            Set-HaloSyncConfiguration -StatePath $state -SyncEnabled $true
        }

        $result.ExitCode | Should -Be 2
        Get-LastLine $result | Should -Match '^HaloSync FAILED: SyncDisabled: Sync is turned off'
    }
}

Describe 'examples/migrate-one-customer.ps1' {
    It 'syncs Adventure Works next to its legacy records, compares them and cuts over once; a second cutover does nothing' {
        $result = Invoke-Pwsh -File (Join-Path $examples 'migrate-one-customer.ps1') -Arguments '-Force', '-StatePath', (New-StatePath) -TimeoutSeconds 300 `
            -Environment @{ HALOSYNC_SANDBOX_HALO_SITE = '' }

        $result.ExitCode | Should -Be 0 -Because "$($result.Error)`n$($result.Output)"
        $text = $result.Output
        $text | Should -Match 'Before the first sync: 6 legacy record\(s\), billing 2219\.00 per period\.'
        $text | Should -Match 'Synced Adventure Works: 3 subscription\(s\) created, 0 failed\.'
        $text | Should -Match 'QuantityDifferent\s+6\s+7\s+27\.50\s+27\.50'
        $text | Should -Match 'MonthlyChange\s+: 138\.50'
        $text | Should -Match 'What if: Performing the operation "Cut over from the legacy integration: deactivate 3 legacy subscription\(s\), end 1 legacy recurring invoice\(s\)'
        $text | Should -Match 'Cutover: CutOver; 3 legacy subscription\(s\) deactivated, 1 legacy recurring invoice\(s\) ended\.'
        $text | Should -Match 'Adventure Works\s+\d+ \d{4}-\d{2}-\d{2}\s+2219\.00\s+2357\.50'
        $text | Should -Match 'Kind\s+: EndLegacyInvoice'
        $text | Should -Match 'Second cutover: AlreadyMigrated, migrated on \d{4}-\d{2}-\d{2}\.'
    }

    It 'stops for Woodgrove Bank with the refusal and the line that is not covered, exit code 1' {
        $result = Invoke-Pwsh -File (Join-Path $examples 'migrate-one-customer.ps1') -Arguments '-Organization', 'Woodgrove Bank', '-StatePath', (New-StatePath) `
            -TimeoutSeconds 300 -Environment @{ HALOSYNC_SANDBOX_HALO_SITE = '' }

        $result.ExitCode | Should -Be 1 -Because "$($result.Error)`n$($result.Output)"
        $result.Output | Should -Match "Cutover refused \(MigrationNotCovered\): .*'Acronis Cyber Protect' \(9 x 10\.00\)"
        $result.Output | Should -Match 'Not covered:'
        $result.Output | Should -Match 'Acronis Cyber Protect\s+-?\d+'
    }
}

# Windows PowerShell 5.1 cannot run here: the examples keep to what it parses and runs, by construction.
Describe 'The examples, as Windows PowerShell 5.1 reads them' {
    It '<Name> uses no PowerShell 7 operator, no $PSScriptRoot in a parameter default and no .NET Core-only member' -ForEach @(
        Get-ChildItem (Join-Path $PSScriptRoot '../../examples') -Filter '*.ps1' | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } }
    ) {
        $tokens = $null
        $parseErrors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $parseErrors)
        $parseErrors | Should -BeNullOrEmpty

        $sevenOnly = @($ast.FindAll({ param($node)
                    $node -is [System.Management.Automation.Language.TernaryExpressionAst] -or $node -is [System.Management.Automation.Language.PipelineChainAst] }, $true)) +
            @($tokens | Where-Object { "$($_.Kind)" -in 'QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket', 'AndAnd', 'OrOr' })
        $sevenOnly | Should -BeNullOrEmpty -Because 'Windows PowerShell 5.1 does not parse ?:, ??, ?. or && and ||'
        # 5.1 leaves $PSScriptRoot empty while a [CmdletBinding()] script's parameter defaults are evaluated.
        @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.ParameterAst] -and $node.DefaultValue -and $node.DefaultValue.Extent.Text -match 'PSScriptRoot' }, $true)) |
            Should -BeNullOrEmpty
        (Get-Content -Raw -LiteralPath $Path) | Should -Not -Match '\.ArgumentList\.Add\(|\.Kill\(\$true\)' -Because '.NET Framework has neither'
    }
}
