using System.Reactive.Linq;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Failures;
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
    public async Task Transform_error_without_a_dead_letter_function_should_fail_the_stream()
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

    private sealed record Item(int Value, AckHandle Ack);

    private async Task<(IReadOnlyList<int> Output, IReadOnlyList<Envelope<DeadLetter>> DeadLetters)> RunIsolated(
        Func<IObservable<Item>, IObservable<int>> transform, params Item[] items)
    {
        var (output, dead) = RunnableGraph.FromGraph(GraphDsl.Create(
            Sink.Seq<int>(),
            Sink.Seq<Envelope<DeadLetter>>(),
            (a, b) => (a, b),
            (builder, outputs, deadLetters) =>
            {
                var rx = builder.Add(RxTransform.Stage(
                    transform,
                    (Item item, Exception error) => new Envelope<DeadLetter>(
                        new DeadLetter(RejectReason.ProcessingFailed, ProcessingFailure.Detail(error, "spec", $"item {item.Value}"), ReadOnlyMemory<byte>.Empty, new MessageContext("t", 0), "spec"),
                        item.Ack)));
                builder.From(builder.Add(Source.From(items))).To(rx.In);
                builder.From(rx.Out0).To(outputs);
                builder.From(rx.Out1).To(deadLetters);
                return ClosedShape.Instance;
            })).Run(Sys.Materializer());
        return (await output.WaitAsync(Wait), await dead.WaitAsync(Wait));
    }

    [Fact]
    public async Task Transform_should_dead_letter_the_element_it_throws_on_and_go_on_with_a_fresh_chain()
    {
        var released = new int[6];
        var items = Enumerable.Range(1, 5).Select(i => new Item(i, new CallbackAckHandle(() => Interlocked.Increment(ref released[i])))).ToArray();
        var subscriptions = 0;

        // A running sum: its state is in the chain (Scan), so after the failure on 3 it starts from scratch.
        var (output, dead) = await RunIsolated(
            o => Observable.Defer(() =>
            {
                Interlocked.Increment(ref subscriptions);
                return o.Select(i => i.Value == 3 ? throw new InvalidOperationException("bad element") : i.Value).Scan(0, (sum, v) => sum + v);
            }),
            items);

        Assert.Equal([1, 3, 4, 9], output);
        var letter = Assert.Single(dead);
        Assert.Equal(RejectReason.ProcessingFailed, letter.Payload.Reason);
        Assert.Equal("InvalidOperationException: bad element (in spec, item 3)", letter.Payload.Detail);
        Assert.Same(items[2].Ack, letter.Ack);
        Assert.Equal(2, subscriptions);
        letter.Ack.Release();
        Assert.Equal([0, 0, 0, 1, 0, 0], released); // the dead letter holds exactly the element's reference
    }

    [Fact]
    public async Task Transform_should_dead_letter_an_element_whose_push_throws_out_of_the_chain()
    {
        // Do runs the action in the chain, so its exception surfaces as OnError like any operator's; every failing
        // element gets its own dead letter and the stage does not fail.
        var (output, dead) = await RunIsolated(
            o => o.Do(i =>
            {
                if (i.Value % 2 == 0)
                {
                    throw new ArgumentException($"even {i.Value}");
                }
            }).Select(i => i.Value * 10),
            [.. Enumerable.Range(1, 6).Select(i => new Item(i, AckHandle.None))]);

        Assert.Equal([10, 30, 50], output);
        Assert.Equal(
            ["ArgumentException: even 2 (in spec, item 2)", "ArgumentException: even 4 (in spec, item 4)", "ArgumentException: even 6 (in spec, item 6)"],
            dead.Select(d => d.Payload.Detail));
    }
}
