# The README's tour runs as written: its ```powershell blocks, in order, in a fresh pwsh from the repository root,
# against the sandbox the tour starts itself. Any error it did not expect stops the run and fails the test.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
    $tour = [regex]::Match($readme, '(?ms)^## A short tour\s*$(.*?)(?=^## )').Groups[1].Value
    $blocks = @([regex]::Matches($tour, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value })
}

Describe 'README: A short tour' {
    It 'has powershell blocks, and the SecretManagement lines use Get-Secret as it is' {
        $blocks.Count | Should -BeGreaterOrEqual 2
        $tour | Should -Not -Match 'AsSecureString'
        $tour | Should -Match 'Connect-Cumulus -Credential \(Get-Secret \w+\) -SubscriptionKey \(Get-Secret \w+\)'
        # Get-Secret really has no -AsSecureString: SecretManagement is not installed here, so the check is on its documented syntax.
        $tour | Should -Match '-ApiBaseUri \$sandbox.SherwebUri'
    }

    It 'runs as written against the sandbox, with no unexpected error' {
        $script = Join-Path $TestDrive 'tour.ps1'
        # Stop on any error, even a non-terminating one: the tour handles the ones it shows on purpose.
        Set-Content -Path $script -Value (@('$ErrorActionPreference = ''Stop''') + $blocks)
        $temp = Join-Path $TestDrive 'tour-temp'
        New-Item -ItemType Directory $temp | Out-Null

        $result = Invoke-Pwsh -File $script -TimeoutSeconds 300 -Environment @{ TMPDIR = $temp; HALOSYNC_SANDBOX_HALO_SITE = '' }

        $result.ExitCode | Should -Be 0 -Because "$($result.Error)`n$($result.Output)"
        $result.Error | Should -BeNullOrEmpty
        $text = $result.Output
        $text | Should -Match 'The invoice day 32 is not valid'
        $text | Should -Match 'What if: Performing the operation "Set HaloSync configuration: CostBasis=List"'
        $text | Should -Match "Row 3: No HaloPSA item has the id or name 'Acronis Cyber Protect'"
        $text | Should -Match 'What if: Performing the operation "Sync Cumulus into HaloPSA"'
        $text | Should -Match '(?m)^EventId +: \d+'
        $text | Should -Not -Match 'halosync-sim-secret|demo-sherweb-secret-not-real|demo-subscription-key-not-real'
        # The tour used a throw-away state file in the temp folder and synced Contoso into it.
        $state = @(Get-ChildItem $temp -Filter 'halosync-tour-*.db')
        $state.Count | Should -Be 1
        (Get-HaloSyncConfiguration -StatePath $state[0].FullName).TimeZone | Should -Be 'America/Toronto'
        $log = @(Get-HaloSyncLog -StatePath $state[0].FullName)
        $log.Count | Should -BeGreaterThan 0
        @($log.OrganizationName | Where-Object { $_ } | Sort-Object -Unique) | Should -Be @('Contoso Ltd')
        Test-Path (Join-Path $RepoRoot 'halosync-log.csv') | Should -BeFalse
    }
}

Describe 'README: the two commands' {
    It 'names the main job and the single test command that .ci/run runs' {
        $readme | Should -Match '(?m)^    dotnet tool restore && dotnet build HaloSync\.sln && dotnet pwsh -NoProfile -File examples/main-job\.ps1$'
        $readme | Should -Match '(?m)^    dotnet tool restore && dotnet pwsh -NoProfile -File \./build\.ps1 -Task Test$'
        # .ci/run finds the test command in the README with its own line: run that line and compare.
        $extract = @(Get-Content (Join-Path $RepoRoot '.ci' 'run') | Where-Object { $_ -like 'test_command=*' })
        $extract.Count | Should -Be 1
        $found = & bash -c "cd '$RepoRoot' && $($extract[0]) && printf '%s' `"`$test_command`""
        $found | Should -Be 'dotnet tool restore && dotnet pwsh -NoProfile -File ./build.ps1 -Task Test'
    }
}
