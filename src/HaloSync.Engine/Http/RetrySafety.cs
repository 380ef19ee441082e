namespace HaloSync.Engine.Http;

/// <summary>Whether a request may be sent again when its first send had an unknown outcome.</summary>
public enum RetrySafety
{
    /// <summary>Repeating it cannot change anything twice (reads, token requests).</summary>
    Idempotent,

    /// <summary>Repeat only when the server certainly did not process it (429, 502/503/504, connection refused).</summary>
    OnlyIfNotProcessed,
}
