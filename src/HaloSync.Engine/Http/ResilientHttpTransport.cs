using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Http;

/// <summary>
/// Sends requests with pacing, per-attempt timeouts and retries with exponential back-off and jitter.
/// Reads (GET...) are retried on 429, 5xx, timeouts and dropped connections. Writes (POST, DELETE, PATCH, PUT)
/// are retried only when the server cannot have acted on them (429, connection refused; for
/// <see cref="RetrySafety.OnlyIfNotSent"/>, a refused connection only, a 429 being waited out first); after any other failure
/// (5xx including 502, 503 and 504, a timeout, a dropped connection) they fail with
/// <see cref="HttpOutcomeUnknownException"/>, for the caller to look the record up before sending anything again.
/// 429s that ask for a bearable wait do not use up attempts while their waits fit in
/// <see cref="ResilientHttpOptions.RateLimitBudget"/>; once a wait beyond it is known, nothing more is sent until it is over.
/// Returns the final answer (success or not); callers map failures with <see cref="HttpErrorMapper"/>.
/// The HttpClient's own Timeout should be infinite: the transport applies <see cref="ResilientHttpOptions.RequestTimeout"/>.
/// </summary>
public sealed class ResilientHttpTransport
{
    private readonly HttpClient httpClient;
    private readonly object blockGate = new();
    private int requestsSent;
    private DateTimeOffset blockedUntil = DateTimeOffset.MinValue;
    private string? blockReason;

    public ResilientHttpTransport(HttpClient httpClient, ResilientHttpOptions? options = null)
    {
        this.httpClient = httpClient;
        Options = options ?? new ResilientHttpOptions();
    }

    public ResilientHttpOptions Options { get; }

    /// <summary>Requests actually put on the wire, retries included.</summary>
    public int RequestsSent => Volatile.Read(ref requestsSent);

    /// <summary>Sends the request; retry safety follows from its method.</summary>
    public Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken) =>
        SendAsync(createRequest, retrySafety: null, cancellationToken);

    /// <param name="createRequest">Builds a fresh request for every attempt (a sent HttpRequestMessage cannot be reused).</param>
    /// <param name="retrySafety">Overrides the method's retry safety, e.g. an OAuth token POST is safe to repeat.</param>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, RetrySafety? retrySafety, CancellationToken cancellationToken)
    {
        var rateLimitWaited = TimeSpan.Zero;
        var attempt = 0; // tries that failed for a reason other than rate limiting; MaxAttempts bounds them
        for (var send = 1; ; send++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var request = createRequest();
            var safety = retrySafety ?? RetrySafetyOf(request.Method);
            var canRepeat = safety == RetrySafety.Idempotent;
            var description = $"{request.Method.Method} {SafeUrl.Describe(request.RequestUri)}";

            AttemptOutcome outcome;
            using (await WaitForPacerAsync(cancellationToken).ConfigureAwait(false))
            {
                ThrowIfBlocked(request);
                outcome = await SendOnceAsync(request, description, send, cancellationToken).ConfigureAwait(false);
            }

            if (outcome.Response is { } response)
            {
                var status = (int)response.StatusCode;
                if (status < 500 && status != 429)
                {
                    return response;
                }

                if (status != 429 && !canRepeat)
                {
                    response.Dispose();
                    if (safety == RetrySafety.OnlyIfNotSent && status is 502 or 504)
                    {
                        // A gateway's own timeout, or its lost connection upstream: HaloPSA behind it may still be carrying the save out.
                        await WaitForLostWriteAsync(description, $"the gateway answered {status}", cancellationToken).ConfigureAwait(false);
                    }

                    throw new HttpOutcomeUnknownException(Options.ServiceName, request.Method.Method, SafeUrl.Describe(request.RequestUri),
                        $"it answered {status}", HaloSyncErrorKind.ResourceUnavailable);
                }

                var body = response.Content is null ? null : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                var serverWait = RetryAfterParser.Parse(response, body, Options.Clock());
                var wait = serverWait ?? Backoff(send);
                string tally;
                if (status == 429)
                {
                    if (serverWait > Options.MaxRetryAfter || rateLimitWaited + wait > Options.RateLimitBudget)
                    {
                        // Waiting that long is beyond this run: stop sending rather than spend more requests on a closed door.
                        Block(wait, status);
                        return response;
                    }

                    // A rate limit is a reason to wait, not a failure: it does not use up an attempt while the budget lasts.
                    rateLimitWaited += wait;
                    tally = $"rate-limited, {Seconds(rateLimitWaited)} of {Seconds(Options.RateLimitBudget)} waited";
                    if (safety == RetrySafety.OnlyIfNotSent)
                    {
                        response.Dispose();
                        Log($"{description} answered 429 ({tally}); waiting {Seconds(wait)}, then its records are looked up before anything is sent again.");
                        await Options.Delay(wait, cancellationToken).ConfigureAwait(false);
                        throw new HttpOutcomeUnknownException(Options.ServiceName, request.Method.Method, SafeUrl.Describe(request.RequestUri),
                            "it answered 429 (rate limited)", HaloSyncErrorKind.RateLimited);
                    }
                }
                else
                {
                    if (++attempt >= Options.MaxAttempts)
                    {
                        return response;
                    }

                    tally = $"attempt {attempt}/{Options.MaxAttempts}";
                }

                response.Dispose();
                Log($"{description} answered {status} ({tally}); waiting {Seconds(wait)}{(serverWait is null ? string.Empty : " as the server asked")}.");
                await Options.Delay(wait, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var failure = outcome.Failure!;
            if (failure.Kind == FailureKind.Fatal || (!canRepeat && failure.Kind != FailureKind.NotSent) || ++attempt >= Options.MaxAttempts)
            {
                if (safety == RetrySafety.OnlyIfNotSent && failure.Kind == FailureKind.Ambiguous)
                {
                    await WaitForLostWriteAsync(description, failure.Reason, cancellationToken).ConfigureAwait(false);
                }

                throw failure.ToException(Options.ServiceName, request, canRepeat);
            }

            var backoff = Backoff(send);
            Log($"{description} failed: {failure.Reason} (attempt {attempt}/{Options.MaxAttempts}); waiting {Seconds(backoff)}.");
            await Options.Delay(backoff, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives a server that may still be carrying out a save time to finish it, before its caller looks its records up.</summary>
    private Task WaitForLostWriteAsync(string description, string reason, CancellationToken cancellationToken)
    {
        Log($"{description} failed: {reason}; waiting {Seconds(Options.LostWriteGrace)} for the server to finish it before its records are looked up.");
        return Options.Delay(Options.LostWriteGrace, cancellationToken);
    }

    /// <summary>Remembers that the server asked for a wait this transport will not sit out; until it is over nothing is sent.</summary>
    private void Block(TimeSpan wait, int status)
    {
        lock (blockGate)
        {
            var until = Options.Clock() + wait;
            if (until > blockedUntil)
            {
                blockedUntil = until;
                blockReason = $"it answered {status} and asked to wait {Seconds(wait)}";
            }
        }

        Log($"{Options.ServiceName} asked to wait {Seconds(wait)}, longer than HaloSync waits in one go; nothing more is sent until {blockedUntil:u}.");
    }

    private void ThrowIfBlocked(HttpRequestMessage request)
    {
        DateTimeOffset until;
        string? reason;
        lock (blockGate)
        {
            (until, reason) = (blockedUntil, blockReason);
        }

        if (Options.Clock() < until)
        {
            throw new HaloSyncException("HttpRateLimited", HaloSyncErrorKind.RateLimited,
                $"{Options.ServiceName} is rate-limiting this account ({reason}), so {request.Method.Method} {SafeUrl.Describe(request.RequestUri)} was not sent. " +
                $"Run again after {until:u}; the next run finishes what this one could not send. Other tools using the same {Options.ServiceName} account share this limit.");
        }
    }

    public static RetrySafety RetrySafetyOf(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options
            ? RetrySafety.Idempotent
            : RetrySafety.OnlyIfNotProcessed;

    /// <returns>The request's turn in the pacer's window (to end when the answer is in), or null without a pacer.</returns>
    private async Task<RequestPacer.Turn?> WaitForPacerAsync(CancellationToken cancellationToken)
    {
        if (Options.Pacer is null)
        {
            return null;
        }

        var turn = await Options.Pacer.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
        if (turn.Waited > TimeSpan.Zero)
        {
            Log($"Paused {Seconds(turn.Waited)} to stay within {Options.Pacer.MaxRequests} requests per {Seconds(Options.Pacer.Window)}.");
        }

        return turn;
    }

    private async Task<AttemptOutcome> SendOnceAsync(HttpRequestMessage request, string description, int attempt, CancellationToken cancellationToken)
    {
        using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptTimeout.CancelAfter(Options.RequestTimeout);
        Interlocked.Increment(ref requestsSent);
        Log($"{description} (attempt {attempt})");
        try
        {
            var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
            Log($"{description} -> {(int)response.StatusCode}");
            return new AttemptOutcome(response, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            return new AttemptOutcome(null, new AttemptFailure(FailureKind.Ambiguous, $"no answer within {Seconds(Options.RequestTimeout)}", HaloSyncErrorKind.OperationTimeout, ex));
        }
        catch (HttpRequestException ex)
        {
            return new AttemptOutcome(null, Classify(ex));
        }
    }

    private static AttemptFailure Classify(HttpRequestException exception)
    {
        var socketError = InnerExceptions(exception).OfType<SocketException>().FirstOrDefault()?.SocketErrorCode;
        switch (socketError)
        {
            case SocketError.ConnectionRefused:
            case SocketError.HostUnreachable:
            case SocketError.NetworkUnreachable:
            case SocketError.TryAgain:
                return Unreachable(exception);
            case SocketError.HostNotFound:
            case SocketError.NoData:
                return HostNotFound(exception);
        }

        // .NET Framework (Windows PowerShell 5.1) reports these as a WebException's status, often with no inner exception.
        switch (InnerExceptions(exception).OfType<WebException>().FirstOrDefault()?.Status)
        {
            case WebExceptionStatus.ConnectFailure:
                return Unreachable(exception);
            case WebExceptionStatus.NameResolutionFailure:
            case WebExceptionStatus.ProxyNameResolutionFailure:
                return HostNotFound(exception);
            case WebExceptionStatus.TrustFailure:
            case WebExceptionStatus.SecureChannelFailure:
                return TlsFailure(exception);
        }

        if (InnerExceptions(exception).OfType<AuthenticationException>().Any())
        {
            return TlsFailure(exception);
        }

        return new AttemptFailure(FailureKind.Ambiguous, "the connection was dropped before a complete answer arrived", HaloSyncErrorKind.ConnectionError, exception);
    }

    private static AttemptFailure Unreachable(HttpRequestException exception)
        => new(FailureKind.NotSent, "the connection was refused or the host is unreachable", HaloSyncErrorKind.ConnectionError, exception);

    private static AttemptFailure HostNotFound(HttpRequestException exception)
        => new(FailureKind.Fatal, "the host name could not be found", HaloSyncErrorKind.ConnectionError, exception);

    private static AttemptFailure TlsFailure(HttpRequestException exception)
        => new(FailureKind.Fatal, "the secure (TLS) connection could not be established", HaloSyncErrorKind.ConnectionError, exception);

    private static System.Collections.Generic.IEnumerable<Exception> InnerExceptions(Exception exception)
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(Options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent), Options.MaxDelay.TotalMilliseconds);
        // Between half and the full ceiling, so that clients that failed together do not retry together.
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + 0.5 * Options.Jitter()));
    }

    private void Log(string message) => Options.Verbose?.Invoke($"{Options.ServiceName}: {message}");

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString(span < TimeSpan.FromSeconds(1) ? "0.###" : "0.#", CultureInfo.InvariantCulture) + " s";

    private enum FailureKind
    {
        /// <summary>The request never reached the server; safe to repeat even for writes.</summary>
        NotSent,

        /// <summary>The server may have processed it.</summary>
        Ambiguous,

        /// <summary>Retrying will not help (unknown host, TLS failure).</summary>
        Fatal,
    }

    private sealed record AttemptOutcome(HttpResponseMessage? Response, AttemptFailure? Failure);

    private sealed record AttemptFailure(FailureKind Kind, string Reason, HaloSyncErrorKind ErrorKind, Exception Cause)
    {
        public HaloSyncException ToException(string serviceName, HttpRequestMessage request, bool canRepeat)
        {
            var target = SafeUrl.Describe(request.RequestUri);
            if (!canRepeat && Kind == FailureKind.Ambiguous)
            {
                return new HttpOutcomeUnknownException(serviceName, request.Method.Method, target, Reason, ErrorKind, Cause);
            }

            var authority = request.RequestUri?.GetLeftPart(UriPartial.Authority);
            return ErrorKind == HaloSyncErrorKind.OperationTimeout
                ? new HaloSyncException("HttpTimeout", ErrorKind,
                    $"{serviceName} at {authority} did not answer {request.Method.Method} {target} in time, even after retrying. Check your network and the service status, then try again.", Cause)
                : new HaloSyncException("HttpConnectionFailed", ErrorKind,
                    $"Could not reach {serviceName} at {authority}: {Reason}. Check the site address, your network or proxy, and that the site is up.", Cause);
        }
    }
}
