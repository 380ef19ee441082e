using System;
using System.Collections.Generic;
using HaloSync.Engine.Configuration;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;

namespace HaloSync.Engine.Sync;

/// <summary>What a sync run keeps between runs and reads from its state: <see cref="SyncState"/> over the SQLite file is the real one.</summary>
public interface ISyncStore
{
    SyncConfiguration GetConfiguration();

    /// <summary>The exclusive right to sync this state, held until disposed; SyncAlreadyRunning when a live run holds it.</summary>
    RunLease AcquireLease(string runId, Func<DateTimeOffset> clock);

    int AbandonDeadRuns(string currentRunId, DateTimeOffset now);

    void StartRun(string runId, DateTime asOf, DateTimeOffset now);

    void FinishRun(string runId, string status, string summaryJson, DateTimeOffset now);

    void RecordSeenOrganizations(IEnumerable<KeyValuePair<string, string>> idAndName, DateTimeOffset now);

    List<OrganizationMapping> GetOrganizations();

    Dictionary<string, bool> GetChargeSyncFlags(string organizationId);

    void RecordSeenProducts(IEnumerable<KeyValuePair<string, string>> skuAndName, DateTimeOffset now);

    List<ProductMapping> GetProducts();

    void SaveProduct(ProductMapping product, DateTimeOffset now);

    void ReplaceItems(IReadOnlyCollection<HaloItem> items, DateTimeOffset now);

    /// <summary>When a run last read back every record it keeps (to notice hand edits); null before the first.</summary>
    DateTimeOffset? LastHandEditCheck();

    void SaveHandEditCheck(DateTimeOffset at);

    List<SyncedSubscription> LoadSnapshot();

    HashSet<string> LoadChargeKeys();

    /// <summary>The events that wrote a pro-rata entry on a record's line at a client, each with the invoice date that bills it.</summary>
    List<SyncEvent> LoadWrittenProRata(int clientId, string cumulusKey);

    /// <summary>The one-off charges whose lines bill on an invoice HaloPSA has not generated yet: active on or after <paramref name="asOf"/>.</summary>
    List<SyncedCharge> LoadChargesToInvoice(DateTime asOf);

    /// <summary>The organizations Sherweb last listed with no subscription while HaloSync kept some active, with the date it first did.</summary>
    Dictionary<string, DateTime> LoadListedEmpty();

    /// <summary>Records (a date) or forgets (null) that an organization was listed with no subscription.</summary>
    void SaveListedEmpty(IReadOnlyDictionary<string, DateTime?> changes);

    HaloLinks LoadLinks();

    List<SyncEvent> Unfinished();

    /// <summary>Records new events and saves the current form of earlier ones this run finishes.</summary>
    void Record(IEnumerable<SyncEvent> events);

    void SaveOutcomes(IEnumerable<SyncEvent> events);

    /// <summary>Commits what the clients' writes left in HaloPSA, and their events' outcome, in one transaction.</summary>
    void CommitClients(IReadOnlyCollection<ClientOutcome> outcomes, DateTime asOf, DateTimeOffset now);
}
