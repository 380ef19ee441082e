using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using HaloSync.Engine;
using HaloSync.Engine.HaloPsa;
using HaloSync.Engine.Mapping;
using HaloSync.Engine.State;

namespace HaloSync;

/// <summary>
/// Base of the mapping cmdlets: one state database, at most one HaloPSA catalogue read, one read of the known
/// organizations and at most one Sherweb look-up per run, however many rows are piped in, and a non-terminating
/// error per bad row that names the row, so the good rows still map.
/// </summary>
public abstract class MappingCmdlet : HaloSyncCmdlet
{
    /// <summary>The HaloPSA catalogue is re-read when older than this, or with -Refresh.</summary>
    internal static readonly TimeSpan CatalogMaxAge = TimeSpan.FromMinutes(5);

    private StateStore? store;
    private IReadOnlyList<HaloItem>? items;
    private IReadOnlyList<HaloClient>? clients;
    private OrganizationDirectory? organizations;
    private bool productsLookedUp;
    private Dictionary<string, ProductMapping>? productsSeenInPreview;
    private bool organizationsLookedUp;

    protected StateStore Store => store ??= CallEngine(() => WhatIfOnly ? StateStore.OpenExisting(ResolvedStatePath, whatIf: true) : StateStore.Open(ResolvedStatePath), ResolvedStatePath);

    protected MappingRepository Mappings => new(Store);

    /// <summary>The number of the row being processed, from 1.</summary>
    protected int Row { get; private set; }

    /// <summary>Set by cmdlets that offer -Refresh: read the HaloPSA catalogue even if the cached copy is recent.</summary>
    protected bool RefreshCatalog { get; set; }

    protected IReadOnlyList<HaloItem> HaloItems
        => items ??= LoadCatalog(c => c.ItemsRefreshedAt(), c => c.GetItems(), (client, token) => client.GetItemsAsync(true, token),
            (c, read) => c.ReplaceItems(read, DateTimeOffset.UtcNow), "items");

    protected IReadOnlyList<HaloClient> HaloClients
        => clients ??= LoadCatalog(c => c.ClientsRefreshedAt(), c => c.GetClients(), (client, token) => client.GetClientsAsync(false, null, token),
            (c, read) => c.ReplaceClients(read, DateTimeOffset.UtcNow), "clients");

    /// <summary>The known organizations, read from the state database once per run and kept current as rows are saved.</summary>
    protected OrganizationDirectory Organizations
    {
        get
        {
            if (organizations is null)
            {
                organizations = new OrganizationDirectory(CallEngine(() => Mappings.GetOrganizations(), Store.Path));
                WriteVerbose($"Read {organizations.All.Count} known organization(s) from the state database {Store.Path}.");
            }

            return organizations;
        }
    }

    protected sealed override void ProcessRecord()
    {
        Row++;
        if (!AcceptRow())
        {
            return;
        }

        try
        {
            ProcessRow();
        }
        catch (HaloSyncException ex)
        {
            var row = MyInvocation.ExpectingInput ? $"Row {Row}: " : string.Empty;
            var hint = ex.Message.IndexOf(LostCharacter) >= 0 ? LostCharacterHint : string.Empty;
            var located = row.Length + hint.Length > 0 ? new HaloSyncException(ex.ErrorId, ex.Kind, row + ex.Message + hint, ex) : ex;
            WriteEngineError(located, RowTarget);
        }
    }

    // What .NET reads in place of a character the file's encoding does not match (Excel's plain CSV is the ANSI code page).
    private const char LostCharacter = '\uFFFD';

    private const string LostCharacterHint = " The value holds '\uFFFD', a character lost because the file was read in another " +
        "encoding than it was saved in: save the spreadsheet as \"CSV UTF-8\", or read it with Import-Csv -Encoding Default " +
        "(Windows PowerShell 5.1) or -Encoding ansi (PowerShell 7).";

    /// <summary>Whether the row can be processed at all; a row refused here is reported by the cmdlet, not as a row error.</summary>
    protected virtual bool AcceptRow() => true;

    protected abstract void ProcessRow();

    /// <summary>What a row's error is about (its SKU or organization), for the error record's target.</summary>
    protected abstract object? RowTarget { get; }

    protected override void EndProcessing() => store?.Dispose();

    /// <summary>
    /// A product by SKU. One not seen yet is looked up in Sherweb, once per run (the payable charges of the period name
    /// every SKU billed to any customer), so a spreadsheet made in advance maps right after Connect-Cumulus.
    /// </summary>
    protected ProductMapping KnownProduct(string sku)
    {
        if (!string.IsNullOrWhiteSpace(sku) && Mappings.FindProduct(sku) is { } known)
        {
            return known;
        }

        if (!string.IsNullOrWhiteSpace(sku) && !productsLookedUp && ModuleSession.Current.Cumulus is { } cumulus)
        {
            productsLookedUp = true;
            var today = CallEngine(() => Store.GetConfiguration().Today(DateTimeOffset.UtcNow), Store.Path);
            var payable = RunEngine(token => cumulus.Client.GetPayableChargesAsync(today, token));
            if (WhatIfOnly)
            {
                // -WhatIf saves nothing, not even a newly seen SKU: the products a real run would record, in memory, for every row.
                productsSeenInPreview = MappingRepository.ProductsNamedBy(payable).ToDictionary(p => p.Key, p => new ProductMapping
                {
                    Sku = p.Key, ProductName = p.Value, FirstSeen = DateTimeOffset.UtcNow, LastSeen = DateTimeOffset.UtcNow,
                }, StringComparer.OrdinalIgnoreCase);
            }
            else
            {
                var count = CallEngine(() => Mappings.RecordSeenProducts(payable, DateTimeOffset.UtcNow), Store.Path);
                WriteVerbose($"'{sku.Trim()}' was not known: looked the SKUs up in Sherweb ({count} billed this period).");
            }
        }

        if (!string.IsNullOrWhiteSpace(sku) && productsSeenInPreview is not null && productsSeenInPreview.TryGetValue(sku.Trim(), out var previewed))
        {
            return previewed;
        }

        return Mappings.FindKnownProduct(sku, productsLookedUp || ModuleSession.Current.Cumulus is not null);
    }

    /// <summary>
    /// An organization by id, name or a wildcard matching one. One not known yet is looked up in Sherweb, once per run,
    /// so a spreadsheet made in advance maps right after Connect-Cumulus.
    /// </summary>
    protected OrganizationMapping KnownOrganization(string idOrName)
    {
        var wildcard = WildcardFilter.Pattern(idOrName);
        if (!string.IsNullOrWhiteSpace(idOrName) && Organizations.Select(idOrName, wildcard).Count == 0 && !organizationsLookedUp
            && ModuleSession.Current.Cumulus is { } cumulus)
        {
            organizationsLookedUp = true;
            var customers = RunEngine(token => cumulus.Client.GetCustomersAsync(token));
            if (WhatIfOnly)
            {
                // -WhatIf saves nothing: the organizations a real run would record join the known ones in memory.
                var known = new HashSet<string>(Organizations.All.Select(o => o.OrganizationId), StringComparer.OrdinalIgnoreCase);
                organizations = new OrganizationDirectory(Organizations.All.Concat(customers.Where(c => !known.Contains(c.Id.ToString("D")))
                    .Select(OrganizationMapping.Of)).ToList());
            }
            else
            {
                CallEngine(() =>
                {
                    Mappings.RecordSeenOrganizations(customers, DateTimeOffset.UtcNow);
                    return true;
                }, Store.Path);
                organizations = null;
            }

            WriteVerbose($"'{idOrName.Trim()}' was not known: read the {customers.Count} organization(s) Sherweb lists.");
        }

        return Organizations.Find(idOrName, wildcard, connected: organizationsLookedUp || ModuleSession.Current.Cumulus is not null);
    }

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
        if (!WhatIfOnly)
        {
            CallEngine(() =>
            {
                replace(cache, fresh);
                return true;
            }, Store.Path);
        }

        WriteVerbose($"Read {fresh.Count} HaloPSA {what}.");
        return fresh;
    }
}
