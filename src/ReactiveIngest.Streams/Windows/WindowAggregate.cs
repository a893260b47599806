using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Windows;

/// <summary>Entry points for event-time window aggregation.</summary>
public static class WindowAggregate
{
    /// <summary>The three-outlet stage: results on out0, late readings on out1, dead letters on out2 (see <see cref="WindowAggregateStage"/>).</summary>
    public static WindowAggregateStage Stage(WindowAggregateSettings settings) => new(settings);

    /// <summary>
    /// A flow of window results whose late readings go to <paramref name="lateReadings"/> (which must release each
    /// late reading's acknowledgement reference once it has recorded it) and whose dead letters (readings whose
    /// processing threw) go to <paramref name="deadLetters"/> (which must release each one's reference once it is stored).
    /// </summary>
    public static Flow<Envelope<ReadingBatch>, Envelope<WindowResult>, NotUsed> Create<TLateMat, TDeadMat>(
        WindowAggregateSettings settings,
        Sink<Envelope<Reading>, TLateMat> lateReadings,
        Sink<Envelope<DeadLetter>, TDeadMat> deadLetters)
    {
        ArgumentNullException.ThrowIfNull(lateReadings);
        ArgumentNullException.ThrowIfNull(deadLetters);
        var stage = Stage(settings);
        return Flow.FromGraph(GraphDsl.Create(builder =>
        {
            var window = builder.Add(stage);
            builder.From(window.Out1).To(builder.Add(lateReadings));
            builder.From(window.Out2).To(builder.Add(deadLetters));
            return new FlowShape<Envelope<ReadingBatch>, Envelope<WindowResult>>(window.In, window.Out0);
        }));
    }
}
