using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Core.Watermarks;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Service.Analytics;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Streams.Control;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Deduplication;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Diagnostics;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// Composes the ingest graph from configuration:
/// <code>
/// source₁ → decode₁ ┐                             ┌→ raw sink
/// source₂ → decode₂ ┼→ merge → analytics → live ──┼→ window₁ → live → ┐
/// …                 │          └→ alerts          └→ window₂ → live → ┴→ aggregate sink
///        dead letters (decode, too-late, processing failed) ────────────→ dead-letter sink
/// </code>
/// Right after the merge, readings seen recently are dropped (<see cref="DeduplicateStage"/>, counted in the status).
/// Every fan-out takes one acknowledgement reference per branch, so a message is acknowledged only after its raw
/// points and every window that holds its readings are stored as final (past the allowed lateness) with the window
/// progress saved (see <see cref="IWindowProgressStore"/>), and its alert events acknowledged by their broker.
/// Backpressure flows from the slowest sink to the sources.
/// </summary>
public static class IngestGraph
{
    /// <summary>The running graph: the sources' controls and a task that completes when every sink has finished.</summary>
    public sealed record Running(IReadOnlyList<ISourceControl> Sources, IReadOnlyList<IValveControl> Valves, UniqueKillSwitch KillSwitch, Task Completion);

    /// <summary>Builds and materializes the graph.</summary>
    public static Running Run(
        IMaterializer materializer,
        IReadOnlyList<IngestSource> sources,
        PipelineOptions options,
        IReadingValidator validator,
        int maxPayloadBytes,
        IPipelineOutputs outputs,
        LiveViewStore liveView,
        PipelineStatus status,
        TimeProvider timeProvider,
        PipelineAnalytics? analytics = null,
        IWindowProgressStore? progress = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        if (sources.Count == 0)
        {
            throw new ArgumentException("At least one source is required.", nameof(sources));
        }

        var windows = options.EffectiveWindows;
        var controls = new List<ISourceControl>();
        var valves = new List<IValveControl>();
        var branches = windows.Count + (options.RawWrites ? 1 : 0);
        var alertsDone = Task.CompletedTask;
        var partitionNames = new PartitionNames();
        var heldBack = HeldBackProbe([.. sources.Select(s => status.Source(s.Name).Backpressure)]);
        var graph = GraphDsl.Create(
            KillSwitches.Single<Envelope<ReadingBatch>>(),
            outputs.Raw(),
            outputs.Aggregates(),
            outputs.DeadLetters(),
            (kill, raw, aggregates, dead) => (kill, new[] { raw, aggregates, dead }),
            (builder, kill, rawSink, aggregateSink, deadSink) =>
            {
                var merge = builder.Add(new Merge<Envelope<ReadingBatch>>(sources.Count));
                var lateInputs = options.RawWrites ? 0 : windows.Count;
                var failedInputs = (options.Deduplicate ? 1 : 0) + (analytics is null ? 0 : 1) + windows.Count;
                var deadMerge = builder.Add(new Merge<Envelope<DeadLetter>>(sources.Count + lateInputs + failedInputs));
                var failedPort = sources.Count + lateInputs;
                FlowShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>> DeadLettering(FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>> stage)
                {
                    // Elements a stage failed on (RejectReason.ProcessingFailed) go to the dead letters; the rest flows on.
                    builder.From(stage.Out1).To(deadMerge.In(failedPort++));
                    return new FlowShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>>(stage.In, stage.Out0);
                }

                for (var i = 0; i < sources.Count; i++)
                {
                    var source = sources[i];
                    var watermarkPartitions = new WatermarkPartitions(i * PartitionsPerSource, source.PartitionsPerTopic, partitionNames, source.Name);
                    var health = status.Source(source.Name);
                    var messages = builder.Add(source.Messages
                        .MapMaterializedValue(control =>
                        {
                            lock (controls)
                            {
                                controls.Add(control);
                            }

                            health.Control = control;
                            return NotUsed.Instance;
                        })
                        .ViaMaterialized(Valve.Create<Envelope<RawMessage>>(), (_, valve) =>
                        {
                            lock (valves)
                            {
                                valves.Add(valve);
                            }

                            return NotUsed.Instance;
                        })
                        .Via(BackpressureTimer.Create<Envelope<RawMessage>>(health.Backpressure))
                        .Select(e =>
                        {
                            health.AddMessage();
                            status.AddMessageReceived();
                            var partition = watermarkPartitions.Of(e.Payload);
                            return partition == e.Payload.Partition ? e : new Envelope<RawMessage>(e.Payload with { Partition = partition }, e.Ack);
                        }));
                    var decode = builder.Add(DecodeFlow.Parallel(source.Decoder, validator, maxPayloadBytes, options.DecodeParallelism));
                    var countReadings = builder.Add(Flow.Create<Envelope<ReadingBatch>>().Select(e =>
                    {
                        health.AddReadings(e.Payload.Count);
                        return e;
                    }));
                    var countRejected = builder.Add(Flow.Create<Envelope<DeadLetter>>().Select(e =>
                    {
                        health.AddRejected();

                        return e;
                    }));
                    builder.From(messages).To(decode.In);
                    builder.From(decode.Out0).Via(countReadings).To(merge.In(i));
                    builder.From(decode.Out1).Via(countRejected).To(deadMerge.In(i));
                }

                var observe = builder.Add(Flow.Create<Envelope<ReadingBatch>>()
                    .Buffer(options.MergeBuffer, OverflowStrategy.Backpressure)
                    .Select(e =>
                    {
                        liveView.RecordReadings(e.Payload);
                        status.AddReceived(e.Payload.Count);
                        e.Ack.Retain(branches - 1);
                        return e;
                    }));
                var fanOut = builder.Add(new Broadcast<Envelope<ReadingBatch>>(branches));
                var dedupe = options.Deduplicate
                    ? DeadLettering(builder.Add(Deduplicate.Stage(new DeduplicateSettings(options.DeduplicateDepth, options.DeduplicateMaxKeys) { Counters = status.Deduplication })))
                    : builder.Add(Flow.Create<Envelope<ReadingBatch>>());
                var transformAndAlert = analytics is null
                    ? builder.Add(Flow.Create<Envelope<ReadingBatch>>())
                    : DeadLettering(builder.Add(analytics.Stage(done => alertsDone = done)));
                var countStored = builder.Add(Flow.Create<Envelope<ReadingBatch>>().Select(e =>
                {
                    status.AddMessageStored();
                    return e;
                }));
                builder.From(merge).Via(kill).Via(dedupe).Via(countStored).Via(transformAndAlert).Via(observe).To(fanOut.In);

                var port = 0;
                if (options.RawWrites)
                {
                    builder.From(fanOut.Out(port++)).To(rawSink);
                }

                var results = builder.Add(new Merge<Envelope<NamedWindowResult>>(windows.Count));
                for (var w = 0; w < windows.Count; w++)
                {
                    var definition = windows[w];
                    var name = definition.Name;
                    var windowHealth = status.Window(name);
                    var stage = builder.Add(WindowAggregate.Stage(new WindowAggregateSettings(WindowOptionsFor(definition, options))
                    {
                        EarlyResultsInterval = options.EarlyResultsInterval,
                        TimeProvider = timeProvider,
                        Gauges = windowHealth.Gauges,
                        Progress = progress,
                        ProgressWindow = name,
                        PartitionName = partitionNames.NameOf,
                        HeldBack = heldBack,
                    }));
                    builder.From(fanOut.Out(port++)).To(stage.In);
                    var toView = builder.Add(Flow.Create<Envelope<WindowResult>>().Select(e =>
                    {
                        var named = new NamedWindowResult(name, e.Payload);
                        liveView.RecordWindow(ToView(named));
                        status.AddWindowResults(1);
                        windowHealth.AddEmitted();
                        return new Envelope<NamedWindowResult>(named, e.Ack);
                    }));
                    builder.From(stage.Out0).Via(toView).To(results.In(w));
                    builder.From(stage.Out2).To(deadMerge.In(failedPort++));
                    if (options.RawWrites)
                    {
                        // The raw branch already stores the reading; the late output only counts it.
                        builder.From(stage.Out1).To(Sink.ForEach<Envelope<Reading>>(e =>
                        {
                            status.AddLateReadings(1);
                            windowHealth.AddLate();
                            e.Ack.Release();
                        }));
                    }
                    else
                    {
                        var tooLate = builder.Add(Flow.Create<Envelope<Reading>>().Select(e =>
                        {
                            status.AddLateReadings(1);
                            windowHealth.AddLate();
                            var r = e.Payload;
                            var detail = $"reading of {r.DeviceId}/{r.Metric} at {r.Timestamp:O} arrived after window '{name}' closed and its allowed lateness passed";
                            return new Envelope<DeadLetter>(
                                new DeadLetter(RejectReason.TooLate, detail, ReadOnlyMemory<byte>.Empty, new MessageContext(string.Empty, r.TimestampNs), "window:" + name),
                                e.Ack);
                        }));
                        builder.From(stage.Out1).Via(tooLate).To(deadMerge.In(sources.Count + w));
                    }
                }

                builder.From(results).To(aggregateSink);
                var countDead = builder.Add(Flow.Create<Envelope<DeadLetter>>().Select(e =>
                {
                    status.AddDeadLetters(1);
                    if (e.Payload.WholeMessage)
                    {
                        status.AddMessageDeadLettered();
                    }

                    return e;
                }));
                builder.From(deadMerge).Via(countDead).To(deadSink);
                return ClosedShape.Instance;
            });

        var (killSwitch, sinks) = RunnableGraph.FromGraph(graph).Run(materializer);

        // A fan-out keeps feeding its other branches when one sink fails, so a failed sink would leave the graph
        // half alive (its messages never released): any sink's failure stops the whole graph.
        foreach (var sink in sinks)
        {
            _ = sink.ContinueWith(
                t => killSwitch.Abort(t.Exception!.GetBaseException()),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new Running(controls, valves, killSwitch, Task.WhenAll(Task.WhenAll(sinks), alertsDone));
    }

    /// <summary>Input partitions are numbered per source; each source gets its own range for watermarks.</summary>
    public const int PartitionsPerSource = 4096;

    /// <summary>
    /// How long a source must have had input ready whenever the graph asked (<see cref="BackpressureClock.SupplyUnbrokenFor"/>)
    /// before its partitions count as held back, not idle: longer than a pause between bursts of a live source, far
    /// shorter than an idle timeout.
    /// </summary>
    public static readonly TimeSpan HeldBackAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The window stages' <see cref="WindowAggregateSettings.HeldBack"/>: a partition is held back while its source
    /// (partition / <see cref="PartitionsPerSource"/>) has passed an element and has not run dry for at least
    /// <see cref="HeldBackAfter"/>. Readings that stop arriving then are queued upstream (journal entries, Kafka
    /// records) behind a stalled sink (an InfluxDB outage), not absent, so their windows must not close on the idle
    /// timeout and the wall-clock fallback. A source that runs dry (a quiet fleet, or its own bound: the journal's
    /// <c>MaxUnreleasedEntries</c>, MQTT <c>MaxInFlight</c>, Kafka <c>MaxUnreleasedPerPartition</c>) is not held back.
    /// Kafka partitions are judged by their source: a silent partition of a source whose other partitions have a
    /// backlog stays active until that source runs dry.
    /// </summary>
    public static Func<int, bool> HeldBackProbe(IReadOnlyList<BackpressureClock> sourceClocks)
    {
        ArgumentNullException.ThrowIfNull(sourceClocks);
        return partition =>
        {
            var source = partition / PartitionsPerSource;
            if ((uint)source >= (uint)sourceClocks.Count)
            {
                return false;
            }

            var clock = sourceClocks[source];
            return clock.Elements > 0 && clock.SupplyUnbrokenFor >= HeldBackAfter;
        };
    }

    /// <summary>The engine options of one window definition.</summary>
    public static WindowOptions WindowOptionsFor(WindowDefinition definition, PipelineOptions options)
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
    public static WindowResultView ToView(NamedWindowResult named)
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
