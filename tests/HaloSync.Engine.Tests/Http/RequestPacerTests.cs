using System;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Http;
using HaloSync.Engine.Tests.TestSupport;

namespace HaloSync.Engine.Tests.Http;

public class RequestPacerTests
{
    [Fact]
    public async Task Lets_the_window_fill_then_waits_until_the_oldest_request_ages_out()
    {
        var clock = new ManualClock();
        var delay = new RecordingDelay(clock.Advance);
        var pacer = new RequestPacer(3, TimeSpan.FromSeconds(10), () => clock.Now, delay.Delay);

        await pacer.WaitTurnAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(2));
        await pacer.WaitTurnAsync(CancellationToken.None);
        await pacer.WaitTurnAsync(CancellationToken.None);
        Assert.Empty(delay.Waits);

        var waited = await pacer.WaitTurnAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(8), waited);
        Assert.Equal(new[] { TimeSpan.FromSeconds(8) }, delay.Waits);
    }

    [Fact]
    public async Task Never_lets_more_than_the_limit_through_in_any_window()
    {
        var clock = new ManualClock();
        var start = clock.Now;
        var delay = new RecordingDelay(clock.Advance);
        var pacer = new RequestPacer(5, TimeSpan.FromSeconds(60), () => clock.Now, delay.Delay);

        var sendTimes = new System.Collections.Generic.List<DateTimeOffset>();
        for (var i = 0; i < 17; i++)
        {
            await pacer.WaitTurnAsync(CancellationToken.None);
            sendTimes.Add(clock.Now);
        }

        foreach (var time in sendTimes)
        {
            Assert.True(sendTimes.FindAll(t => t >= time && t < time.AddSeconds(60)).Count <= 5);
        }

        Assert.Equal(start.AddSeconds(180), sendTimes[^1]);
    }

    [Fact]
    public async Task Stops_waiting_when_cancelled()
    {
        var pacer = new RequestPacer(1, TimeSpan.FromMinutes(5));
        await pacer.WaitTurnAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pacer.WaitTurnAsync(cancellation.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }
}
