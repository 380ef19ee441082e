using System;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Http;

/// <summary>
/// Holds one client-credentials token and fetches a new one shortly before it expires.
/// Concurrent callers share a single fetch.
/// </summary>
public sealed class OAuthTokenCache
{
    private readonly Func<CancellationToken, Task<AccessToken>> requestToken;
    private readonly SemaphoreSlim fetchLock = new(1, 1);
    private AccessToken? current;

    /// <param name="requestToken">Asks the authorization server for a new token.</param>
    /// <param name="refreshMargin">How long before expiry a token is replaced (default 60 s).</param>
    public OAuthTokenCache(Func<CancellationToken, Task<AccessToken>> requestToken, Func<DateTimeOffset>? clock = null, TimeSpan? refreshMargin = null)
    {
        this.requestToken = requestToken;
        Clock = clock ?? (() => DateTimeOffset.UtcNow);
        RefreshMargin = refreshMargin ?? TimeSpan.FromSeconds(60);
    }

    public Func<DateTimeOffset> Clock { get; }

    public TimeSpan RefreshMargin { get; }

    /// <summary>Tokens fetched so far.</summary>
    public int TokensIssued { get; private set; }

    public async Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = current;
        if (token is not null && IsFresh(token))
        {
            return token;
        }

        await fetchLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (current is not null && IsFresh(current))
            {
                return current;
            }

            current = await requestToken(cancellationToken).ConfigureAwait(false);
            TokensIssued++;
            return current;
        }
        finally
        {
            fetchLock.Release();
        }
    }

    /// <summary>Forgets <paramref name="rejected"/> so the next call fetches a new token (unless another caller already did).</summary>
    public void Invalidate(AccessToken rejected) => Interlocked.CompareExchange(ref current, null, rejected);

    public bool HasExpired(AccessToken token) => Clock() >= token.ExpiresAt;

    private bool IsFresh(AccessToken token) => Clock() < token.ExpiresAt - RefreshMargin;
}
