using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using HaloSync.Engine;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Migration;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Compares one customer's legacy billing in HaloPSA with HaloSync's and, with -Cutover, ends the legacy records HaloSync's replace.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "HaloMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ValidateSet)]
[OutputType(typeof(MigrationItem), typeof(MigrationSummary))]
public sealed class StartHaloMigrationCommand : HaloSyncCmdlet
{
    private const string ValidateSet = "Validate";
    private const string CutoverSet = "Cutover";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId", "Cumulus Organization", "Organization Name", "Customer", "Cumulus Customer")]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string Organization { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = CutoverSet)]
    public SwitchParameter Cutover { get; set; }

    [Parameter(ParameterSetName = CutoverSet)]
    public SwitchParameter RemoveLegacyInvoice { get; set; }

    [Parameter(ParameterSetName = CutoverSet)]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [InvariantDate]
    public DateTime? AsOf { get; set; }

    protected override void ProcessRecord()
    {
        var halo = RequireHaloPsa();
        WithExistingState(store =>
        {
            OrganizationMapping organization;
            try
            {
                organization = new OrganizationDirectory(new MappingRepository(store).GetOrganizations()).Find(Organization, WildcardFilter.Pattern(Organization));
                if (organization.HaloClientId is null)
                {
                    throw MigrationRunner.NotMapped(organization);
                }
            }
            catch (HaloSyncException ex)
            {
                WriteEngineError(ex, Organization);
                return;
            }

            var runner = new MigrationRunner(store, halo.Client, PostEventError, PostVerbose);
            var review = RunEngine(token => runner.ReviewAsync(organization, AsOf, RemoveLegacyInvoice, token));
            foreach (var warning in review.BillingWarnings())
            {
                WriteWarning(warning);
            }

            if (!Cutover)
            {
                Write(review, runner.Summary(review, MigrationOutcome.Validated));
                return;
            }

            if (review.Refusal() is { } refusal)
            {
                Write(review, runner.Summary(review, MigrationOutcome.Refused));
                WriteEngineError(refusal, organization.Name);
                return;
            }

            if (review.NothingToWrite && review.Migrated is { } migrated)
            {
                WriteVerbose($"{organization.Name} was cut over on {Date(migrated.CutoverOn)} and no legacy record is active any more: nothing to do.");
                Write(review, runner.Summary(review, MigrationOutcome.AlreadyMigrated));
                return;
            }

            if (review.ChangeWarning() is { } change)
            {
                WriteWarning(change);
            }

            if (!Confirm(review))
            {
                Write(review, runner.Summary(review, MigrationOutcome.Planned));
                return;
            }

            Write(review, RunEngine(token => runner.CutOverAsync(review, token)));
        });
    }

    private void Write(MigrationReview review, MigrationSummary summary)
    {
        WriteObject(review.Items, enumerateCollection: true);
        WriteObject(summary);
    }

    /// <summary>
    /// ShouldProcess with ConfirmImpact High asks by default; -Force skips the question (not -WhatIf, nor an explicit
    /// -Confirm). A host that cannot ask (pwsh -NonInteractive, a runbook) gets an error saying so, never a wait.
    /// </summary>
    private bool Confirm(MigrationReview review)
    {
        var target = $"HaloPSA client '{review.Organization.HaloClientName}' ({review.ClientId}) of {review.Organization.Name}";
        var invoices = string.Join(", ", review.InvoicesToEnd.Select(i => i.Id.ToString(CultureInfo.InvariantCulture)));
        var action = $"Cut over from the legacy integration: deactivate {review.LicencesToDeactivate.Count} legacy subscription(s), " +
                     $"{(review.RemoveInvoices ? "delete" : "end")} {review.InvoicesToEnd.Count} legacy recurring invoice(s){(invoices.Length > 0 ? " (" + invoices + ")" : string.Empty)}";
        var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given)
            ? LanguagePrimitives.IsTrue(given)
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        var confirmAsked = MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && LanguagePrimitives.IsTrue(confirm);
        if (Force && !confirmAsked && !whatIf)
        {
            WriteVerbose($"{action} on {target} (-Force: not asked).");
            return true;
        }

        try
        {
            return ShouldProcess(target, action);
        }
        catch (Exception ex) when (ex is HostException or PSInvalidOperationException)
        {
            ThrowEngineError(new HaloSyncException("CutoverNeedsConfirmation", HaloSyncErrorKind.InvalidOperation,
                $"Start-HaloMigration -Cutover asks for confirmation before it ends legacy records, and this PowerShell host cannot ask ({ex.Message}). " +
                "Nothing was written. In a runbook or a non-interactive session add -Force to cut over without a question, or -WhatIf to see what it would do.", ex),
                review.Organization.Name);
            return false;
        }
    }

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
