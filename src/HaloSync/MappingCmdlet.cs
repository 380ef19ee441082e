using System;
using System.Collections.Generic;
using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;

namespace HaloSync;

/// <summary>
/// Base of the mapping cmdlets: one state database and at most one HaloPSA catalogue read per run, however
/// many rows are piped in, and a non-terminating error per bad row that names the row, so the good rows still map.
/// </summary>
public abstract class MappingCmdlet : HaloSyncCmdlet
{
    /// <summary>The HaloPSA catalogue is re-read when older than this, or with -Refresh.</summary>
    internal static readonly TimeSpan CatalogMaxAge = TimeSpan.FromMinutes(5);

    private StateStore? store;
    private IReadOnlyList<HaloItem>? items;
    private IReadOnlyList<HaloClient>? clients;
    private int row;

    protected StateStore Store => store ??= CallEngine(() => StateStore.Open(ResolvedStatePath), ResolvedStatePath);

    protected MappingRepository Mappings => new(Store);

    /// <summary>Set by cmdlets that offer -Refresh: read the HaloPSA catalogue even if the cached copy is recent.</summary>
    protected bool RefreshCatalog { get; set; }

    protected IReadOnlyList<HaloItem> HaloItems
        => items ??= LoadCatalog(c => c.ItemsRefreshedAt(), c => c.GetItems(), (client, token) => client.GetItemsAsync(true, token),
            (c, read) => c.ReplaceItems(read, DateTimeOffset.UtcNow), "items");

    protected IReadOnlyList<HaloClient> HaloClients
        => clients ??= LoadCatalog(c => c.ClientsRefreshedAt(), c => c.GetClients(), (client, token) => client.GetClientsAsync(false, null, token),
            (c, read) => c.ReplaceClients(read, DateTimeOffset.UtcNow), "clients");

    protected sealed override void ProcessRecord()
    {
        row++;
        try
        {
            ProcessRow();
        }
        catch (HaloSyncException ex)
        {
            var located = MyInvocation.ExpectingInput ? new HaloSyncException(ex.ErrorId, ex.Kind, $"Row {row}: {ex.Message}", ex) : ex;
            WriteEngineError(located, RowTarget);
        }
    }

    protected abstract void ProcessRow();

    /// <summary>What a row's error is about (its SKU or organization), for the error record's target.</summary>
    protected abstract object? RowTarget { get; }

    protected override void EndProcessing() => store?.Dispose();

    private IReadOnlyList<T> LoadCatalog<T>(Func<HaloCatalogCache, DateTimeOffset?> refreshedAt, Func<HaloCatalogCache, List<T>> cached,
        Func<HaloPsaClient, System.Threading.CancellationToken, System.Threading.Tasks.Task<IReadOnlyList<T>>> read,
        Action<HaloCatalogCache, IReadOnlyList<T>> replace, string what)
    {
        var cache = new HaloCatalogCache(Store);
        var lastRead = CallEngine(() => refreshedAt(cache), Store.Path);
        if (!RefreshCatalog && lastRead is { } at && DateTimeOffset.UtcNow - at < CatalogMaxAge)
        {
            return CallEngine(() => cached(cache), Store.Path);
        }

        var connection = ModuleSession.Current.HaloPsa;
        if (connection is null)
        {
            if (lastRead is not null && !RefreshCatalog)
            {
                WriteWarning($"Not connected to HaloPSA: checking against the HaloPSA {what} read {lastRead.Value.ToLocalTime():g}. Run Connect-HaloPsa to check against current data.");
                return CallEngine(() => cached(cache), Store.Path);
            }

            var why = RefreshCatalog
                ? $"-Refresh reads the HaloPSA {what} again, which needs a connection."
                : $"HaloSync needs the HaloPSA {what} to check mappings against and has none cached.";
            ThrowEngineError(new HaloSyncException("HaloPsaNotConnected", HaloSyncErrorKind.InvalidOperation,
                why + " Run Connect-HaloPsa -Site <url> -Credential <client id and secret> first."), null);
        }

        var fresh = RunEngine(token => read(connection!.Client, token));
        CallEngine(() =>
        {
            replace(cache, fresh);
            return true;
        }, Store.Path);
        WriteVerbose($"Read {fresh.Count} HaloPSA {what}.");
        return fresh;
    }
}
