# The module as users load it: imported by path from out/HaloSync, every exported cmdlet with full help.
BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '..' '..' 'out' 'HaloSync' 'HaloSync.psd1')
    $cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Importing out/HaloSync' {
    It 'is the staged module folder, imported by path, that this pwsh uses' {
        $module = Get-Module HaloSync
        $module.ModuleBase | Should -Be $ModuleFolder
        $module.Path | Should -Be (Join-Path $ModuleFolder 'HaloSync.dll')
        $PSVersionTable.PSVersion.ToString() | Should -Be '7.6.9'
    }

    It 'exports exactly the cmdlets the manifest lists, and nothing else' {
        $manifest = Import-PowerShellDataFile $ModuleManifest
        @((Get-Module HaloSync).ExportedCommands.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        (Get-Module HaloSync).ExportedFunctions.Count | Should -Be 0
        (Get-Module HaloSync).ExportedAliases.Count | Should -Be 0
    }

    It 'passes Test-ModuleManifest and names no web address' {
        $info = Test-ModuleManifest -Path $ModuleManifest
        $info.ProjectUri | Should -BeNullOrEmpty
        $info.LicenseUri | Should -BeNullOrEmpty
        Get-Content -Raw $ModuleManifest | Should -Not -Match 'https?://'
        Get-Content -Raw (Join-Path $ModuleFolder 'LICENSE') | Should -Match '(?s)^MIT License.*Copyright \(c\) HaloSync contributors'
    }
}

Describe 'Get-Help <Name> -Full' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $text = $help | Out-String -Width 120
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $parameters = @((Get-Command $Name).Parameters.Keys | Where-Object { $common -notcontains $_ })
    }

    It 'has a written synopsis and description, not the generated syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape("$Name ["))
        (@($help.description.Text) -join ' ').Length | Should -BeGreaterThan 40
        $text | Should -Match 'DESCRIPTION'
    }

    It 'describes every parameter' {
        foreach ($parameter in $parameters) {
            $entry = @($help.parameters.parameter | Where-Object name -eq $parameter)
            $entry.Count | Should -Be 1 -Because "-$parameter of $Name must have help"
            (@($entry[0].description.Text) -join '') | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name must be described"
        }
    }

    It 'has examples whose code calls this cmdlet' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        ($examples.code -join "`n") | Should -Match ([regex]::Escape($Name))
        $text | Should -Match 'EXAMPLE 1'
    }
}
