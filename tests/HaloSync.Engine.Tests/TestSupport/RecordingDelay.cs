using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace HaloSync.Engine.Tests.TestSupport;

/// <summary>A delay function that returns at once, remembers what was asked and moves the given clocks forward instead of sleeping.</summary>
public sealed class RecordingDelay
{
    private readonly ConcurrentQueue<TimeSpan> waits = new();
    private readonly Action<TimeSpan>[] advanceClocks;

    public RecordingDelay(params Action<TimeSpan>[] advanceClocks)
    {
        this.advanceClocks = advanceClocks;
    }

    public IReadOnlyList<TimeSpan> Waits => waits.ToList();

    public TimeSpan Total => TimeSpan.FromTicks(waits.Sum(w => w.Ticks));

    public Task Delay(TimeSpan wait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        waits.Enqueue(wait);
        foreach (var advance in advanceClocks)
        {
            advance(wait);
        }

        return Task.CompletedTask;
    }
}
