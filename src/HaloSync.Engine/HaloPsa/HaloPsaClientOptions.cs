using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Http;

namespace HaloSync.Engine.HaloPsa;

public sealed class HaloPsaClientOptions
{
    /// <summary>Client-side pacing; HaloPSA hosted allows 300 requests per rolling 5 minutes.</summary>
    public int MaxRequestsPerWindow { get; set; } = 300;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Another client's pacer to share, for clients of the same HaloPSA application (HaloPSA counts their requests
    /// together); null for a new one from <see cref="MaxRequestsPerWindow"/> and <see cref="RateWindow"/>.
    /// </summary>
    public RequestPacer? Pacer { get; set; }

    public int MaxAttempts { get; set; } = 8;

    /// <summary>First back-off; HaloPSA's rolling window frees up slowly, so it starts at 5 s.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest total wait on 429 answers for one request; within it a 429 does not use up an attempt.</summary>
    public TimeSpan RateLimitBudget { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Rows asked for per page; HaloPSA may return fewer, which paging copes with.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Pages of one list read at the same time, once the first page has said how many there are.</summary>
    public int ConcurrentPageReads { get; set; } = 4;

    /// <summary>Records per POST when saving licences or items.</summary>
    public int SaveBatchSize { get; set; } = 100;

    /// <summary>Refresh the token this long before it expires.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromSeconds(60);

    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    public Func<double>? Jitter { get; set; }

    public Action<string>? Verbose { get; set; }

    /// <summary>Replaces the default handler (proxies, tests). The client does not dispose it.</summary>
    public HttpMessageHandler? MessageHandler { get; set; }
}
