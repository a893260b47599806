using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Limits;
using ReactiveIngest.Streams.Tests.Decoding;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Limits;

public sealed class MessageSizeLimitSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static RawMessage Message(int payloadBytes, string topic = "devices/d1") =>
        new(Enumerable.Repeat((byte)'x', payloadBytes).ToArray(), new MessageContext(topic, 7), "mqtt:test", 2);

    [Fact]
    public async Task Limit_should_pass_messages_within_the_limit_unchanged_and_cut_larger_ones_to_a_marked_head()
    {
        var small = Message(100);
        var big = Message(16 * 1024 * 1024);
        var output = await Source.From(new[] { small, big }.Select(m => new Envelope<RawMessage>(m, AckHandle.None)))
            .Via(MessageSizeLimit.Create(1000, headBytes: 64))
            .RunWith(Sink.Seq<Envelope<RawMessage>>(), Sys.Materializer())
            .WaitAsync(Wait);

        Assert.Same(small, output[0].Payload);
        var head = output[1].Payload;
        Assert.True(head.IsOversize);
        Assert.Equal(16 * 1024 * 1024 + "devices/d1".Length, head.OversizeBytes);
        Assert.Equal(64, head.Payload.Length);
        Assert.Equal((big.Context.Topic, big.Partition, big.Source), (head.Context.Topic, head.Partition, head.Source));
    }

    [Fact]
    public void Size_should_count_the_topic_and_key_as_utf8()
    {
        var message = new RawMessage(new byte[10], new MessageContext("é", 0, "漢"), "s");
        Assert.Equal(10 + 2 + 3, MessageSizeLimit.SizeOf(message));
        Assert.True(MessageSizeLimit.SizeOf(message, limit: 100) >= 15);
    }

    [Fact]
    public async Task A_head_should_be_dead_lettered_as_TooLarge_with_its_size_and_first_bytes_and_its_ack_released_once()
    {
        var released = 0;
        var ack = new CallbackAckHandle(() => Interlocked.Increment(ref released));
        var big = new RawMessage(Encoding.UTF8.GetBytes("d1,t,1,2.5\n" + new string('x', 5000)), new MessageContext("t", 0), "mqtt:test");
        var (batches, dead) = RunnableGraph.FromGraph(GraphDsl.Create(
            Sink.Seq<Envelope<ReadingBatch>>(),
            Sink.Seq<Envelope<DeadLetter>>(),
            (a, b) => (a, b),
            (builder, readings, deadLetters) =>
            {
                var decode = builder.Add(DecodeFlow.Stage(new CsvTestDecoder(), new FiniteValidator()));
                builder.From(builder.Add(Source.Single(new Envelope<RawMessage>(big, ack)).Via(MessageSizeLimit.Create(1000, headBytes: 11)))).To(decode.In);
                builder.From(decode.Out0).To(readings);
                builder.From(decode.Out1).To(deadLetters);
                return ClosedShape.Instance;
            })).Run(Sys.Materializer());

        Assert.Empty(await batches.WaitAsync(Wait));
        var letter = Assert.Single(await dead.WaitAsync(Wait)).Payload;
        Assert.Equal(RejectReason.TooLarge, letter.Reason);
        Assert.True(letter.WholeMessage);
        Assert.Contains("5012 bytes", letter.Detail, StringComparison.Ordinal);
        Assert.Equal("d1,t,1,2.5\n", Encoding.UTF8.GetString(letter.Payload.Span));
        Assert.Equal(0, Volatile.Read(ref released));
        (await dead.WaitAsync(Wait))[0].Ack.Release();
        Assert.Equal(1, Volatile.Read(ref released));
    }
}
