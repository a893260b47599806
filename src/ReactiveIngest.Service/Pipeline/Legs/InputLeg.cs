using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Streams.Control;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Diagnostics;

namespace ReactiveIngest.Service.Pipeline.Legs;

/// <summary>
/// The input leg of one input: its messages through a valve (closed or completed on shutdown), timed for backpressure,
/// counted and given their watermark partition, then decoded and validated into reading batches (out0) and dead
/// letters (out1).
/// </summary>
internal static class InputLeg
{
    /// <summary>The input's messages; <paramref name="materialized"/> receives the input's control and its valve when the graph runs.</summary>
    public static Source<Envelope<RawMessage>, NotUsed> Messages(
        Source<Envelope<RawMessage>, IInputControl> messages, SourceHealth health, WatermarkPartitions partitions, GraphContext context, Action<IInputControl, IValveControl> materialized)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(materialized);
        var status = context.Status;
        return messages
            .ViaMaterialized(Valve.Create<Envelope<RawMessage>>(), (control, valve) =>
            {
                health.Control = control;
                materialized(control, valve);
                return NotUsed.Instance;
            })
            .Via(BackpressureTimer.Create<Envelope<RawMessage>>(health.Backpressure))
            .Select(e =>
            {
                health.AddMessage();
                status.AddMessageReceived();
                var partition = partitions.Of(e.Payload);
                return partition == e.Payload.Partition ? e : new Envelope<RawMessage>(e.Payload with { Partition = partition }, e.Ack);
            });
    }

    /// <summary>Decodes and validates the input's messages in parallel (order kept), counting readings and rejections per input.</summary>
    public static IGraph<FanOutShape<Envelope<RawMessage>, Envelope<ReadingBatch>, Envelope<DeadLetter>>, NotUsed> Decode(
        IInput input, SourceHealth health, GraphContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(context);
        return GraphDsl.Create(builder =>
        {
            var decode = builder.Add(DecodeFlow.Parallel(input.Decoder, context.Validator, context.MaxPayloadBytes, context.Options.DecodeParallelism));
            var readings = builder.Add(Flow.Create<Envelope<ReadingBatch>>().Select(e =>
            {
                health.AddReadings(e.Payload.Count);
                return e;
            }));
            var rejected = builder.Add(Flow.Create<Envelope<DeadLetter>>().Select(e =>
            {
                health.AddRejected();
                return e;
            }));
            builder.From(decode.Out0).To(readings.Inlet);
            builder.From(decode.Out1).To(rejected.Inlet);
            return new FanOutShape<Envelope<RawMessage>, Envelope<ReadingBatch>, Envelope<DeadLetter>>(decode.In, readings.Outlet, rejected.Outlet);
        });
    }
}
