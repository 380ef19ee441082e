using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;

namespace HaloSync.Commands;

/// <summary>
/// <para type="synopsis">Lists the sync events (every write HaloSync intended in HaloPSA, and how it went) from the state database, newest first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "HaloSyncLog")]
[OutputType(typeof(SyncEvent))]
public sealed class GetHaloSyncLogCommand : HaloSyncCmdlet
{
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganizationNameCompleter))]
    public string? Organization { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ProductSkuCompleter))]
    public string? Product { get; set; }

    [Parameter]
    [InvariantDate]
    public DateTime? From { get; set; }

    [Parameter]
    [InvariantDate]
    public DateTime? To { get; set; }

    [Parameter]
    public SyncEventStatus? Status { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    protected override void ProcessRecord()
    {
        // Wildcards SQLite can match exactly are filtered (and -First limited) in the query; others here, after it.
        var organizationLike = Organization is null ? null : SqlLike.FromWildcard(Organization);
        var productLike = Product is null ? null : SqlLike.FromWildcard(Product);
        var organizations = new WildcardFilter(Organization is null || organizationLike is not null ? null : new[] { Organization });
        var products = new WildcardFilter(Product is null || productLike is not null ? null : new[] { Product });
        var (events, configuration, known) = WithExistingState(store =>
        {
            var configuration = store.GetConfiguration();
            var zone = SyncConfiguration.ResolveTimeZone(configuration.TimeZone);
            var filter = new EventLogFilter
            {
                From = From is { } from ? Moment(from, zone) : null,
                To = To is { } to ? EndOf(to, zone) : null,
                Status = Status,
                RunId = RunId,
                OrganizationLike = organizationLike,
                ProductLike = productLike,
                MaxCount = organizations.IsEmpty && products.IsEmpty ? First : null,
            };
            if (filter.From > filter.To)
            {
                throw new HaloSyncException("InvalidDateRange", HaloSyncErrorKind.InvalidArgument,
                    FormattableString.Invariant($"-From ({filter.From:yyyy-MM-dd HH:mm:ss zzz}) is after -To ({filter.To:yyyy-MM-dd HH:mm:ss zzz}), so no event can match. Swap the two values."));
            }

            return (new EventLog(store).Query(filter), configuration, new MappingRepository(store).GetOrganizations());
        });

        var matching = events.Where(e => organizations.MatchesAny(e.OrganizationId, e.OrganizationName)
            && products.MatchesAny(e.Sku, e.ProductName)).ToList();
        if (First is { } first)
        {
            matching = matching.Take(first).ToList();
        }

        if (matching.Count == 0 && Organization is not null)
        {
            // Nothing logged for it may be right; an organization that does not exist is a typo worth saying.
            var directory = new OrganizationDirectory(known);
            if (directory.Select(Organization, WildcardFilter.Pattern(Organization)).Count == 0)
            {
                WriteWarning(directory.NoMatch(Organization));
            }
        }

        foreach (var e in matching)
        {
            e.CreatedAt = configuration.LocalTime(e.CreatedAt);
            WriteObject(e);
        }
    }

    /// <summary>A date as typed (no time zone) is a wall-clock time in the billing time zone; a local or UTC one is a moment already.</summary>
    private static DateTimeOffset Moment(DateTime value, TimeZoneInfo zone)
        => value.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(value, zone.GetUtcOffset(value)) : new DateTimeOffset(value);

    /// <summary>-To 2026-11-30 means the whole of that day: a midnight stands for the day's last moment.</summary>
    private static DateTimeOffset EndOf(DateTime value, TimeZoneInfo zone)
        => value.TimeOfDay == TimeSpan.Zero ? Moment(value.AddDays(1), zone).AddTicks(-1) : Moment(value, zone);
}
