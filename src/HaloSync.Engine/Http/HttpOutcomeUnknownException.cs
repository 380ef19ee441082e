using System;

namespace HaloSync.Engine.Http;

/// <summary>
/// A write (POST, DELETE...) whose fate is unknown: it timed out, the connection dropped, or the server
/// failed with 500 after it may have applied the change. It is deliberately not retried, because a second
/// send could duplicate a record; the caller reconciles by reading the server state back.
/// </summary>
public sealed class HttpOutcomeUnknownException : HaloSyncException
{
    public HttpOutcomeUnknownException(string serviceName, string method, string path, string reason, HaloSyncErrorKind kind, Exception? innerException = null)
        : base("HttpOutcomeUnknown", kind,
            $"{serviceName} may or may not have applied {method} {path}: {reason}. HaloSync did not resend it, to avoid creating duplicates. " +
            "Run the sync again; it reads the current state back and only sends what is still missing.",
            innerException)
    {
        Method = method;
        Path = path;
    }

    public string Method { get; }

    public string Path { get; }
}
