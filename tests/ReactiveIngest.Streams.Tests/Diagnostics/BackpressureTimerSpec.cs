using System.Diagnostics;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Streams.Diagnostics;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Diagnostics;

public class BackpressureTimerSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task BackpressureTimer_should_count_at_least_the_time_downstream_withheld_demand_and_pass_every_element()
    {
        var clock = new BackpressureClock();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = Source.From([1, 2, 3])
            .Via(BackpressureTimer.Create<int>(clock))
            .Select(x =>
            {
                if (x == 2)
                {
                    second.TrySetResult();
                }

                return x;
            })
            .RunWith(Sink.Queue<int>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Sys.Materializer());

        Assert.Equal(1, (await queue.PullAsync().WaitAsync(Wait)).Value);

        // Element 2 has been handed on (it waits in the sink's one-element buffer); no demand reaches the timer until
        // it is pulled, so everything measured here is time the timer's upstream was held back.
        await second.Task.WaitAsync(Wait);
        var withheld = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        withheld.Stop();
        Assert.Equal(2, (await queue.PullAsync().WaitAsync(Wait)).Value);
        Assert.Equal(3, (await queue.PullAsync().WaitAsync(Wait)).Value);
        Assert.False((await queue.PullAsync().WaitAsync(Wait)).HasValue);

        Assert.True(clock.Backpressured >= withheld.Elapsed, $"measured {clock.Backpressured}, withheld at least {withheld.Elapsed}");
        Assert.Equal(3, clock.Elements);
    }

    [Fact]
    public async Task Supply_should_count_as_unbroken_while_upstream_has_elements_and_downstream_takes_them_slowly()
    {
        var clock = new BackpressureClock();
        var queue = Source.From(Enumerable.Range(0, 1000))
            .Via(BackpressureTimer.Create<int>(clock))
            .RunWith(Sink.Queue<int>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Sys.Materializer());

        // A slow, stalling downstream: one element every 100 ms. Upstream has one ready each time it is asked.
        var unbroken = Stopwatch.StartNew();
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(i, (await queue.PullAsync().WaitAsync(Wait)).Value);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(clock.SupplyUnbrokenFor >= unbroken.Elapsed - TimeSpan.FromMilliseconds(100), $"unbroken for {clock.SupplyUnbrokenFor} of {unbroken.Elapsed}");
    }

    [Fact]
    public async Task Supply_should_count_as_broken_once_upstream_runs_dry_while_downstream_asks()
    {
        var clock = new BackpressureClock();
        var (queue, done) = Source.Queue<int>(16, OverflowStrategy.Backpressure)
            .Via(BackpressureTimer.Create<int>(clock))
            .ToMaterialized(Sink.Ignore<int>(), Keep.Both)
            .Run(Sys.Materializer());
        await queue.OfferAsync(1);
        await Task.Delay(TimeSpan.FromMilliseconds(400));

        // Downstream has been asking for 400 ms and upstream had nothing: the supply is broken now.
        Assert.Equal(TimeSpan.Zero, clock.SupplyUnbrokenFor);

        // The next element ends the wait: the supply has been unbroken only since then.
        var since = Stopwatch.StartNew();
        await queue.OfferAsync(2);
        await AwaitConditionAsync(() => Task.FromResult(clock.Elements == 2), Wait);
        Assert.InRange(clock.SupplyUnbrokenFor, TimeSpan.Zero, since.Elapsed);
        queue.Complete();
        await done.WaitAsync(Wait);
    }

    [Fact]
    public async Task BackpressureTimer_should_complete_with_its_upstream_and_pass_elements_unchanged()
    {
        var clock = new BackpressureClock();
        var result = await Source.From(Enumerable.Range(0, 100)).Via(BackpressureTimer.Create<int>(clock)).RunWith(Sink.Seq<int>(), Sys.Materializer()).WaitAsync(Wait);
        Assert.Equal(Enumerable.Range(0, 100), result);
        Assert.Equal(100, clock.Elements);
    }
}
