using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.Mapping;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists the subscriptions and current payable charges of organizations (a name, id or wildcard) with their sync switch.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CumulusCharge")]
[OutputType(typeof(OrganizationCharge))]
public sealed class GetCumulusChargeCommand : HaloSyncCmdlet
{
    private IReadOnlyList<CumulusCustomer>? customers;
    private OrganizationDirectory? organizations;
    private SyncConfiguration? configuration;
    private PayableCharges? payable;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId", "Cumulus Organization", "Organization Name", "Customer", "Cumulus Customer")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string Organization { get; set; } = string.Empty;

    [Parameter]
    [SupportsWildcards]
    public string[]? Sku { get; set; }

    protected override void ProcessRecord()
    {
        var connection = RequireCumulus();
        if (customers is null)
        {
            // Once per run, however many organizations are piped in.
            customers = RunEngine(token => connection.Client.GetCustomersAsync(token), Organization);
            organizations = new OrganizationDirectory(customers.Select(OrganizationMapping.Of));
            configuration = WithState(store => store.GetConfiguration());
            var today = CallEngine(() => configuration.Today(DateTimeOffset.UtcNow), null);
            payable = RunEngine(token => connection.Client.GetPayableChargesAsync(today, token), Organization);
        }

        var skus = new WildcardFilter(Sku);
        foreach (var organization in SelectOrganizations(organizations!, new[] { Organization }))
        {
            var customer = customers.First(c => c.Id.ToString("D") == organization.OrganizationId);
            var subscriptions = RunEngine(token => connection.Client.GetSubscriptionsAsync(customer.Id, token), organization.Name);
            var charges = WithState(store =>
            {
                var mappings = new MappingRepository(store);
                var rows = OrganizationChargeList.Build(customer, subscriptions, payable!, customers.ToList(),
                    mappings.GetChargeSyncFlags(organization.OrganizationId), configuration!.CostBasis);
                mappings.RecordSeenProducts(rows.Where(r => r.Sku.Length > 0).Select(r => new KeyValuePair<string, string>(r.Sku, r.ProductName)),
                    DateTimeOffset.UtcNow);
                return rows;
            });

            WriteObject(charges.Where(c => skus.Matches(c.Sku)), enumerateCollection: true);
        }
    }
}
