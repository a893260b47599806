using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Decoding;

public class DecodeStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Envelope<RawMessage> Message(string text, AckHandle ack) =>
        new(new RawMessage(Encoding.UTF8.GetBytes(text), new MessageContext("t", 0), "test", 3), ack);

    private async Task<(IReadOnlyList<Envelope<ReadingBatch>> Batches, IReadOnlyList<Envelope<DeadLetter>> DeadLetters)> Run(int maxPayload, params Envelope<RawMessage>[] messages)
    {
        var (batches, dead) = RunnableGraph.FromGraph(GraphDsl.Create(
            Sink.Seq<Envelope<ReadingBatch>>(),
            Sink.Seq<Envelope<DeadLetter>>(),
            (a, b) => (a, b),
            (builder, readings, deadLetters) =>
            {
                var decode = builder.Add(DecodeFlow.Stage(new CsvTestDecoder(), new FiniteValidator(), maxPayload));
                builder.From(builder.Add(Source.From(messages))).To(decode.In);
                builder.From(decode.Out0).To(readings);
                builder.From(decode.Out1).To(deadLetters);
                return ClosedShape.Instance;
            })).Run(Sys.Materializer());
        return (await batches.WaitAsync(Wait), await dead.WaitAsync(Wait));
    }

    [Fact]
    public async Task Decode_should_emit_valid_readings_as_one_batch_per_message_with_the_partition()
    {
        var (batches, dead) = await Run(1024, Message("d1,t,1,2.5\nd1,h,1,40", AckHandle.None));
        var batch = Assert.Single(batches).Payload;
        Assert.Equal(2, batch.Count);
        Assert.Equal(3, batch.Partition);
        Assert.Equal(40, batch[1].Value);
        Assert.Empty(dead);
    }

    [Fact]
    public async Task Bad_input_should_become_dead_letters_with_reason_and_bytes()
    {
        var (batches, dead) = await Run(
            32,
            Message("nonsense", AckHandle.None),
            Message("boom", AckHandle.None),
            Message("d1,t,1,NaN\nd1,t,2,1", AckHandle.None),
            Message(new string('x', 64), AckHandle.None),
            Message("", AckHandle.None));
        Assert.Single(batches);
        Assert.Equal(
            [RejectReason.MalformedPayload, RejectReason.MalformedPayload, RejectReason.NotFinite, RejectReason.PayloadTooLarge, RejectReason.NoMetrics],
            dead.Select(d => d.Payload.Reason));
        Assert.Equal("d1,t,1,NaN\nd1,t,2,1", Encoding.UTF8.GetString(dead[2].Payload.Payload.Span));
        Assert.Contains("codec bug", dead[1].Payload.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_handle_should_be_acknowledged_after_every_output_is_released()
    {
        var acked = 0;
        var ack = new CallbackAckHandle(() => Interlocked.Increment(ref acked));
        var (batches, dead) = await Run(1024, Message("d1,t,1,Infinity\nd1,t,2,1\nd1,t,3,NaN", ack));
        Assert.Single(batches);
        Assert.Equal(2, dead.Count);
        batches[0].Ack.Release();
        dead[0].Ack.Release();
        Assert.Equal(0, acked);
        dead[1].Ack.Release();
        Assert.Equal(1, acked);
    }

    [Fact]
    public async Task Flow_should_route_dead_letters_to_the_given_sink()
    {
        var dead = new List<DeadLetter>();
        var batches = await Source.From([Message("x", AckHandle.None), Message("d,t,1,1", AckHandle.None)])
            .Via(DecodeFlow.Create(new CsvTestDecoder(), Sink.ForEach<Envelope<DeadLetter>>(d => dead.Add(d.Payload))))
            .RunWith(Sink.Seq<Envelope<ReadingBatch>>(), Sys.Materializer())
            .WaitAsync(Wait);
        Assert.Single(batches);
        AwaitCondition(() => dead.Count == 1, Wait);
    }
}
