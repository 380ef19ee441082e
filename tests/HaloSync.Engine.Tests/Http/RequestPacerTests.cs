using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using HaloSync.Engine.Http;
using HaloSync.Engine.Tests.TestSupport;

namespace HaloSync.Engine.Tests.Http;

public class RequestPacerTests
{
    /// <summary>Takes a turn and ends it at once: a request answered instantly.</summary>
    private static async Task<TimeSpan> SendAsync(RequestPacer pacer, CancellationToken cancellationToken = default)
    {
        using var turn = await pacer.WaitTurnAsync(cancellationToken);
        return turn.Waited;
    }

    [Fact]
    public async Task Lets_the_window_fill_then_waits_until_the_oldest_request_ages_out()
    {
        var clock = new ManualClock();
        var delay = new RecordingDelay(clock.Advance);
        var pacer = new RequestPacer(3, TimeSpan.FromSeconds(10), () => clock.Now, delay.Delay);

        await SendAsync(pacer);
        clock.Advance(TimeSpan.FromSeconds(2));
        await SendAsync(pacer);
        await SendAsync(pacer);
        Assert.Empty(delay.Waits);

        var waited = await SendAsync(pacer);

        Assert.Equal(TimeSpan.FromSeconds(8), waited);
        Assert.Equal(new[] { TimeSpan.FromSeconds(8) }, delay.Waits);
    }

    [Fact]
    public async Task Counts_in_the_window_the_requests_in_flight_and_those_answered_within_it()
    {
        var clock = new ManualClock();
        var pacer = new RequestPacer(10, TimeSpan.FromSeconds(60), () => clock.Now, new RecordingDelay(clock.Advance).Delay);

        await SendAsync(pacer);
        clock.Advance(TimeSpan.FromSeconds(30));
        await SendAsync(pacer);
        var inFlight = await pacer.WaitTurnAsync(CancellationToken.None);
        Assert.Equal(3, pacer.InWindow);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(2, pacer.InWindow); // the first answer is 60 s old

        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, pacer.InWindow); // only the request still waiting for its answer
        inFlight.Dispose();
        Assert.Equal(1, pacer.InWindow);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(0, pacer.InWindow);
    }

    [Fact]
    public async Task Never_lets_more_than_the_limit_through_in_any_window()
    {
        var clock = new ManualClock();
        var start = clock.Now;
        var delay = new RecordingDelay(clock.Advance);
        var pacer = new RequestPacer(5, TimeSpan.FromSeconds(60), () => clock.Now, delay.Delay);

        var sendTimes = new List<DateTimeOffset>();
        for (var i = 0; i < 17; i++)
        {
            await SendAsync(pacer);
            sendTimes.Add(clock.Now);
        }

        foreach (var time in sendTimes)
        {
            Assert.True(sendTimes.FindAll(t => t >= time && t < time.AddSeconds(60)).Count <= 5);
        }

        Assert.Equal(start.AddSeconds(180), sendTimes[^1]);
    }

    [Fact]
    public async Task A_request_counts_from_when_its_answer_arrived_so_the_server_never_sees_two_in_one_window()
    {
        // The server counts a request when it receives it: here 3 s after it was sent, the answer 1 s later.
        var clock = new ManualClock();
        var start = clock.Now;
        var delay = new RecordingDelay(clock.Advance);
        var pacer = new RequestPacer(1, TimeSpan.FromSeconds(10), () => clock.Now, delay.Delay);
        var received = new List<DateTimeOffset>();

        for (var i = 0; i < 3; i++)
        {
            using var turn = await pacer.WaitTurnAsync(CancellationToken.None);
            clock.Advance(TimeSpan.FromSeconds(3));
            received.Add(clock.Now);
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Sent at 0, 14 and 28 (each answer at 4, 18, 32 plus the 10 s window); received 14 s apart, never within 10 s.
        Assert.Equal(new[] { start.AddSeconds(3), start.AddSeconds(17), start.AddSeconds(31) }, received);
        Assert.Equal(new[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10) }, delay.Waits);
    }

    [Fact]
    public async Task While_every_request_of_a_full_window_awaits_its_answer_the_next_one_waits()
    {
        var clock = new ManualClock();
        var waits = new List<TimeSpan>();
        using var gate = new SemaphoreSlim(0);
        var pacer = new RequestPacer(2, TimeSpan.FromSeconds(10), () => clock.Now, (wait, token) =>
        {
            waits.Add(wait);
            return gate.WaitAsync(token);
        });
        var first = await pacer.WaitTurnAsync(CancellationToken.None);
        var second = await pacer.WaitTurnAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(30)); // long past the window of their sending, but neither is answered
        var third = pacer.WaitTurnAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        Assert.Single(waits);

        first.Dispose();
        second.Dispose();
        clock.Advance(TimeSpan.FromSeconds(10));
        gate.Release();
        using var turn = await third;

        Assert.Equal(waits[0], turn.Waited);
    }

    [Fact]
    public async Task Stops_waiting_when_cancelled()
    {
        var pacer = new RequestPacer(1, TimeSpan.FromMinutes(5));
        await SendAsync(pacer);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var started = DateTime.UtcNow;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendAsync(pacer, cancellation.Token));

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }
}
