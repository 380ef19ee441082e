using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Http;

/// <summary>
/// Adds the bearer token to every request and, when the server rejects the token, fetches a new one and
/// sends once more. Rejection means 401, or a 400 that arrives once the token's expiry time has passed
/// (HaloPSA sometimes answers an expired token with 400). A request that may be sent only if never sent
/// (<see cref="RetrySafety.OnlyIfNotSent"/>) is not sent again: its outcome is unknown to the caller.
/// </summary>
public sealed class AuthorizedSender
{
    private readonly ResilientHttpTransport transport;
    private readonly OAuthTokenCache tokens;

    public AuthorizedSender(ResilientHttpTransport transport, OAuthTokenCache tokens)
    {
        this.transport = transport;
        this.tokens = tokens;
    }

    public ResilientHttpTransport Transport => transport;

    public OAuthTokenCache Tokens => tokens;

    public Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken) =>
        SendAsync(createRequest, retrySafety: null, cancellationToken);

    /// <param name="retrySafety">Overrides the retry safety implied by the method (see <see cref="ResilientHttpTransport"/>).</param>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, RetrySafety? retrySafety, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await SendWithTokenAsync(createRequest, token, retrySafety, cancellationToken).ConfigureAwait(false);
        if (!IsTokenRejection(response, token))
        {
            return response;
        }

        var (method, path) = (response.RequestMessage?.Method.Method ?? "the request", SafeUrl.Describe(response.RequestMessage?.RequestUri));
        response.Dispose();
        tokens.Invalidate(token);
        if (retrySafety == RetrySafety.OnlyIfNotSent)
        {
            throw new HttpOutcomeUnknownException(transport.Options.ServiceName, method, path,
                "its access token was rejected (a new one is fetched for what follows)", HaloSyncErrorKind.Authentication);
        }

        transport.Options.Verbose?.Invoke($"{transport.Options.ServiceName}: the access token was rejected; getting a new one and sending once more.");
        var freshToken = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return await SendWithTokenAsync(createRequest, freshToken, retrySafety, cancellationToken).ConfigureAwait(false);
    }

    private bool IsTokenRejection(HttpResponseMessage response, AccessToken token) =>
        response.StatusCode == HttpStatusCode.Unauthorized
        || (response.StatusCode == HttpStatusCode.BadRequest && tokens.HasExpired(token));

    private Task<HttpResponseMessage> SendWithTokenAsync(Func<HttpRequestMessage> createRequest, AccessToken token, RetrySafety? retrySafety, CancellationToken cancellationToken) =>
        transport.SendAsync(() =>
        {
            var request = createRequest();
            request.Headers.Authorization = new AuthenticationHeaderValue(token.TokenType, token.Value);
            return request;
        }, retrySafety, cancellationToken);
}
