using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Windows;

/// <summary>Entry points for event-time window aggregation.</summary>
public static class WindowAggregate
{
    /// <summary>The two-outlet stage: results on out0, late readings on out1 (see <see cref="WindowAggregateStage"/>).</summary>
    public static WindowAggregateStage Stage(WindowAggregateSettings settings) => new(settings);

    /// <summary>
    /// A flow of window results whose late readings go to <paramref name="lateReadings"/> (which must release each
    /// late reading's acknowledgement reference once it has recorded it).
    /// </summary>
    public static Flow<Envelope<ReadingBatch>, Envelope<WindowResult>, NotUsed> Create<TMat>(
        WindowAggregateSettings settings,
        Sink<Envelope<Reading>, TMat> lateReadings)
    {
        ArgumentNullException.ThrowIfNull(lateReadings);
        var stage = Stage(settings);
        return Flow.FromGraph(GraphDsl.Create(builder =>
        {
            var window = builder.Add(stage);
            var late = builder.Add(lateReadings);
            builder.From(window.Out1).To(late);
            return new FlowShape<Envelope<ReadingBatch>, Envelope<WindowResult>>(window.In, window.Out0);
        }));
    }
}
