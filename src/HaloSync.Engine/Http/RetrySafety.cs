namespace HaloSync.Engine.Http;

/// <summary>Whether a request may be sent again when its first send had an unknown outcome.</summary>
public enum RetrySafety
{
    /// <summary>Repeating it cannot change anything twice (reads, token requests).</summary>
    Idempotent,

    /// <summary>Repeat only when the server certainly did not process it (429, connection refused).</summary>
    OnlyIfNotProcessed,

    /// <summary>
    /// Repeat only when it was never sent (connection refused). Any answer may follow its processing, a 429 or a
    /// rejected token included, so the caller looks its records up before sending anything again (HaloPSA saves).
    /// </summary>
    OnlyIfNotSent,
}
