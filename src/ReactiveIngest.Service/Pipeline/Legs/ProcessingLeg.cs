using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Deduplication;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline.Legs;

/// <summary>
/// The processing leg, between the merged inputs and the fan-out to windows and outputs:
/// <code>
/// dedupe → count stored → transforms and alerts → buffer → live view
///    └────────────┴──→ dead letters (ProcessingFailed)
/// </code>
/// Each step dead-letters an element it fails on and goes on (see <see cref="ReactiveIngest.Streams.Failures.ProcessingFailure"/>);
/// duplicates are dropped and counted. Out0: the readings; out1: the dead letters.
/// </summary>
public static class ProcessingLeg
{
    /// <summary>The leg; <paramref name="alertsDone"/> receives, when the graph runs, the task of alert publishing.</summary>
    public static IGraph<FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>, NotUsed> Create(GraphContext context, Action<Task> alertsDone)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(alertsDone);
        var options = context.Options;
        var status = context.Status;
        return GraphDsl.Create(builder =>
        {
            var failed = builder.Add(new Merge<Envelope<DeadLetter>>(2));
            var dedupe = builder.Add(options.Deduplicate
                ? Deduplicate.Stage(new DeduplicateSettings(options.DeduplicateDepth, options.DeduplicateMaxKeys) { Counters = status.Deduplication })
                : Passing(null));
            var countStored = builder.Add(Flow.Create<Envelope<ReadingBatch>>().Select(e =>
            {
                status.AddMessageStored();
                return e;
            }));
            var analyze = builder.Add(context.Analytics is { } analytics ? analytics.Stage(alertsDone) : Passing(alertsDone));
            var observe = builder.Add(Flow.Create<Envelope<ReadingBatch>>()
                .Buffer(options.MergeBuffer, OverflowStrategy.Backpressure)
                .Select(e =>
                {
                    context.LiveView.RecordReadings(e.Payload);
                    status.AddReceived(e.Payload.Count);
                    return e;
                }));
            builder.From(dedupe.Out0).Via(countStored).To(analyze.In);
            builder.From(analyze.Out0).To(observe.Inlet);
            builder.From(dedupe.Out1).To(failed.In(0));
            builder.From(analyze.Out1).To(failed.In(1));
            return new FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>(dedupe.In, observe.Outlet, failed.Out);
        });
    }

    /// <summary>A step that is switched off: passes every element, never dead-letters.</summary>
    private static IGraph<FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>, NotUsed> Passing(Action<Task>? done) =>
        GraphDsl.Create(builder =>
        {
            var pass = builder.Add(Flow.Create<Envelope<ReadingBatch>>().MapMaterializedValue(_ =>
            {
                done?.Invoke(Task.CompletedTask);
                return NotUsed.Instance;
            }));
            var none = builder.Add(Source.Empty<Envelope<DeadLetter>>());
            return new FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>(pass.Inlet, pass.Outlet, none.Outlet);
        });
}
