using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Http;

namespace HaloSync.Engine.HaloPsa;

/// <summary>
/// Talks to one HaloPSA tenant: paced, retried, with a refreshed bearer token. Reads follow every page;
/// writes send arrays of records (upsert by id, only set fields change).
/// </summary>
public sealed class HaloPsaClient : IHaloBilling, Migration.IHaloCutoverClient, IDisposable
{
    private const string Service = "HaloPSA";

    /// <summary>Clients named in one invoice read (client_ids), which keeps its address short.</summary>
    private const int InvoiceClientsPerRead = 100;

    private readonly HttpClient httpClient;
    private readonly ResilientHttpTransport transport;
    private readonly AuthorizedSender sender;
    private readonly HaloAuthenticator authenticator;
    private readonly HaloPsaClientOptions options;

    private HaloPsaClient(HaloPsaCredentials credentials, HaloPsaClientOptions options)
    {
        this.options = options;
        Site = HaloSiteAddress.Normalize(credentials.Site);
        ClientId = credentials.ClientId;
        httpClient = ApiHttpHandler.CreateClient(options.MessageHandler, disposeHandler: false);
        Pacer = options.Pacer ?? new RequestPacer(options.MaxRequestsPerWindow, options.RateWindow, options.Clock, options.Delay);
        var transportOptions = new ResilientHttpOptions
        {
            ServiceName = Service,
            MaxAttempts = options.MaxAttempts,
            BaseDelay = options.BaseDelay,
            MaxDelay = options.MaxDelay,
            RateLimitBudget = options.RateLimitBudget,
            RequestTimeout = options.RequestTimeout,
            Delay = options.Delay,
            Clock = options.Clock,
            Verbose = options.Verbose,
            Pacer = Pacer,
        };
        if (options.Jitter is not null)
        {
            transportOptions.Jitter = options.Jitter;
        }

        transport = new ResilientHttpTransport(httpClient, transportOptions);
        authenticator = new HaloAuthenticator(transport, Site, credentials, options.Clock);
        sender = new AuthorizedSender(transport, new OAuthTokenCache(authenticator.RequestTokenAsync, options.Clock, options.TokenRefreshMargin));
    }

    /// <summary>The HaloPSA web address, e.g. https://contoso.halopsa.com/.</summary>
    public Uri Site { get; }

    public string ClientId { get; }

    public string? Tenant => authenticator.Tenant;

    public Uri? TokenEndpoint => authenticator.TokenEndpoint;

    /// <summary>Keeps this client's requests within HaloPSA's rate window; pass it on to share that window.</summary>
    public RequestPacer Pacer { get; }

    /// <summary>Requests sent to HaloPSA so far, token requests and retries included ("HaloPSA requests used").</summary>
    public int RequestsSent => transport.RequestsSent;

    /// <summary>Discovers the authorisation server, gets a token and checks read access to clients, items, recurring invoices and licences.</summary>
    public static async Task<HaloPsaClient> ConnectAsync(HaloPsaCredentials credentials, HaloPsaClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var client = Create(credentials, options);
        try
        {
            await client.authenticator.DiscoverAsync(cancellationToken).ConfigureAwait(false);
            await client.sender.Tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            await client.VerifyAccessAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A client that connects lazily on its first request, without the access check.</summary>
    public static HaloPsaClient Create(HaloPsaCredentials credentials, HaloPsaClientOptions? options = null) =>
        new(credentials, options ?? new HaloPsaClientOptions());

    /// <summary>Reads one row of each entity HaloSync needs and names every read permission that is missing.</summary>
    public async Task VerifyAccessAsync(CancellationToken cancellationToken)
    {
        var probes = new[]
        {
            ("Client", HaloPermission.ReadCustomers),
            ("Item", HaloPermission.ReadItems),
            ("RecurringInvoice", HaloPermission.ReadInvoices),
            ("SoftwareLicence", HaloPermission.ReadSoftwareLicensing),
        };
        var missing = new List<HaloPermission>();
        foreach (var (resource, permission) in probes)
        {
            using var response = await sender.SendAsync(() => Request(HttpMethod.Get, $"api/{resource}?pageinate=true&page_size=1&page_no=1"), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                missing.Add(permission);
            }
            else if (response.StatusCode == HttpStatusCode.NotFound || (response.IsSuccessStatusCode && !LooksLikeJson(body)))
            {
                throw authenticator.NotAHaloSite();
            }
            else if (!response.IsSuccessStatusCode)
            {
                throw Failure(response, body, permission, permission.What);
            }
        }

        if (missing.Count > 0)
        {
            throw PermissionMissing(missing);
        }
    }

    public async Task<IReadOnlyList<HaloClient>> GetClientsAsync(bool includeInactive = false, string? search = null, CancellationToken cancellationToken = default) =>
        await GetAllAsync<HaloClient>("Client", "clients", Filters(("includeinactive", includeInactive ? "true" : null), ("search", search)),
            HaloPermission.ReadCustomers, c => c.Id, cancellationToken).ConfigureAwait(false);

    /// <param name="includeDetails">Asks for item_suppliers (supplier SKUs) too.</param>
    public async Task<IReadOnlyList<HaloItem>> GetItemsAsync(bool includeDetails = true, CancellationToken cancellationToken = default) =>
        await GetAllAsync<HaloItem>("Item", "items", Filters(("includedetails", includeDetails ? "true" : null)), HaloPermission.ReadItems, i => i.Id, cancellationToken).ConfigureAwait(false);

    public Task<HaloItem> GetItemAsync(int id, CancellationToken cancellationToken = default) =>
        GetOneAsync<HaloItem>($"api/Item/{Id(id)}?includedetails=true", HaloPermission.ReadItems, cancellationToken);

    public async Task<IReadOnlyList<HaloLicence>> GetLicencesAsync(int? clientId = null, bool includeInactive = false, CancellationToken cancellationToken = default) =>
        await GetAllAsync<HaloLicence>("SoftwareLicence", "licences",
            Filters(("client_id", clientId is null ? null : Id(clientId.Value)), ("includeinactive", includeInactive ? "true" : null)),
            HaloPermission.ReadSoftwareLicensing, l => l.Id, cancellationToken).ConfigureAwait(false);

    public Task<HaloLicence> GetLicenceAsync(int id, CancellationToken cancellationToken = default) =>
        GetOneAsync<HaloLicence>($"api/SoftwareLicence/{Id(id)}", HaloPermission.ReadSoftwareLicensing, cancellationToken);

    public async Task<IReadOnlyList<HaloRecurringInvoice>> GetRecurringInvoicesAsync(int? clientId = null, bool includeLines = true, CancellationToken cancellationToken = default) =>
        await GetAllAsync<HaloRecurringInvoice>("RecurringInvoice", "invoices",
            Filters(("client_id", clientId is null ? null : Id(clientId.Value)), ("includelines", includeLines ? "true" : null)),
            HaloPermission.ReadInvoices, i => i.Id, cancellationToken).ConfigureAwait(false);

    public Task<HaloRecurringInvoice> GetRecurringInvoiceAsync(int id, CancellationToken cancellationToken = default) =>
        GetOneAsync<HaloRecurringInvoice>($"api/RecurringInvoice/{Id(id)}", HaloPermission.ReadInvoices, cancellationToken);

    /// <summary>
    /// The real invoices of these clients dated from <paramref name="from"/> to <paramref name="to"/>, with their lines: one
    /// paged read per <see cref="InvoiceClientsPerRead"/> clients. The date filters' meaning is not documented (Halo's
    /// OpenAPI types them as booleans), so the dates are checked here too: a tenant that ignores them costs more pages,
    /// and one that refuses them (400) is read without them, never a wrong answer.
    /// </summary>
    public async Task<IReadOnlyList<HaloInvoice>> GetInvoicesAsync(IReadOnlyCollection<int> clientIds, DateTime from, DateTime to, CancellationToken cancellationToken = default)
    {
        var invoices = new List<HaloInvoice>();
        var dateFilters = true;
        foreach (var batch in clientIds.Distinct().Select((id, index) => (id, index)).GroupBy(x => x.index / InvoiceClientsPerRead, x => x.id))
        {
            Task<List<HaloInvoice>> ReadAsync() => GetAllAsync<HaloInvoice>("Invoice", "invoices",
                Filters(("client_ids", string.Join(",", batch.Select(Id))), ("invoicedatestart", dateFilters ? Day(from) : null),
                    ("invoicedateend", dateFilters ? Day(to) : null), ("includelines", "true")),
                HaloPermission.ReadInvoices, i => i.Id, cancellationToken);
            List<HaloInvoice> read;
            try
            {
                read = await ReadAsync().ConfigureAwait(false);
            }
            catch (HaloSyncException ex) when (dateFilters && ex.ErrorId == "HttpBadRequest")
            {
                options.Verbose?.Invoke("HaloPSA refused the invoice date filters (400); reading the clients' invoices without them and checking their dates here.");
                dateFilters = false;
                read = await ReadAsync().ConfigureAwait(false);
            }

            invoices.AddRange(read.Where(i => i.InvoiceDate?.Date >= from.Date && i.InvoiceDate?.Date <= to.Date));
        }

        return invoices;
    }

    /// <summary>Creates (id 0) or updates licences, up to <see cref="HaloPsaClientOptions.SaveBatchSize"/> per request.</summary>
    public Task<IReadOnlyList<HaloLicence>> SaveLicencesAsync(IEnumerable<HaloLicence> licences, CancellationToken cancellationToken = default) =>
        SaveInBatchesAsync("SoftwareLicence", licences, HaloPermission.EditSoftwareLicensing, cancellationToken);

    /// <summary>Updates items (e.g. cost price), up to <see cref="HaloPsaClientOptions.SaveBatchSize"/> per request.</summary>
    public Task<IReadOnlyList<HaloItem>> SaveItemsAsync(IEnumerable<HaloItem> items, CancellationToken cancellationToken = default) =>
        SaveInBatchesAsync("Item", items, HaloPermission.EditItems, cancellationToken);

    /// <summary>
    /// Creates or updates one recurring invoice in a single request. When <see cref="HaloRecurringInvoice.Lines"/> is set it
    /// must hold every line to keep: lines with an id are updated, lines without one are created, and the rest are deleted.
    /// </summary>
    public async Task<HaloRecurringInvoice> SaveRecurringInvoiceAsync(HaloRecurringInvoice invoice, CancellationToken cancellationToken = default)
    {
        var saved = await PostAsync<HaloRecurringInvoice>("api/RecurringInvoice", new[] { invoice }, HaloPermission.EditInvoices, cancellationToken).ConfigureAwait(false);
        return saved.Single();
    }

    /// <summary>Creates or updates recurring invoices (each with its whole set of lines), up to <see cref="HaloPsaClientOptions.SaveBatchSize"/> per request.</summary>
    public Task<IReadOnlyList<HaloRecurringInvoice>> SaveRecurringInvoicesAsync(IEnumerable<HaloRecurringInvoice> invoices, CancellationToken cancellationToken = default) =>
        SaveInBatchesAsync("RecurringInvoice", invoices, HaloPermission.EditInvoices, cancellationToken);

    public Task DeleteLicenceAsync(int id, CancellationToken cancellationToken = default) =>
        DeleteAsync($"api/SoftwareLicence/{Id(id)}", HaloPermission.EditSoftwareLicensing, cancellationToken);

    public Task DeleteRecurringInvoiceAsync(int id, CancellationToken cancellationToken = default) =>
        DeleteAsync($"api/RecurringInvoice/{Id(id)}", HaloPermission.EditInvoices, cancellationToken);

    public void Dispose() => httpClient.Dispose();

    public override string ToString() => $"HaloPSA {Site} as {ClientId}";

    /// <summary>How often a list that changed while it was read is read again before the read fails.</summary>
    public const int ListReadAttempts = 3;

    /// <summary>
    /// Reads every page: the first one says how many records there are and how many HaloPSA puts on a page (it may cap
    /// page_size), the others are then read <see cref="HaloPsaClientOptions.ConcurrentPageReads"/> at a time. Pages are
    /// read by number, so a record deleted or added meanwhile shifts the others: a record could be missed, and then looked
    /// for in vain and created again. Every page carries the count, so a list whose count moved, or that brought a record
    /// twice (its order moved), is read again, and the read fails rather than return a gap. A list without a record count
    /// (a bare array) is read page after page until a page brings no record not seen yet: its page size says nothing.
    /// </summary>
    private async Task<List<T>> GetAllAsync<T>(string resource, string listKey, string filters, HaloPermission permission, Func<T, int> idOf,
        CancellationToken cancellationToken)
    {
        async Task<(List<T> Rows, int? RecordCount)> PageAsync(int page)
        {
            using var response = await GetAsync($"api/{resource}?pageinate=true&page_size={options.PageSize}&page_no={page}{filters}", permission, cancellationToken)
                .ConfigureAwait(false);
            using var body = new System.IO.StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
            return HaloJsonSerializer.ReadPage<T>(body, listKey);
        }

        var counts = new List<int>();
        for (var read = 1; read <= ListReadAttempts; read++)
        {
            var (first, recordCount) = await PageAsync(1).ConfigureAwait(false);
            if (recordCount is null && first.Count > 0)
            {
                return await UncountedAsync(first).ConfigureAwait(false);
            }

            if (recordCount is not { } total || first.Count == 0 || first.Count >= total)
            {
                return first;
            }

            var pages = (total + first.Count - 1) / first.Count;
            var rest = new (List<T> Rows, int? RecordCount)[pages - 1];
            using var gate = new SemaphoreSlim(Math.Max(1, options.ConcurrentPageReads));
            await Task.WhenAll(Enumerable.Range(2, pages - 1).Select(async page =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    rest[page - 2] = await PageAsync(page).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
            var moved = rest.Select(p => p.RecordCount).FirstOrDefault(c => c is not null && c != total);
            var rows = first.Concat(rest.SelectMany(p => p.Rows)).ToList();
            var twice = rows.Count - rows.Select(idOf).Distinct().Count();
            if (moved is null && twice == 0)
            {
                return rows;
            }

            counts.Add(total);
            options.Verbose?.Invoke(moved is not null
                ? $"HaloPSA: the {resource} list went from {total} to {moved} records while it was read; reading it again."
                : $"HaloPSA: {twice} record(s) of the {resource} list came on two pages (the list's order moved while it was read); reading it again.");
        }

        throw new HaloSyncException("HaloPsaListChanging", HaloSyncErrorKind.ResourceUnavailable,
            $"HaloPSA's {resource} list changed while it was read, {ListReadAttempts} times running ({string.Join(", ", counts)} records at the start of each read), " +
            "so a record could have been missed; HaloSync wrote nothing based on it. Run again when the records are not being changed (a bulk edit or an import in progress?).");

        async Task<List<T>> UncountedAsync(List<T> first)
        {
            var rows = new List<T>(first);
            var seen = new HashSet<int>(first.Select(idOf));
            for (var page = 2; ; page++)
            {
                var (next, _) = await PageAsync(page).ConfigureAwait(false);
                var unseen = next.Where(r => seen.Add(idOf(r))).ToList();
                if (unseen.Count == 0)
                {
                    return rows;
                }

                rows.AddRange(unseen);
            }
        }
    }

    private async Task<T> GetOneAsync<T>(string relativeUrl, HaloPermission permission, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(relativeUrl, permission, cancellationToken).ConfigureAwait(false);
        return HaloJsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
    }

    private Task<HttpResponseMessage> GetAsync(string relativeUrl, HaloPermission permission, CancellationToken cancellationToken) =>
        SendAsync(() => Request(HttpMethod.Get, relativeUrl), permission, cancellationToken);

    /// <returns>A successful answer, its body not yet read; any other answer is thrown as a <see cref="HaloSyncException"/>.</returns>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, HaloPermission permission, CancellationToken cancellationToken,
        RetrySafety? retrySafety = null)
    {
        var response = await sender.SendAsync(createRequest, retrySafety, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw Failure(response, await response.Content.ReadAsStringAsync().ConfigureAwait(false), permission, permission.What);
        }
    }

    private async Task<IReadOnlyList<T>> SaveInBatchesAsync<T>(string resource, IEnumerable<T> records, HaloPermission permission, CancellationToken cancellationToken)
    {
        var saved = new List<T>();
        var batches = 0;
        foreach (var batch in records.Select((record, index) => (record, index)).GroupBy(x => x.index / options.SaveBatchSize, x => x.record))
        {
            try
            {
                saved.AddRange(await PostAsync<T>($"api/{resource}?returnall=true", batch.ToList(), permission, cancellationToken).ConfigureAwait(false));
                batches++;
            }
            catch (HaloSyncException ex) when (batches > 0 && ex is not HttpOutcomeUnknownException)
            {
                // The earlier batches were saved, and what HaloPSA answered for them goes with this exception: for the
                // caller the save's outcome is unknown, so it looks the records up before sending any of them again.
                throw new HttpOutcomeUnknownException(Service, "POST", $"api/{resource}",
                    $"{saved.Count} record(s) were saved by the first {batches} request(s) of this save, then a later request failed ({ex.ErrorId})", ex.Kind, ex);
            }
        }

        return saved;
    }

    private async Task<List<T>> PostAsync<T>(string relativeUrl, object payload, HaloPermission permission, CancellationToken cancellationToken)
    {
        var json = HaloJsonSerializer.Serialize(payload);
        using var response = await SendAsync(() =>
        {
            var request = Request(HttpMethod.Post, relativeUrl);
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            return request;
        }, permission, cancellationToken, RetrySafety.OnlyIfNotSent).ConfigureAwait(false);
        using var body = new System.IO.StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
        return HaloJsonSerializer.ReadSaved<T>(body);
    }

    private async Task DeleteAsync(string relativeUrl, HaloPermission permission, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => Request(HttpMethod.Delete, relativeUrl), permission, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage Request(HttpMethod method, string relativeUrl)
    {
        var request = new HttpRequestMessage(method, new Uri(Site, relativeUrl));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private HaloSyncException Failure(HttpResponseMessage response, string body, HaloPermission permission, string operation) =>
        response.StatusCode == HttpStatusCode.Forbidden
            ? PermissionMissing(new[] { permission })
            : HttpErrorMapper.ToException(Service, $"trying to {operation}", response, SecretText.Hide(body, SecretText.TokenSentWith(response)), options.Clock());

    private HaloSyncException PermissionMissing(IReadOnlyList<HaloPermission> missing)
    {
        var names = string.Join(", ", missing.Select(p => $"'{p.Privilege}' ({p.Scope}) to {p.What}"));
        var fixes = string.Join(" ", missing.Select(p => p.HowToGrant + "."));
        return new HaloSyncException("HaloPsaPermissionMissing", HaloSyncErrorKind.PermissionDenied,
            $"The HaloPSA application '{ClientId}' lacks {names}. {fixes} If you connected with -Scope, include these scopes or use 'all'. Then connect again.");
    }

    private static string Filters(params (string Name, string? Value)[] filters) =>
        string.Concat(filters.Where(f => f.Value is not null).Select(f => $"&{f.Name}={Uri.EscapeDataString(f.Value!)}"));

    private static bool LooksLikeJson(string body)
    {
        var text = body.TrimStart();
        return text.StartsWith("{", StringComparison.Ordinal) || text.StartsWith("[", StringComparison.Ordinal);
    }

    private static string Id(int id) => id.ToString(CultureInfo.InvariantCulture);

    private static string Day(DateTime date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
