using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Reconciliation;
using HaloSync.Engine.Sync;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Compares what Sherweb charges for a billing period with what HaloPSA bills, per organization and product, and names the leaks.</para>
/// </summary>
[Cmdlet(VerbsData.Compare, "HaloBilling", DefaultParameterSetName = RowsSet)]
[OutputType(typeof(BillingComparison), ParameterSetName = new[] { RowsSet })]
[OutputType(typeof(BillingComparisonSummary), ParameterSetName = new[] { SummarySet })]
public sealed class CompareHaloBillingCommand : HaloSyncCmdlet
{
    private const string RowsSet = "Rows";
    private const string SummarySet = "Summary";
    private const int ActivityId = 4173;
    private const string Activity = "Compare-HaloBilling";

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string[]? Organization { get; set; }

    [Parameter]
    [InvariantDate]
    public DateTime? Period { get; set; }

    [Parameter(ParameterSetName = RowsSet)]
    [ValidateNotNullOrEmpty]
    public BillingStatus[]? Status { get; set; }

    [Parameter]
    public SwitchParameter Invoiced { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SummarySet)]
    public SwitchParameter Summary { get; set; }

    protected override void EndProcessing()
    {
        var halo = RequireHaloPsa();
        var cumulus = RequireCumulus();
        var query = new BillingQuery
        {
            Period = Period,
            Source = Invoiced ? BillingSource.Invoiced : BillingSource.Scheduled,
            Organizations = Organization,
            Pattern = WildcardFilter.Pattern,
            NoMatch = PostWarning,
        };
        var cumulusBefore = cumulus.Client.RequestsSent;
        var (summary, today) = WithExistingState(store =>
        {
            var reconciliation = new BillingReconciliation(new SyncState(store), halo.Client, cumulus.Client, ProgressOf(ActivityId, Activity), PostVerbose);
            return (RunEngine(token => reconciliation.CompareAsync(query, token)), store.GetConfiguration().Today(DateTimeOffset.UtcNow));
        });
        summary.CumulusRequests = cumulus.Client.RequestsSent - cumulusBefore;
        CompleteProgress(ActivityId, Activity);

        if (Invoiced && summary.PeriodTo >= today)
        {
            WriteWarning(FormattableString.Invariant($"The period {summary.PeriodFrom:yyyy-MM-dd} to {summary.PeriodTo:yyyy-MM-dd} is not over: invoices may still be generated for it."));
        }

        if (Summary)
        {
            WriteObject(summary);
            return;
        }

        WriteObject(summary.Rows.Where(r => Status is null || Status.Contains(r.Status)), enumerateCollection: true);
    }
}
