using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.Cumulus;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Http;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.Reconciliation;
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;
using HaloSync.Engine.Tests.State;
using HaloSync.Engine.Tests.TestSupport;
using HaloSync.Simulators.Common;
using HaloSync.Simulators.Cumulus;
using HaloSync.Simulators.HaloPsa;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// Both simulators over real HTTP, a real state file and the real clients (with instant back-off), wired into
/// <see cref="SyncRunner"/> as Invoke-HaloSync wires them. Sherweb's sample account: Contoso (Business Premium x10
/// monthly, Exchange x5 yearly) and Fabrikam (Business Premium x3). HaloPSA: clients of the same names (plus a
/// third, "Contoso Holdings", for re-mapping) and items selling Business Premium at 30.00, Exchange at 6.00.
/// Invoice day 15, pre-bill, proration, automatic mapping, UTC. Sherweb's cost for Business Premium is 22.00.
/// </summary>
public sealed class SyncTestBed : IAsyncDisposable
{
    public static readonly DateTime FirstSync = new(2026, 11, 16);

    private readonly TempStateFolder folder = new();

    private SyncTestBed(HaloPsaSimulator halo, SherwebSimulator sherweb)
    {
        Halo = halo;
        Sherweb = sherweb;
        Delay = new RecordingDelay(sherweb.Clock.Advance, halo.Clock.Advance);
    }

    public HaloPsaSimulator Halo { get; }

    public SherwebSimulator Sherweb { get; }

    public RecordingDelay Delay { get; }

    public string StatePath => folder.DatabasePath;

    public List<(SyncEvent Event, HaloSyncException Error)> Failures { get; } = new();

    public List<string> Verbose { get; } = new();

    public HaloPsaClient HaloClient { get; private set; } = null!;

    public CumulusClient Cumulus { get; private set; } = null!;

    public int ContosoClient { get; private set; }

    public int FabrikamClient { get; private set; }

    public int HoldingsClient { get; private set; }

    public int PremiumItem { get; private set; }

    public static async Task<SyncTestBed> StartAsync(Action<SyncConfiguration>? configure = null, TimeSpan? requestTimeout = null, DateTime? today = null)
    {
        var start = today ?? FirstSync;
        var clock = new DateTimeOffset(start.AddHours(10), TimeSpan.Zero);
        var halo = await HaloPsaSimulator.StartAsync(new HaloPsaSimulatorOptions { ClockStart = clock });
        var sherweb = await SherwebSimulator.StartAsync(SherwebSampleData.Create(start), new SimulatorHostOptions { Clock = new SimulatedClock(clock) });
        var bed = new SyncTestBed(halo, sherweb);
        bed.ContosoClient = halo.Store.AddClient(new SimClient { Name = "Contoso Ltd" }).Id!.Value;
        bed.FabrikamClient = halo.Store.AddClient(new SimClient { Name = "Fabrikam, Inc." }).Id!.Value;
        bed.HoldingsClient = halo.Store.AddClient(new SimClient { Name = "Contoso Holdings" }).Id!.Value;
        bed.PremiumItem = halo.Store.AddItem(new SimItem { Name = "M365 Business Premium", Baseprice = 30.00m, Costprice = 0m, SupplierPartCode = SherwebSampleData.BusinessPremiumSku }).Id!.Value;
        halo.Store.AddItem(new SimItem { Name = "Exchange Plan 1", Baseprice = 6.00m, Costprice = 0m, SupplierPartCode = SherwebSampleData.ExchangeSku });
        bed.HaloClient = HaloPsaClient.Create(new HaloPsaCredentials(halo.BaseAddress.ToString(), HaloPsaSimulator.DefaultClientId, HaloPsaSimulator.DefaultClientSecret, null, "all"),
            new HaloPsaClientOptions
            {
                Delay = bed.Delay.Delay,
                Jitter = () => 0.5,
                Clock = () => halo.Clock.UtcNow,
                RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
                Verbose = bed.Verbose.Add,
            });
        bed.Cumulus = new CumulusClient(new CumulusCredentials(SherwebSampleData.ClientId, SherwebSampleData.ClientSecret, SherwebSampleData.SubscriptionKey), new CumulusClientOptions
        {
            ApiBaseUri = sherweb.BaseAddress.ToString(),
            Clock = () => sherweb.Clock.UtcNow,
            Http = new ResilientHttpOptions { ServiceName = "Sherweb", Delay = bed.Delay.Delay, RequestTimeout = TimeSpan.FromSeconds(10) },
        });

        bed.settings = new SyncConfiguration
        {
            InvoiceDay = 15, BillingMethod = BillingMethod.PreBill, Proration = true, MappingMode = MappingMode.Automatic, SyncEnabled = true, TimeZone = "UTC",
        };
        configure?.Invoke(bed.settings);
        bed.Configure();
        return bed;
    }

    private SyncConfiguration settings = new();

    /// <summary>What an admin sets up on a new state file: the settings and both organizations mapped to their clients.</summary>
    private void Configure()
    {
        WithStore(store =>
        {
            store.SaveConfiguration(settings);
            new MappingRepository(store).RecordSeenOrganizations(new Dictionary<string, string>
            {
                [SherwebSampleData.Contoso.ToString("D")] = "Contoso Ltd",
                [SherwebSampleData.Fabrikam.ToString("D")] = "Fabrikam, Inc.",
            }, DateTimeOffset.UtcNow);
        });
        MapOrganization(SherwebSampleData.Contoso, ContosoClient);
        MapOrganization(SherwebSampleData.Fabrikam, FabrikamClient);
    }

    /// <summary>The state file is lost (a new machine, a host that lost its disk) and the admin sets it up again.</summary>
    public void LoseStateFile()
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            System.IO.File.Delete(StatePath + suffix);
        }

        Configure();
    }

    public void WithStore(Action<StateStore> work)
    {
        using var store = StateStore.Open(StatePath);
        work(store);
    }

    public T WithStore<T>(Func<StateStore, T> work)
    {
        using var store = StateStore.Open(StatePath);
        return work(store);
    }

    /// <summary>
    /// What Set-HaloOrgMapping does (null unmaps, as Remove-HaloOrgMapping does, keeping the first-sync date): another
    /// client than the one of the first sync clears the first-sync date, so the next run is a first sync for it.
    /// </summary>
    public void MapOrganization(Guid organization, int? client)
        => WithStore(store =>
        {
            var mappings = new MappingRepository(store);
            var found = mappings.FindOrganization(organization.ToString("D"))!;
            if (client is null)
            {
                (found.HaloClientId, found.HaloClientName, found.SyncEnabled) = (null, null, false);
                mappings.SaveOrganization(found, DateTimeOffset.UtcNow);
                return;
            }

            var clients = Halo.Store.Clients.Select(c => new HaloClient { Id = c.Id!.Value, Name = c.Name }).ToList();
            mappings.SaveOrganization(ManualMapping.Organization(found, client, null, null, clients), DateTimeOffset.UtcNow);
        });

    /// <summary>
    /// One run as Invoke-HaloSync makes it; <paramref name="halo"/> replaces the HaloPSA client (to cut a run short),
    /// <paramref name="cumulus"/> the Sherweb one (to give an answer the simulator would not).
    /// </summary>
    public async Task<SyncSummary> SyncAsync(DateTime asOf, IHaloBilling? halo = null, bool whatIf = false, CancellationToken cancellationToken = default,
        ICumulusReader? cumulus = null)
    {
        using var store = StateStore.Open(StatePath);
        return await new SyncRunner(new SyncState(store), halo ?? HaloClient, cumulus ?? Cumulus, new Progress<SyncProgress>(), (e, error) => Failures.Add((e, error)), Verbose.Add)
            .RunAsync(asOf, null, whatIf, cancellationToken);
    }

    /// <summary>Compare-HaloBilling's comparison for the Sherweb period holding <paramref name="period"/>, over the same clients and state.</summary>
    public async Task<BillingComparisonSummary> CompareAsync(DateTime period, BillingSource source = BillingSource.Scheduled, params Guid[] organizations)
    {
        using var store = StateStore.Open(StatePath);
        var query = new BillingQuery
        {
            Period = period,
            Source = source,
            Organizations = organizations.Length == 0 ? null : organizations.Select(o => o.ToString("D")).ToList(),
        };
        return await new BillingReconciliation(new SyncState(store), HaloClient, Cumulus, new Progress<SyncProgress>(), Verbose.Add).CompareAsync(query, CancellationToken.None);
    }

    /// <summary>Sherweb's clock moves to the date (changes are dated by it).</summary>
    public void Today(DateTime date) => Sherweb.SetDate(date);

    /// <summary>
    /// A pass of HaloPSA's scheduler on <paramref name="day"/>: the invoices of the recurring invoices whose next date has
    /// come (those created for that day after an earlier pass generated the others), none when none is due.
    /// </summary>
    public IReadOnlyList<SimInvoice> GenerateDueInvoices(DateTime day)
    {
        var due = Halo.Store.RecurringInvoices.Where(r => r.Nextcreationdate?.Date <= day.Date).Select(r => r.Id!.Value).ToArray();
        return due.Length == 0 ? Array.Empty<SimInvoice>() : Halo.Store.GenerateInvoices(day, due);
    }

    public List<SyncEvent> Log() => WithStore(store => new EventLog(store).Query(new EventLogFilter()));

    public List<SimLicence> Licences(Guid subscription) => Halo.Store.Licences.Where(l => l.Snowid == "halosync:sub-" + subscription.ToString("D")).ToList();

    public List<SimRecurringInvoice> Invoices(int client) => Halo.Store.RecurringInvoices.Where(i => i.ClientId == client).ToList();

    public List<SimInvoiceLine> Lines(int client, Guid subscription)
        => Invoices(client).SelectMany(i => i.Lines ?? new List<SimInvoiceLine>())
            .Where(l => l.ItemLongdescription?.Contains("[halosync:sub-" + subscription.ToString("D") + "]") == true).ToList();

    /// <summary>Writes, not reads or token requests, that reached HaloPSA.</summary>
    public int Writes() => Halo.Requests.Snapshot().Count(r => r.Method is "POST" or "DELETE" && r.Path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase));

    /// <summary>A HaloPSA client for the admin's own edits ("by hand").</summary>
    public HaloPsaClient Admin()
        => HaloPsaClient.Create(new HaloPsaCredentials(Halo.BaseAddress.ToString(), HaloPsaSimulator.DefaultClientId, HaloPsaSimulator.DefaultClientSecret, null, "all"),
            new HaloPsaClientOptions { Delay = (_, _) => Task.CompletedTask });

    public async ValueTask DisposeAsync()
    {
        HaloClient.Dispose();
        Cumulus.Dispose();
        await Halo.DisposeAsync();
        await Sherweb.DisposeAsync();
        folder.Dispose();
    }
}
