# The documentation an MSP reads: the README links every guide and example, and docs/troubleshooting.md explains
# every error id the code can raise (read from src, so a new id without an entry fails here).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $readme = Get-Content -Raw (Join-Path $RepoRoot 'README.md')
    $troubleshooting = Get-Content -Raw (Join-Path $RepoRoot 'docs' 'troubleshooting.md')
    $source = (Get-ChildItem (Join-Path $RepoRoot 'src') -Recurse -Filter *.cs |
            Where-Object FullName -NotMatch '[\\/](obj|bin)[\\/]' | Get-Content -Raw) -join "`n"
}

Describe 'README.md' {
    It 'links <_>, which exists' -ForEach @('docs/concepts.md', 'docs/setup.md', 'docs/billing-rules.md', 'docs/migration.md',
        'docs/troubleshooting.md', 'docs/comparison.md', 'docs/design-decisions.md', 'docs/performance.md',
        'examples/quickstart.ps1', 'examples/runbook-scheduled-sync.ps1', 'examples/migrate-one-customer.ps1') {
        $readme | Should -Match ([regex]::Escape("]($_)"))
        Join-Path $RepoRoot $_ | Should -Exist
    }
}

Describe 'docs/troubleshooting.md' {
    BeforeAll {
        # Ids given literally: new HaloSyncException("Id", HaloSyncErrorKind...), new("Id", HaloSyncErrorKind...), : base("Id", ...).
        $literal = [regex]::Matches($source, '(?:HaloSyncException|new|base)\(\s*"([A-Z][A-Za-z]+)",\s*(?:HaloSyncErrorKind|kind)') | ForEach-Object { $_.Groups[1].Value }
        # Ids made from what was looked up (NameResolver.ErrorIdPrefix): "HaloPSA item" -> HaloPSAItemNotFound, HaloPSAItemAmbiguous.
        # (given in the call, or as a class's "What" constant).
        $lookedUp = [regex]::Matches($source, '(?:"([A-Za-z]+ [a-z]+)", "Get-[A-Za-z]+"\)|const string What = "([A-Za-z]+ [a-z]+)";)') | ForEach-Object {
            $what = if ($_.Groups[1].Success) { $_.Groups[1].Value } else { $_.Groups[2].Value }
            $prefix = -join ($what -split ' ' | ForEach-Object { $_.Substring(0, 1).ToUpperInvariant() + $_.Substring(1) })
            "${prefix}NotFound"; "${prefix}Ambiguous"
        }
        $ids = @($literal + $lookedUp | Sort-Object -Unique)
    }

    It 'finds the error ids in the source' {
        $ids | Should -Contain 'HaloPsaPermissionMissing'
        $ids | Should -Contain 'HttpOutcomeUnknown'
        $ids | Should -Contain 'InvalidInvoiceDay'
        $ids | Should -Contain 'CumulusOrganizationNotFound'
        $ids | Should -Contain 'HaloPSAItemAmbiguous'
        $ids | Should -Contain 'MigrationNotCovered'
        $ids.Count | Should -BeGreaterThan 60
    }

    It 'explains every one of them' {
        $missing = @($ids | Where-Object { $troubleshooting -notmatch ('`' + [regex]::Escape($_) + '`') })
        $missing | Should -BeNullOrEmpty -Because 'each error id needs a row saying what it means and what to do'
    }
}
