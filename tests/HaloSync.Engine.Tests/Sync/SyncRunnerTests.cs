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
using HaloSync.Engine.State;
using HaloSync.Engine.Sync;
using HaloSync.Engine.Tests.State;

namespace HaloSync.Engine.Tests.Sync;

/// <summary>
/// <see cref="SyncRunner"/> on its own: a real state file, and HaloPSA and Cumulus as small in-memory fakes behind
/// its narrow interfaces, so each decision of the runner is seen without HTTP. Contoso (client 12) and Fabrikam
/// (client 13) each hold Business Premium (item 7, 30.00; Sherweb cost 22.00), 10 and 3 seats, monthly.
/// </summary>
public sealed class SyncRunnerTests : IDisposable
{
    private static readonly Guid Contoso = new("11111111-0000-4000-8000-000000000001");
    private static readonly Guid Fabrikam = new("11111111-0000-4000-8000-000000000002");
    private static readonly DateTime Nov16 = new(2026, 11, 16);
    private readonly TempStateFolder folder = new();
    private readonly FakeHalo halo = new();
    private readonly FakeCumulus cumulus = new();
    private readonly List<HaloSyncException> failures = new();

    public SyncRunnerTests()
    {
        cumulus.Add(Contoso, "Contoso Ltd", 10);
        cumulus.Add(Fabrikam, "Fabrikam, Inc.", 3);
        using var store = StateStore.Open(folder.DatabasePath);
        store.SaveConfiguration(new SyncConfiguration { InvoiceDay = 15, MappingMode = MappingMode.Automatic, SyncEnabled = true, TimeZone = "UTC" });
        var mappings = new MappingRepository(store);
        mappings.RecordSeenOrganizations(new Dictionary<string, string> { [Contoso.ToString("D")] = "Contoso Ltd", [Fabrikam.ToString("D")] = "Fabrikam, Inc." }, DateTimeOffset.UtcNow);
        foreach (var (organization, client) in new[] { (Contoso, 12), (Fabrikam, 13) })
        {
            var found = mappings.FindOrganization(organization.ToString("D"))!;
            (found.HaloClientId, found.SyncEnabled) = (client, true);
            mappings.SaveOrganization(found, DateTimeOffset.UtcNow);
        }
    }

    public void Dispose() => folder.Dispose();

    private async Task<SyncSummary> RunAsync(bool whatIf = false, DateTimeOffset? now = null)
    {
        using var store = StateStore.Open(folder.DatabasePath);
        return await new SyncRunner(new SyncState(store), halo, cumulus, new Progress<SyncProgress>(), (_, error) => failures.Add(error), clock: () => now ?? DateTimeOffset.UtcNow)
            .RunAsync(Nov16, null, whatIf, CancellationToken.None);
    }

    private string SyncedAt() => WithStore(store =>
    {
        using var command = store.Command("SELECT group_concat(synced_at, '|') FROM synced_subscriptions;");
        return (string)command.ExecuteScalar()!;
    });

    private int Snapshot() => WithStore(store => new SyncState(store).LoadSnapshot().Count);

    private T WithStore<T>(Func<StateStore, T> work)
    {
        using var store = StateStore.Open(folder.DatabasePath);
        return work(store);
    }

    [Fact]
    public async Task A_run_writes_through_the_interfaces_in_arrays_and_a_second_run_writes_nothing()
    {
        var first = await RunAsync();

        Assert.Equal((2, 0), (first.Created, first.Failed));
        Assert.Equal(new[] { "SaveLicences", "SaveRecurringInvoices", "SaveItems" }, halo.Saves);
        Assert.Equal(2, halo.Licences.Count);
        Assert.Equal(new[] { 10m, 3m }, halo.Invoices.OrderBy(i => i.ClientId).Select(i => i.Lines!.Single().Quantity!.Value));
        Assert.Equal(2, Snapshot());

        halo.Saves.Clear();
        var stamps = SyncedAt();
        var second = await RunAsync();

        Assert.Empty(halo.Saves);
        Assert.Equal(0, second.Created + second.Updated + second.Adopted + second.DriftReverted);
        Assert.Equal(stamps, SyncedAt()); // nothing changed, so nothing was committed either
    }

    [Fact]
    public async Task A_lost_answer_is_read_back_and_what_landed_is_not_sent_again()
    {
        halo.LoseAnswerOf = "SaveLicences";

        var summary = await RunAsync();

        Assert.Equal(0, summary.Failed);
        Assert.Equal(2, halo.Licences.Count);
        Assert.Single(halo.Saves, s => s == "SaveLicences");
        Assert.True(halo.Reads.Count(r => r == "GetLicences") >= 2, "the licences were not read back");
        Assert.All(halo.Invoices, i => Assert.NotNull(i.Lines!.Single().LicenceLinks?.Single().LicenceId));
    }

    [Fact]
    public async Task WhatIf_reads_but_sends_and_records_nothing()
    {
        var plan = await RunAsync(whatIf: true);

        Assert.Equal(2, plan.Created);
        Assert.Empty(halo.Saves);
        Assert.Equal(0, Snapshot());
        Assert.Empty(WithStore(store => new EventLog(store).Query(new EventLogFilter())));
    }

    [Fact]
    public async Task A_client_HaloPSA_refuses_fails_alone_and_its_state_does_not_move()
    {
        halo.RefuseClient = 13;

        var summary = await RunAsync();

        Assert.Equal((1, 1), (summary.Created, summary.Failed));
        Assert.Single(halo.Licences, l => l.ClientId == 12);
        var state = WithStore(store => new SyncState(store).LoadSnapshot());
        Assert.Equal(12, state.Single().HaloClientId);
        var failed = Assert.Single(WithStore(store => new EventLog(store).Query(new EventLogFilter { Status = SyncEventStatus.Failed })), e => e.HaloClientId == 13);
        Assert.Contains("refused", failed.Error);
        Assert.Single(failures);
    }

    [Fact]
    public async Task A_licence_HaloPSA_refuses_fails_alone_and_the_rest_of_its_client_is_written()
    {
        var exchange = cumulus.Add(Contoso, "Contoso Ltd", 5, "MS-EXO-P1");
        halo.RefuseKey = "halosync:sub-" + cumulus.SubscriptionOf(Contoso, "MS-BP-NCE").ToString("D");

        var summary = await RunAsync();

        Assert.Equal((2, 1), (summary.Created, summary.Failed));
        Assert.DoesNotContain(halo.Licences, l => l.ExternalKey == halo.RefuseKey);
        var contoso = halo.Invoices.Single(i => i.ClientId == 12);
        Assert.EndsWith("[halosync:sub-" + exchange.ToString("D") + "]", Assert.Single(contoso.Lines!).LongDescription);
        var state = WithStore(store => new SyncState(store).LoadSnapshot());
        Assert.Equal(new[] { exchange }, state.Where(r => r.HaloClientId == 12).Select(r => r.SubscriptionId));
        Assert.Equal(SyncEventStatus.Failed, WithStore(store => new EventLog(store).Query(new EventLogFilter { Sku = "MS-BP-NCE", OrganizationId = Contoso.ToString("D") })).Single().Status);
        Assert.NotNull(WithStore(store => new MappingRepository(store).FindOrganization(Contoso.ToString("D"))!.FirstSyncedOn));
    }

    [Fact]
    public async Task With_hand_edits_checked_every_24_hours_a_run_in_between_reads_back_only_the_clients_it_changes()
    {
        WithStore(store =>
        {
            var settings = store.GetConfiguration();
            settings.HandEditCheckHours = 24;
            store.SaveConfiguration(settings);
            return true;
        });
        var start = new DateTimeOffset(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
        await RunAsync(now: start);
        halo.Licences.Single(l => l.ClientId == 12).Count = 99; // a hand edit

        halo.Reads.Clear();
        var between = await RunAsync(now: start.AddHours(6));

        Assert.Equal(new[] { "GetItems" }, halo.Reads);
        Assert.Equal(0, between.DriftReverted);
        Assert.Equal(99, halo.Licences.Single(l => l.ClientId == 12).Count);

        halo.Reads.Clear();
        var due = await RunAsync(now: start.AddHours(25));

        Assert.Contains("GetLicences", halo.Reads);
        Assert.Equal(1, due.DriftReverted);
        Assert.Equal(10, halo.Licences.Single(l => l.ClientId == 12).Count);
    }

    /// <summary>An in-memory HaloPSA: upsert by id, lines replaced as a set, and switches to lose an answer or refuse a client.</summary>
    private sealed class FakeHalo : IHaloBilling
    {
        private int nextId = 100;

        public List<HaloLicence> Licences { get; } = new();

        public List<HaloRecurringInvoice> Invoices { get; } = new();

        public List<HaloItem> Items { get; } = new()
        {
            new HaloItem { Id = 7, Name = "M365 BP", BasePrice = 30.00m, CostPrice = 0m, SupplierPartCode = "MS-BP-NCE" },
            new HaloItem { Id = 8, Name = "Exchange", BasePrice = 6.00m, CostPrice = 0m, SupplierPartCode = "MS-EXO-P1" },
        };

        public List<string> Saves { get; } = new();

        public List<string> Reads { get; } = new();

        /// <summary>The next save of this kind is carried out, then its answer is lost.</summary>
        public string? LoseAnswerOf { get; set; }

        public int? RefuseClient { get; set; }

        /// <summary>A licence with this key is refused (400) in any batch that holds it.</summary>
        public string? RefuseKey { get; set; }

        public int RequestsSent => Saves.Count + Reads.Count;

        public Task<IReadOnlyList<HaloItem>> GetItemsAsync(bool includeDetails, CancellationToken cancellationToken) => Read("GetItems", Items, _ => true);

        public Task<IReadOnlyList<HaloLicence>> GetLicencesAsync(int? clientId, bool includeInactive, CancellationToken cancellationToken)
            => Read("GetLicences", Licences, l => clientId is null || l.ClientId == clientId);

        public Task<IReadOnlyList<HaloRecurringInvoice>> GetRecurringInvoicesAsync(int? clientId, bool includeLines, CancellationToken cancellationToken)
            => Read("GetRecurringInvoices", Invoices, i => clientId is null || i.ClientId == clientId);

        /// <summary>A sync never reads real invoices; this HaloPSA has none.</summary>
        public Task<IReadOnlyList<HaloInvoice>> GetInvoicesAsync(IReadOnlyCollection<int> clientIds, DateTime from, DateTime to, CancellationToken cancellationToken)
            => Read("GetInvoices", new List<HaloInvoice>(), _ => true);

        public Task<IReadOnlyList<HaloLicence>> SaveLicencesAsync(IEnumerable<HaloLicence> licences, CancellationToken cancellationToken)
            => Save("SaveLicences", Refusing(licences.ToList()), l => l.ClientId ?? Licences.Single(x => x.Id == l.Id).ClientId, l =>
            {
                var row = Licences.SingleOrDefault(x => x.Id == l.Id) ?? Add(Licences, new HaloLicence { Id = ++nextId });
                Merge(l, row);
                return row;
            });

        public Task<IReadOnlyList<HaloRecurringInvoice>> SaveRecurringInvoicesAsync(IEnumerable<HaloRecurringInvoice> invoices, CancellationToken cancellationToken)
            => Save("SaveRecurringInvoices", invoices.ToList(), i => i.ClientId, i =>
            {
                var row = Invoices.SingleOrDefault(x => x.Id == i.Id) ?? Add(Invoices, new HaloRecurringInvoice { Id = -(++nextId), ClientId = i.ClientId, Reference = i.Reference });
                row.Lines = i.Lines!.Select(l => Copy(l)).ToList();
                foreach (var line in row.Lines.Where(l => l.Id == 0))
                {
                    line.Id = ++nextId;
                }

                return row;
            });

        public Task<IReadOnlyList<HaloItem>> SaveItemsAsync(IEnumerable<HaloItem> items, CancellationToken cancellationToken)
            => Save("SaveItems", items.ToList(), _ => null, i =>
            {
                var row = Items.Single(x => x.Id == i.Id);
                Merge(i, row);
                return row;
            });

        private List<HaloLicence> Refusing(List<HaloLicence> licences)
            => RefuseKey is not null && licences.Any(l => l.ExternalKey == RefuseKey)
                ? throw new HaloSyncException("HttpBadRequest", HaloSyncErrorKind.InvalidData, $"HaloPSA refused the licence {RefuseKey}.")
                : licences;

        private Task<IReadOnlyList<T>> Read<T>(string name, List<T> rows, Func<T, bool> filter)
        {
            Reads.Add(name);
            return Task.FromResult<IReadOnlyList<T>>(rows.Where(filter).Select(Copy).ToList());
        }

        private Task<IReadOnlyList<T>> Save<T>(string name, List<T> records, Func<T, int?> clientOf, Func<T, T> apply)
        {
            Saves.Add(name);
            if (RefuseClient is { } refused && records.Any(r => clientOf(r) == refused))
            {
                throw new HaloSyncException("HttpBadRequest", HaloSyncErrorKind.InvalidData, $"HaloPSA refused client {refused}.");
            }

            var saved = records.Select(apply).Select(Copy).ToList();
            if (LoseAnswerOf == name)
            {
                LoseAnswerOf = null;
                throw new HttpOutcomeUnknownException("HaloPSA", "POST", "/api/" + name, "the connection was dropped", HaloSyncErrorKind.ConnectionError);
            }

            return Task.FromResult<IReadOnlyList<T>>(saved);
        }

        private static T Add<T>(List<T> rows, T row)
        {
            rows.Add(row);
            return row;
        }

        private static T Copy<T>(T value) => HaloJsonSerializer.Deserialize<T>(HaloJsonSerializer.Serialize(value!));

        /// <summary>A partial update: only the fields sent (not null) change.</summary>
        private static void Merge<T>(T patch, T row)
        {
            foreach (var property in typeof(T).GetProperties().Where(p => p.CanWrite && p.Name != "Id"))
            {
                if (property.GetValue(patch) is { } value)
                {
                    property.SetValue(row, value);
                }
            }
        }
    }

    private sealed class FakeCumulus : ICumulusReader
    {
        private readonly List<(CumulusCustomer Customer, CumulusSubscription Subscription)> accounts = new();

        public Guid Add(Guid customer, string name, int seats, string sku = "MS-BP-NCE")
        {
            var id = Guid.NewGuid();
            accounts.Add((new CumulusCustomer { Id = customer, DisplayName = name }, new CumulusSubscription(customer,
                new SubscriptionDetails { Id = id, Sku = sku, ProductName = sku, Quantity = seats, PurchaseDate = new DateTime(2026, 3, 4) },
                new SubscriptionPricingInformation { BillingCycle = SubscriptionBillingCycle.Monthly, Fees = new SubscriptionFees { RecurringFee = 21.00m, Currency = "USD" } })));
            return id;
        }

        public Guid SubscriptionOf(Guid customer, string sku) => accounts.Single(a => a.Customer.Id == customer && a.Subscription.Sku == sku).Subscription.Id;

        public Task<IReadOnlyList<CumulusCustomer>> GetCustomersAsync(CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<CumulusCustomer>>(accounts.Select(a => a.Customer).GroupBy(c => c.Id).Select(g => g.First()).ToList());

        public Task<IReadOnlyList<CumulusSubscription>> GetSubscriptionsAsync(Guid customerId, CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<CumulusSubscription>>(accounts.Where(a => a.Customer.Id == customerId).Select(a => a.Subscription).ToList());

        public Task<PayableCharges> GetPayableChargesAsync(DateTime date, CancellationToken cancellationToken)
            => Task.FromResult(new PayableCharges
            {
                PeriodFrom = new DateTime(2026, 11, 15),
                PeriodTo = new DateTime(2026, 12, 14),
                Charges = accounts.Select(a => new PayableCharge
                {
                    Sku = a.Subscription.Sku, ProductName = a.Subscription.ProductName, ChargeType = ChargeType.Recurring, BillingCycleType = BillingCycleType.Monthly,
                    Quantity = a.Subscription.Quantity, ListPrice = 24.00m, NetPrice = 19.80m, PeriodFrom = new DateTime(2026, 11, 15), PeriodTo = new DateTime(2026, 12, 14),
                    Deductions = new[] { new ChargeDeduction { DeductionType = DeductionType.PerformancePercentage, UnitValue = 2.20m } },
                    Tags = new[] { new ChargeTag { Name = ChargeAttribution.DefaultCustomerIdTag, Value = a.Customer.Id.ToString("D") } },
                }).ToList(),
            });
    }
}
