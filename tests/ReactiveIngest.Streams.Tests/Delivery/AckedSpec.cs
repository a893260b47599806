using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Streams.Delivery;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Delivery;

public sealed class AckedSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private sealed class Counted
    {
        public int Acknowledged;

        public Envelope<T> Wrap<T>(T payload) => new(payload, new CallbackAckHandle(() => Interlocked.Increment(ref Acknowledged)));
    }

    [Fact]
    public async Task A_broadcast_should_acknowledge_a_message_only_after_every_branch_released_it()
    {
        var counted = new Counted();
        var held = new List<Envelope<int>>();
        var first = Acked.ForEach<int>(_ => { });
        var second = Sink.ForEach<Envelope<int>>(e =>
        {
            lock (held)
            {
                held.Add(e);
            }
        }).MapMaterializedValue(t => (Task)t);
        var done = RunnableGraph.FromGraph(GraphDsl.Create(first, second, (a, b) => (a, b), (b, s1, s2) =>
        {
            var fan = b.Add(AckBroadcast.Create<int>(2));
            var source = b.Add(Source.From(Enumerable.Range(0, 10).Select(counted.Wrap)));
            b.From(source).To(fan.In);
            b.From(fan.Out(0)).To(s1);
            b.From(fan.Out(1)).To(s2);
            return ClosedShape.Instance;
        })).Run(Sys.Materializer());
        await Task.WhenAll(done.Item1, done.Item2).WaitAsync(Wait);

        Assert.Equal(0, counted.Acknowledged);
        Assert.Equal(10, held.Count);
        held.ForEach(e => e.Ack.Release());
        Assert.Equal(10, counted.Acknowledged);
    }

    [Fact]
    public async Task A_broadcast_with_one_branch_should_pass_elements_unchanged()
    {
        var counted = new Counted();
        await Source.From(Enumerable.Range(0, 3).Select(counted.Wrap))
            .Via(Flow.FromGraph(GraphDsl.Create(b =>
            {
                var fan = b.Add(AckBroadcast.Create<int>(1));
                return new FlowShape<Envelope<int>, Envelope<int>>(fan.In, fan.Out(0));
            })))
            .RunWith(Acked.ForEach<int>(_ => { }), Sys.Materializer())
            .WaitAsync(Wait);

        Assert.Equal(3, counted.Acknowledged);
        Assert.Throws<ArgumentOutOfRangeException>(() => AckBroadcast.Create<int>(0));
    }

    [Fact]
    public async Task Split_should_acknowledge_after_every_part_and_at_once_when_there_are_none()
    {
        var counted = new Counted();
        var parts = await Source.From(new[] { counted.Wrap(3), counted.Wrap(0), counted.Wrap(1) })
            .Via(Acked.Split<int, string>(n => [.. Enumerable.Range(0, n).Select(i => $"{n}.{i}")]))
            .RunWith(Sink.Seq<Envelope<string>>(), Sys.Materializer())
            .WaitAsync(Wait);

        Assert.Equal(["3.0", "3.1", "3.2", "1.0"], parts.Select(p => p.Payload));
        Assert.Equal(1, counted.Acknowledged); // the message with no parts
        parts[0].Ack.Release();
        parts[1].Ack.Release();
        Assert.Equal(1, counted.Acknowledged);
        parts[2].Ack.Release();
        Assert.Equal(2, counted.Acknowledged);
        parts[3].Ack.Release();
        Assert.Equal(3, counted.Acknowledged);
    }

    [Fact]
    public async Task AlsoTo_should_hold_the_message_for_the_side_copy_too()
    {
        var counted = new Counted();
        var side = new List<int>();
        var main = await Source.From(Enumerable.Range(0, 4).Select(counted.Wrap))
            .Via(Acked.AlsoTo(Acked.ForEach<int>(side.Add)))
            .RunWith(Sink.Seq<Envelope<int>>(), Sys.Materializer())
            .WaitAsync(Wait);

        AwaitCondition(() => side.Count == 4, Wait);
        Assert.Equal(0, counted.Acknowledged);
        foreach (var e in main)
        {
            e.Ack.Release();
        }

        Assert.Equal(4, counted.Acknowledged);
    }

    [Fact]
    public async Task ForEach_should_leave_an_element_unreleased_when_its_action_throws()
    {
        var counted = new Counted();
        var done = Source.From(new[] { counted.Wrap(1), counted.Wrap(2) })
            .RunWith(Acked.ForEach<int>(n => _ = n == 2 ? throw new InvalidOperationException("boom") : n), Sys.Materializer());

        await Assert.ThrowsAsync<InvalidOperationException>(() => done.WaitAsync(Wait));
        Assert.Equal(1, counted.Acknowledged);
    }

    [Fact]
    public void WhenReleased_should_run_its_action_before_the_original_reference_is_given_back()
    {
        var counted = new Counted();
        var original = counted.Wrap("x");
        var seen = -1;
        var derived = Acked.WhenReleased(original, () => seen = counted.Acknowledged);

        Assert.NotSame(original.Ack, derived.Ack);
        Assert.Equal("x", derived.Payload);
        derived.Ack.Release();
        Assert.Equal(0, seen);
        Assert.Equal(1, counted.Acknowledged);
    }
}
