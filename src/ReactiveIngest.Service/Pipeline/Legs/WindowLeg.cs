using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Core.Watermarks;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Pipeline.Legs;

/// <summary>
/// The window leg of one window definition: the event-time window stage, its results named and shown in the live view
/// (out0), and its dead letters (out1): readings that came after the allowed lateness (<c>TooLate</c>, unless raw
/// writes store them anyway, then they are only counted) and elements the stage failed on (<c>ProcessingFailed</c>).
/// </summary>
public static class WindowLeg
{
    /// <summary>
    /// The leg of <paramref name="definition"/>. Its stage names partitions by <paramref name="partitionNames"/> (in saved
    /// progress) and asks <paramref name="heldBack"/> whether a quiet partition is held back rather than idle.
    /// </summary>
    public static IGraph<FanOutShape<Envelope<ReadingBatch>, Envelope<NamedWindowResult>, Envelope<DeadLetter>>, NotUsed> Create(
        WindowDefinition definition, GraphContext context, PartitionNames partitionNames, Func<int, bool> heldBack)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(partitionNames);
        var name = definition.Name;
        var status = context.Status;
        var health = status.Window(name);
        var storedRaw = context.Options.RawWrites;
        return GraphDsl.Create(builder =>
        {
            var stage = builder.Add(WindowAggregate.Stage(new WindowAggregateSettings(OptionsFor(definition, context.Options))
            {
                EarlyResultsInterval = context.Options.EarlyResultsInterval,
                TimeProvider = context.TimeProvider,
                Gauges = health.Gauges,
                Progress = context.Progress,
                ProgressWindow = name,
                PartitionName = partitionNames.NameOf,
                HeldBack = heldBack,
            }));
            var named = builder.Add(Flow.Create<Envelope<WindowResult>>().Select(e =>
            {
                var result = new NamedWindowResult(name, e.Payload);
                context.LiveView.RecordWindow(View(result));
                status.AddWindowResults(1);
                health.AddEmitted();
                return new Envelope<NamedWindowResult>(result, e.Ack);
            }));
            var dead = builder.Add(new Merge<Envelope<DeadLetter>>(storedRaw ? 1 : 2));
            builder.From(stage.Out0).To(named.Inlet);
            builder.From(stage.Out2).To(dead.In(0));
            if (storedRaw)
            {
                // The raw output already stores the reading; the late output only counts it.
                builder.From(stage.Out1).To(Acked.ForEach<Reading>(_ =>
                {
                    status.AddLateReadings(1);
                    health.AddLate();
                }));
            }
            else
            {
                var tooLate = builder.Add(Flow.Create<Envelope<Reading>>().Select(e =>
                {
                    status.AddLateReadings(1);
                    health.AddLate();
                    var r = e.Payload;
                    var detail = $"reading of {r.DeviceId}/{r.Metric} at {r.Timestamp:O} arrived after window '{name}' closed and its allowed lateness passed";
                    return new Envelope<DeadLetter>(
                        new DeadLetter(RejectReason.TooLate, detail, ReadOnlyMemory<byte>.Empty, new MessageContext(string.Empty, r.TimestampNs), "window:" + name),
                        e.Ack);
                }));
                builder.From(stage.Out1).Via(tooLate).To(dead.In(1));
            }

            return new FanOutShape<Envelope<ReadingBatch>, Envelope<NamedWindowResult>, Envelope<DeadLetter>>(stage.In, named.Outlet, dead.Out);
        });
    }

    /// <summary>The engine options of one window definition.</summary>
    public static WindowOptions OptionsFor(WindowDefinition definition, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        return new WindowOptions(definition.ToSpec())
        {
            KeyTags = options.KeyTags,
            AllowedLateness = options.AllowedLateness,
            MaxOpenWindows = options.MaxOpenWindows,
            Watermarks = new WatermarkOptions
            {
                OutOfOrderness = options.OutOfOrderness,
                IdleTimeout = options.IdleTimeout,
                WallClockFallback = options.WallClockFallback,
                MaxPartitions = 1024,
            },
        };
    }

    /// <summary>A window result as the API shows it.</summary>
    private static WindowResultView View(NamedWindowResult named)
    {
        ArgumentNullException.ThrowIfNull(named);
        var r = named.Result;
        var a = r.Aggregates;
        return new WindowResultView
        {
            DeviceId = r.Key.DeviceId,
            Metric = r.Key.Metric,
            Window = named.Window,
            WindowStart = UnixTime.ToDateTimeOffset(r.StartNs),
            WindowEnd = UnixTime.ToDateTimeOffset(r.EndNs),
            Count = a.Count,
            Sum = a.Sum,
            Min = a.Min,
            Max = a.Max,
            Mean = a.Mean,
            StdDev = a.StdDev,
            First = a.First,
            Last = a.Last,
            P50 = a.P50,
            P90 = a.P90,
            P95 = a.P95,
            P99 = a.P99,
            Final = r.Kind != EmissionKind.Early,
        };
    }
}
