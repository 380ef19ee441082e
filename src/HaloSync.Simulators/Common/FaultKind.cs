namespace HaloSync.Simulators.Common;

public enum FaultKind
{
    /// <summary>Answer with <see cref="FaultRule.StatusCode"/>, <see cref="FaultRule.Body"/> and optional Retry-After instead of the real handler.</summary>
    Status,

    /// <summary>Wait <see cref="FaultRule.Delay"/> before handling the request normally.</summary>
    SlowResponse,

    /// <summary>Abort the connection without answering.</summary>
    DropConnection,
}
