using System;

namespace HaloSync.Simulators.Common;

/// <summary>Body of POST {prefix}/clock: either move the clock forward or set it.</summary>
public sealed class ClockChange
{
    public double? AdvanceSeconds { get; set; }

    public DateTimeOffset? UtcNow { get; set; }
}
