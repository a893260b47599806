using System.Reactive.Linq;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Streams.Transforms;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Transforms;

public class RxTransformStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Stage_should_run_the_transform_per_element_and_keep_order()
    {
        var result = await Source.From(Enumerable.Range(1, 10))
            .Via(RxTransform.Create<int, int>(o => o.Where(x => x % 2 == 0).SelectMany(x => new[] { x, -x })))
            .RunWith(Sink.Seq<int>(), Sys.Materializer())
            .WaitAsync(Wait);
        Assert.Equal([2, -2, 4, -4, 6, -6, 8, -8, 10, -10], result);
    }

    [Fact]
    public async Task Downstream_demand_should_govern_how_much_is_pulled_from_upstream()
    {
        var pulled = 0;
        var queue = Source.From(Enumerable.Range(1, 1000))
            .Select(x =>
            {
                Interlocked.Increment(ref pulled);
                return x;
            })
            .Via(RxTransform.Create<int, int>(o => o.Select(x => x * 2)))
            .RunWith(Sink.Queue<int>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Sys.Materializer());
        Assert.Equal(2, (await queue.PullAsync().WaitAsync(Wait)).Value);
        await Task.Delay(300);
        Assert.True(Volatile.Read(ref pulled) < 50, $"pulled {pulled} of 1000 with demand for one element");
    }

    [Fact]
    public async Task Completion_should_flush_what_the_transform_emits_on_completion()
    {
        var result = await Source.From(Enumerable.Range(1, 5))
            .Via(RxTransform.Create<int, int>(o => o.Sum()))
            .RunWith(Sink.Seq<int>(), Sys.Materializer())
            .WaitAsync(Wait);
        Assert.Equal([15], result);
    }

    [Fact]
    public async Task Transform_that_completes_early_should_complete_the_stage_and_cancel_upstream()
    {
        var result = await Source.Repeat(1)
            .Via(RxTransform.Create<int, int>(o => o.Take(3)))
            .RunWith(Sink.Seq<int>(), Sys.Materializer())
            .WaitAsync(Wait);
        Assert.Equal([1, 1, 1], result);
    }

    [Fact]
    public async Task Transform_error_should_fail_the_stream()
    {
        var task = Source.From(Enumerable.Range(1, 5))
            .Via(RxTransform.Create<int, int>(o => o.Select(x => x == 3 ? throw new InvalidOperationException("bad") : x)))
            .RunWith(Sink.Seq<int>(), Sys.Materializer());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => task.WaitAsync(Wait));
        Assert.Equal("bad", ex.Message);
    }

    [Fact]
    public async Task Transform_producing_more_than_the_buffer_without_demand_should_fail_not_drop()
    {
        var task = Source.Single(1)
            .Via(RxTransform.Create<int, int>(o => o.SelectMany(_ => Enumerable.Range(0, 100)), maxBuffer: 10))
            .RunWith(Sink.Seq<int>(), Sys.Materializer());
        await Assert.ThrowsAsync<BufferOverflowException>(() => task.WaitAsync(Wait));
    }
}
