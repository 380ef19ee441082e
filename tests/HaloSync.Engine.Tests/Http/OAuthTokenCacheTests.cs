using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Http;
using HaloSync.Engine.Tests.TestSupport;

namespace HaloSync.Engine.Tests.Http;

public class OAuthTokenCacheTests
{
    private readonly ManualClock clock = new();
    private int fetches;

    private Task<AccessToken> FetchAsync(CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref fetches);
        return Task.FromResult(new AccessToken("token-" + number, clock.Now.AddHours(1)));
    }

    [Fact]
    public async Task Reuses_the_token_until_shortly_before_it_expires()
    {
        var cache = new OAuthTokenCache(FetchAsync, () => clock.Now, TimeSpan.FromSeconds(60));

        var first = await cache.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(58));
        var stillFirst = await cache.GetTokenAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var refreshed = await cache.GetTokenAsync(CancellationToken.None);

        Assert.Same(first, stillFirst);
        Assert.Equal("token-2", refreshed.Value);
        Assert.Equal(2, cache.TokensIssued);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_fetch()
    {
        var cache = new OAuthTokenCache(async ct =>
        {
            await Task.Delay(50, ct);
            return await FetchAsync(ct);
        }, () => clock.Now);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => cache.GetTokenAsync(CancellationToken.None)));

        Assert.Single(tokens.Select(t => t.Value).Distinct());
        Assert.Equal(1, fetches);
    }

    [Fact]
    public async Task Invalidating_a_rejected_token_fetches_a_new_one_once()
    {
        var cache = new OAuthTokenCache(FetchAsync, () => clock.Now);
        var rejected = await cache.GetTokenAsync(CancellationToken.None);

        cache.Invalidate(rejected);
        var replacement = await cache.GetTokenAsync(CancellationToken.None);
        cache.Invalidate(rejected);
        var same = await cache.GetTokenAsync(CancellationToken.None);

        Assert.Equal("token-2", replacement.Value);
        Assert.Same(replacement, same);
    }

    [Fact]
    public void A_token_never_shows_its_value()
    {
        var token = new AccessToken("very-secret-token", clock.Now.AddHours(1));

        Assert.DoesNotContain("very-secret-token", token.ToString());
        Assert.True(new OAuthTokenCache(FetchAsync, () => clock.Now.AddHours(2)).HasExpired(token));
    }
}
