using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists one organization's subscriptions and current payable charges with their sync switch.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CumulusCharge")]
[OutputType(typeof(OrganizationCharge))]
public sealed class GetCumulusChargeCommand : HaloSyncCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId", "Organization Name", "Customer")]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string Organization { get; set; } = string.Empty;

    [Parameter]
    [SupportsWildcards]
    public string[]? Sku { get; set; }

    protected override void ProcessRecord()
    {
        var connection = RequireCumulus();
        var customers = RunEngine(token => connection.Client.GetCustomersAsync(token), Organization);
        var customer = CallEngine(() => NameResolver.Resolve(Organization, customers, c => c.Id.ToString("D"), c => c.DisplayName,
            "Cumulus organization", "Get-CumulusOrganization"), Organization);
        var configuration = WithState(store => store.GetConfiguration());
        var today = CallEngine(() => configuration.Today(DateTimeOffset.UtcNow), null);
        var subscriptions = RunEngine(token => connection.Client.GetSubscriptionsAsync(customer.Id, token), Organization);
        var payable = RunEngine(token => connection.Client.GetPayableChargesAsync(today, token), Organization);

        var charges = WithState(store =>
        {
            var mappings = new MappingRepository(store);
            var rows = OrganizationChargeList.Build(customer, subscriptions, payable, customers.ToList(),
                mappings.GetChargeSyncFlags(customer.Id.ToString("D")), configuration.CostBasis);
            mappings.RecordSeenProducts(rows.Where(r => r.Sku.Length > 0).Select(r => new KeyValuePair<string, string>(r.Sku, r.ProductName)),
                DateTimeOffset.UtcNow);
            return rows;
        });

        var skus = new WildcardFilter(Sku);
        foreach (var charge in charges.Where(c => skus.Matches(c.Sku)))
        {
            WriteObject(charge);
        }
    }
}
