using System;

namespace HaloSync.Engine;

/// <summary>What kind of failure an engine error is; the cmdlets turn it into an ErrorCategory.</summary>
public enum HaloSyncErrorKind
{
    InvalidArgument,
    NotFound,
    InvalidData,
    Authentication,
    PermissionDenied,
    ConnectionError,
    RateLimited,
    ResourceUnavailable,
    InvalidOperation,
    OperationTimeout,
}

/// <summary>
/// An error the engine explains to the user: the message says what went wrong and how to fix it,
/// <see cref="ErrorId"/> is stable so scripts and tests can match it. Messages never carry secrets.
/// </summary>
public class HaloSyncException : Exception
{
    public HaloSyncException(string errorId, HaloSyncErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
    }

    public string ErrorId { get; }

    public HaloSyncErrorKind Kind { get; }
}
