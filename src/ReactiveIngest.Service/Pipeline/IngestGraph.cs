using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Service.Pipeline.Legs;
using ReactiveIngest.Streams.Control;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// Composes the ingest graph from its legs, over whatever inputs and outputs are registered:
/// <code>
/// input₁ leg ┐                                     ┌→ readings → outputs
/// input₂ leg ┼→ merge → kill switch → processing ──┼→ window₁ leg ┐
/// …          │                                     └→ window₂ leg ┴→ window results → outputs
///            └── dead letters (decode, processing, windows) ───────────────────────→ dead letters → outputs
/// </code>
/// Every fan-out is an <see cref="AckBroadcast"/>, so a message is acknowledged only after every output stored its raw
/// points, every window that holds its readings is stored as final (past the allowed lateness) with the window
/// progress saved (see <see cref="ReactiveIngest.Streams.Windows.IWindowProgressStore"/>), and its alert events are
/// acknowledged by their broker. Backpressure flows from the slowest output to the inputs. Any output's failure aborts
/// the kill switch, so a half-alive graph never holds messages unacknowledged.
/// </summary>
public static class IngestGraph
{
    /// <summary>One input as the graph takes it: the input and its messages after the edge limit and the journal.</summary>
    public sealed record Input(IInput Definition, Source<Envelope<RawMessage>, IInputControl> Messages);

    /// <summary>The running graph: the inputs' controls, their valves, the kill switch and a task that completes when every output has finished.</summary>
    public sealed record Running(IReadOnlyList<RunningInput> Inputs, IReadOnlyList<IValveControl> Valves, UniqueKillSwitch KillSwitch, Task Completion);

    /// <summary>Builds and materializes the graph; <paramref name="provisional"/>, when given, sits in front of the window outputs.</summary>
    public static Running Run(IMaterializer materializer, IReadOnlyList<Input> inputs, IReadOnlyList<IOutput> outputs, GraphContext context, ProvisionalWindows? provisional = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(context);
        if (inputs.Count == 0)
        {
            throw new ArgumentException("At least one input is required.", nameof(inputs));
        }

        var windows = context.Options.EffectiveWindows;
        var readingSinks = context.Options.RawWrites ? Sinks(outputs, o => o.Readings()) : [];
        var running = new List<RunningInput>();
        var valves = new List<IValveControl>();
        var done = new List<Task>();
        var alertsDone = Task.CompletedTask;
        var partitionNames = new PartitionNames();
        var heldBack = HeldBack.Probe([.. inputs.Select(i => context.Status.Source(i.Definition.Name).Backpressure)]);
        var graph = GraphDsl.Create(KillSwitches.Single<Envelope<ReadingBatch>>(), (builder, kill) =>
        {
            var merge = builder.Add(new Merge<Envelope<ReadingBatch>>(inputs.Count));
            var dead = builder.Add(new Merge<Envelope<DeadLetter>>(inputs.Count + 1 + windows.Count));
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                var name = input.Definition.Name;
                var health = context.Status.Source(name);
                var partitions = new WatermarkPartitions(i * PartitionsPerSource, input.Definition.PartitionsPerTopic, partitionNames, name);
                var messages = builder.Add(InputLeg.Messages(input.Messages, health, partitions, context, (control, valve) =>
                {
                    lock (running)
                    {
                        running.Add(new RunningInput(name, control));
                        valves.Add(valve);
                    }
                }));
                var decode = builder.Add(InputLeg.Decode(input.Definition, health, context));
                builder.From(messages).To(decode.In);
                builder.From(decode.Out0).To(merge.In(i));
                builder.From(decode.Out1).To(dead.In(i));
            }

            var processing = builder.Add(ProcessingLeg.Create(context, t => alertsDone = t));
            builder.From(merge).Via(kill).To(processing.In);
            builder.From(processing.Out1).To(dead.In(inputs.Count));
            var fanOut = builder.Add(AckBroadcast.Create<ReadingBatch>(Math.Max(1, readingSinks.Count + windows.Count)));
            builder.From(processing.Out0).To(fanOut.In);
            var port = 0;
            foreach (var sink in readingSinks.Count + windows.Count == 0 ? [Acked.Ignore<ReadingBatch>()] : readingSinks)
            {
                builder.From(fanOut.Out(port++)).To(builder.Add(sink.MapMaterializedValue(t => Collect(done, t))));
            }

            if (windows.Count > 0)
            {
                var results = builder.Add(new Merge<Envelope<NamedWindowResult>>(windows.Count));
                for (var w = 0; w < windows.Count; w++)
                {
                    var leg = builder.Add(WindowLeg.Create(windows[w], context, partitionNames, heldBack));
                    builder.From(fanOut.Out(port++)).To(leg.In);
                    builder.From(leg.Out0).To(results.In(w));
                    builder.From(leg.Out1).To(dead.In(inputs.Count + 1 + w));
                }

                var named = builder.Add(provisional?.Flow() ?? Flow.Create<Envelope<NamedWindowResult>>());
                builder.From(results.Out).To(named.Inlet);
                OutputLeg.Connect(builder, named.Outlet, Sinks(outputs, o => o.Windows()), t => Collect(done, t));
            }

            var counted = builder.Add(Flow.Create<Envelope<DeadLetter>>().Select(e =>
            {
                context.Status.AddDeadLetters(1);
                if (e.Payload.WholeMessage)
                {
                    context.Status.AddMessageDeadLettered();
                }

                return e;
            }));
            builder.From(dead.Out).To(counted.Inlet);
            OutputLeg.Connect(builder, counted.Outlet, Sinks(outputs, o => o.DeadLetters()), t => Collect(done, t));
            return ClosedShape.Instance;
        });

        var killSwitch = RunnableGraph.FromGraph(graph).Run(materializer);
        foreach (var sink in done)
        {
            _ = sink.ContinueWith(
                t => killSwitch.Abort(t.Exception!.GetBaseException()),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new Running(running, valves, killSwitch, Task.WhenAll(Task.WhenAll(done), alertsDone));
    }

    /// <summary>Input partitions are numbered per source; each source gets its own range for watermarks.</summary>
    public const int PartitionsPerSource = 4096;

    private static List<Sink<Envelope<T>, Task>> Sinks<T>(IReadOnlyList<IOutput> outputs, Func<IOutput, Sink<Envelope<T>, Task>?> of) =>
        [.. outputs.Select(of).Where(s => s is not null).Select(s => s!)];

    private static NotUsed Collect(List<Task> done, Task task)
    {
        lock (done)
        {
            done.Add(task);
        }

        return NotUsed.Instance;
    }
}
