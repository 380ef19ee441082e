using System;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine.Migration;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists the organizations cut over from a legacy integration (Start-HaloMigration -Cutover), from the state database.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HaloMigration")]
[OutputType(typeof(MigrationRecord))]
public sealed class GetHaloMigrationCommand : HaloSyncCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganizationId")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string[]? Organization { get; set; }

    protected override void ProcessRecord()
    {
        var filter = new WildcardFilter(Organization);
        var migrations = WithExistingState(store => new MigrationState(store).GetMigrations())
            .Where(m => filter.MatchesAny(m.OrganizationName, m.OrganizationId));
        WriteObject(migrations, enumerateCollection: true);
    }
}
