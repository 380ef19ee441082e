using System.Collections.Generic;
using System.Linq;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>What to do first when a run found nothing to keep in step: a run of zeros should say why, not just be zeros.</summary>
public static class SyncAdvice
{
    public static List<string> For(SyncSummary summary, IReadOnlyCollection<OrganizationMapping> organizations, IEnumerable<ProductMapping> products, bool filtered)
    {
        var advice = new List<string>();
        if (summary.Organizations == 0)
        {
            var disabled = organizations.Count(o => o.Status == OrganizationMappingStatus.Disabled);
            var off = disabled == 0 ? string.Empty : $" {disabled} are mapped with sync off: Set-HaloOrgMapping -Organization <name> -SyncEnabled yes turns one on.";
            advice.Add(filtered
                ? "None of the organizations asked for is mapped to a HaloPSA client with sync on, so nothing was synced. " +
                  "Get-CumulusOrganization -Name <name> shows their status; Set-HaloOrgMapping -Organization <name> -HaloClientName <client> maps one."
                : "No organization is mapped to a HaloPSA client with sync on, so nothing was synced. Map them first: " +
                  "Get-CumulusOrganization -Status Unmapped lists them, and Set-HaloOrgMapping -Organization <name> -HaloClientName <client> " +
                  "maps one (or pipe a spreadsheet into it)." + off);
        }
        else if (summary.SkippedUnmapped > 0 && !products.Any(p => p.Status is ProductMappingStatus.Mapped or ProductMappingStatus.AutoMapped))
        {
            advice.Add($"No product is mapped to a HaloPSA item with sync on, so the {summary.SkippedUnmapped} subscription(s) and charge(s) of the " +
                $"{summary.Organizations} mapped organization(s) were skipped. Map products first: Get-CumulusProduct -Status Unmapped lists them, " +
                "Invoke-HaloAutoMapping maps those whose SKU a HaloPSA item carries as its supplier SKU, and Set-HaloProductMapping maps the others.");
        }

        return advice;
    }
}
