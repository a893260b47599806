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

    private static int MessageIndex(string text) =>
        int.Parse(text.StartsWith("garbage ", StringComparison.Ordinal) ? text[8..] : text[1..text.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

    private Task<(IReadOnlyList<Envelope<ReadingBatch>> Batches, IReadOnlyList<Envelope<DeadLetter>> DeadLetters)> Run(int maxPayload, params Envelope<RawMessage>[] messages) =>
        Run(maxPayload, 1, 1, messages);

    // parallelism 1 is the single-threaded DecodeStage; above 1 the parallel flow, which must behave identically.
    private Task<(IReadOnlyList<Envelope<ReadingBatch>> Batches, IReadOnlyList<Envelope<DeadLetter>> DeadLetters)> Run(
        int maxPayload, int parallelism, int chunkSize, params Envelope<RawMessage>[] messages) =>
        Run(new FiniteValidator(), maxPayload, parallelism, chunkSize, messages);

    private async Task<(IReadOnlyList<Envelope<ReadingBatch>> Batches, IReadOnlyList<Envelope<DeadLetter>> DeadLetters)> Run(
        IReadingValidator validator, int maxPayload, int parallelism, int chunkSize, params Envelope<RawMessage>[] messages)
    {
        var (batches, dead) = RunnableGraph.FromGraph(GraphDsl.Create(
            Sink.Seq<Envelope<ReadingBatch>>(),
            Sink.Seq<Envelope<DeadLetter>>(),
            (a, b) => (a, b),
            (builder, readings, deadLetters) =>
            {
                var decode = builder.Add(DecodeFlow.Parallel(new CsvTestDecoder(), validator, maxPayload, parallelism, chunkSize));
                builder.From(builder.Add(Source.From(messages))).To(decode.In);
                builder.From(decode.Out0).To(readings);
                builder.From(decode.Out1).To(deadLetters);
                return ClosedShape.Instance;
            })).Run(Sys.Materializer());
        return (await batches.WaitAsync(Wait), await dead.WaitAsync(Wait));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Decode_should_emit_valid_readings_as_one_batch_per_message_with_the_partition(int parallelism)
    {
        var (batches, dead) = await Run(1024, parallelism, 4, Message("d1,t,1,2.5\nd1,h,1,40", AckHandle.None));
        var batch = Assert.Single(batches).Payload;
        Assert.Equal(2, batch.Count);
        Assert.Equal(3, batch.Partition);
        Assert.Equal(40, batch[1].Value);
        Assert.Empty(dead);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Bad_input_should_become_dead_letters_with_reason_and_bytes(int parallelism)
    {
        var (batches, dead) = await Run(
            32,
            parallelism,
            2,
            Message("nonsense", AckHandle.None),
            Message("boom", AckHandle.None),
            Message("d1,t,1,NaN\nd1,t,2,1", AckHandle.None),
            Message(new string('x', 64), AckHandle.None),
            Message("", AckHandle.None));
        Assert.Single(batches);
        Assert.Equal(
            [RejectReason.MalformedPayload, RejectReason.ProcessingFailed, RejectReason.NotFinite, RejectReason.TooLarge, RejectReason.NoMetrics],
            dead.Select(d => d.Payload.Reason));
        Assert.Equal("d1,t,1,NaN\nd1,t,2,1", Encoding.UTF8.GetString(dead[2].Payload.Payload.Span));
        Assert.StartsWith("InvalidOperationException: codec bug", dead[1].Payload.Detail, StringComparison.Ordinal);
        Assert.Equal("boom", Encoding.UTF8.GetString(dead[1].Payload.Payload.Span));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task A_validator_that_throws_on_one_reading_should_dead_letter_that_reading_and_keep_the_others(int parallelism)
    {
        var acked = 0;
        var ack = new CallbackAckHandle(() => Interlocked.Increment(ref acked));
        var (batches, dead) = await Run(new ThrowingValidator("bad"), 1024, parallelism, 2, Message("d1,t,1,1\nbad,t,1,2\nd1,t,2,3", ack), Message("d2,t,1,1", AckHandle.None));

        Assert.Equal(["d1", "d1", "d2"], batches.SelectMany(e => e.Payload).Select(r => r.DeviceId));
        var letter = Assert.Single(dead);
        Assert.Equal(RejectReason.ProcessingFailed, letter.Payload.Reason);
        Assert.StartsWith("InvalidOperationException: validator bug (in Validate, reading bad/t", letter.Payload.Detail, StringComparison.Ordinal);
        batches[0].Ack.Release();
        Assert.Equal(0, acked);
        letter.Ack.Release();
        Assert.Equal(1, acked);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Message_handle_should_be_acknowledged_after_every_output_is_released(int parallelism)
    {
        var acked = 0;
        var ack = new CallbackAckHandle(() => Interlocked.Increment(ref acked));
        var (batches, dead) = await Run(1024, parallelism, 4, Message("d1,t,1,Infinity\nd1,t,2,1\nd1,t,3,NaN", ack));
        Assert.Single(batches);
        Assert.Equal(2, dead.Count);
        batches[0].Ack.Release();
        dead[0].Ack.Release();
        Assert.Equal(0, acked);
        dead[1].Ack.Release();
        Assert.Equal(1, acked);
    }

    [Fact]
    public async Task Parallel_decode_should_keep_message_order_and_take_one_reference_per_output()
    {
        // Every 7th message is malformed and every 5th has one NaN reading: batches and dead letters must come out in
        // message order although chunks of 3 are decoded on 4 threads, and every handle must reach zero exactly once.
        const int count = 3000;
        var acked = new int[count];
        var messages = Enumerable.Range(0, count).Select(i => Message(
            i % 7 == 0 ? $"garbage {i}" : i % 5 == 0 ? $"d{i},t,{i},NaN\nd{i},h,{i},1" : $"d{i},t,{i},{i}",
            new CallbackAckHandle(() => Interlocked.Increment(ref acked[i])))).ToArray();
        var (batches, dead) = await Run(1024, 4, 3, messages);

        var expectedBatches = Enumerable.Range(0, count).Where(i => i % 7 != 0).ToList();
        Assert.Equal(expectedBatches.Select(i => $"d{i}"), batches.Select(b => b.Payload[0].DeviceId));
        var expectedDead = Enumerable.Range(0, count).Where(i => i % 7 == 0 || i % 5 == 0).ToList();
        Assert.Equal(expectedDead, dead.Select(d => MessageIndex(Encoding.UTF8.GetString(d.Payload.Payload.Span))));
        foreach (var output in batches.Select(b => b.Ack).Concat(dead.Select(d => d.Ack)))
        {
            output.Release();
        }

        Assert.All(acked, a => Assert.Equal(1, a));
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
