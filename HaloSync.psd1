@{
    RootModule            = 'HaloSync.dll'
    ModuleVersion         = '0.1.0'
    GUID                  = '5c8f3e1a-2b7d-4a61-9d0e-7f4b2c9a1e63'
    Author                = 'HaloSync contributors'
    CompanyName           = 'HaloSync'
    Copyright             = '(c) HaloSync contributors. MIT licence (LICENSE in the module folder).'
    Description           = 'Keeps HaloPSA billing (subscriptions, recurring invoices, invoice lines, pro-rata, item costs) in step with Sherweb Cumulus purchases. Plan, preview and sync from PowerShell or a runbook.'
    PowerShellVersion     = '5.1'
    CompatiblePSEditions  = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess      = @('HaloSync.Format.ps1xml')
    TypesToProcess        = @('HaloSync.Types.ps1xml')
    CmdletsToExport       = @(
        'Compare-HaloBilling'
        'Connect-Cumulus'
        'Connect-HaloPsa'
        'Get-CumulusCharge'
        'Get-CumulusOrganization'
        'Get-CumulusProduct'
        'Get-HaloClient'
        'Get-HaloItem'
        'Get-HaloMigration'
        'Get-HaloOrgMapping'
        'Get-HaloProductMapping'
        'Get-HaloSyncConfiguration'
        'Get-HaloSyncLog'
        'Invoke-HaloAutoMapping'
        'Invoke-HaloSync'
        'Remove-HaloOrgMapping'
        'Remove-HaloProductMapping'
        'Set-CumulusChargeSync'
        'Set-HaloOrgMapping'
        'Set-HaloProductMapping'
        'Set-HaloSyncConfiguration'
        'Start-HaloMigration'
    )
    FunctionsToExport     = @()
    VariablesToExport     = @()
    AliasesToExport       = @()
    PrivateData           = @{
        PSData = @{
            Tags         = @('HaloPSA', 'Sherweb', 'Cumulus', 'Billing', 'MSP', 'PSA', 'Sync', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
        }
    }
}
