using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Watermarks;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Benchmarks.Pipeline;

/// <summary>
/// Console mode: <c>--window-breakdown [messages] [iterations] [--allocations]</c>. Splits the pipeline workload's cost into its
/// parts, each measured alone on one thread (decode + validate; the window engine alone; the engine with the
/// acknowledgement ledger; the window stage in an Akka graph fed pre-decoded batches), in ns per reading and bytes
/// allocated per reading, so the thread that limits the graph can be seen. <c>--allocations</c> adds the sampled
/// allocation volume of each part by type.
/// </summary>
public static class WindowBreakdown
{
    /// <summary>Runs the breakdown; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        using var sampler = args.Contains("--allocations") ? new AllocationSampler() : null;
        _sampler = sampler;
        var workload = new PipelineWorkload(messages);
        var readings = workload.Readings;
        using var system = ActorSystem.Create("breakdown", "akka.loglevel = WARNING");
        ReadingBatch[] batches = [];
        for (var i = 0; i <= iterations; i++)
        {
            var label = i == 0 ? "warm-up" : $"run {i}";
            batches = Measure(label, "decode+validate", readings, () => Decode(workload.Messages));
            Measure(label, "engine", readings, () => Engine(batches));
            Measure(label, "engine+ledger", readings, () => EngineAndLedger(batches));
            await MeasureAsync(label, "stage graph", readings, () => StageGraph(system, batches));
        }

        return 0;
    }

    private static AllocationSampler? _sampler;

    private static WindowAggregateSettings Settings() => new(new WindowOptions(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)))
    {
        Watermarks = new WatermarkOptions { OutOfOrderness = TimeSpan.FromSeconds(2) },
    });

    private static ReadingBatch[] Decode(IReadOnlyList<RawMessage> messages)
    {
        var decoder = BenchmarkCodec.CreateDecoder();
        var validator = BenchmarkCodec.CreateValidator();
        var output = new List<Reading>(8);
        var batches = new ReadingBatch[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            output.Clear();
            decoder.Decode(m.Payload.Span, m.Context, output);
            foreach (var r in output)
            {
                validator.Validate(r, out _);
            }

            batches[i] = new ReadingBatch([.. output], m.Partition, m);
        }

        return batches;
    }

    private static long Engine(ReadingBatch[] batches)
    {
        var results = 0L;
        var engine = new WindowEngine(Settings().Windows, _ => results++);
        for (var i = 0; i < batches.Length; i++)
        {
            var batch = batches[i];
            foreach (ref readonly var r in batch.AsSpan())
            {
                engine.Add(r, batch.Partition, i);
            }

            engine.Flush();
        }

        engine.CloseAll();
        return results;
    }

    private static long EngineAndLedger(ReadingBatch[] batches)
    {
        var ledger = new AckLedger();
        var acked = 0L;
        Action onAck = () => acked++;
        var engine = new WindowEngine(Settings().Windows, r => ledger.Track(r.OldestSequence).Release());
        for (var i = 0; i < batches.Length; i++)
        {
            var batch = batches[i];
            foreach (ref readonly var r in batch.AsSpan())
            {
                engine.Add(r, batch.Partition, i);
            }

            engine.Flush();
            ledger.AppendAndAdvance(i, new CallbackAckHandle(onAck), engine.OldestUnemittedSequence, i + 1);
        }

        engine.CloseAll();
        ledger.Advance(engine.OldestUnemittedSequence, batches.Length);
        return acked;
    }

    private static async Task<long> StageGraph(ActorSystem system, ReadingBatch[] batches)
    {
        var acked = 0L;
        Action onAck = () => Interlocked.Increment(ref acked);
        await Source.From(batches)
            .Select(b => new Envelope<ReadingBatch>(b, new CallbackAckHandle(onAck)))
            .Via(WindowAggregate.Create(Settings(), Sink.ForEach<Envelope<Reading>>(r => r.Ack.Release()), Sink.ForEach<Envelope<DeadLetter>>(d => d.Ack.Release())))
            .RunForeach(r => r.Ack.Release(), system.Materializer())
            .ConfigureAwait(false);
        return Interlocked.Read(ref acked);
    }

    private static T Measure<T>(string label, string part, long readings, Func<T> body)
    {
        var (result, line) = Time(readings, body);
        Console.WriteLine($"{label} {part}: {line}");
        PrintSampledAllocations(readings);
        return result;
    }

    private static async Task MeasureAsync(string label, string part, long readings, Func<Task<long>> body)
    {
        GC.Collect();
        _sampler?.Reset();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gcs = GC.CollectionCount(0);
        var paused = GC.GetTotalPauseDuration();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await body().ConfigureAwait(false);
        watch.Stop();
        process.Refresh();
        Console.WriteLine($"{label} {part}: {Format(readings, watch.Elapsed, process.TotalProcessorTime - cpu, GC.GetTotalAllocatedBytes(precise: true) - allocated, GC.CollectionCount(0) - gcs, GC.GetTotalPauseDuration() - paused)}");
        PrintSampledAllocations(readings);
    }

    private static void PrintSampledAllocations(long readings)
    {
        if (_sampler is { } sampler)
        {
            Console.WriteLine($"  sampled by type: {string.Join(", ", sampler.Top(6).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {(double)p.Value / readings:F1} B/reading")))}");
            sampler.Reset();
        }
    }

    private static (T Result, string Line) Time<T>(long readings, Func<T> body)
    {
        GC.Collect();
        _sampler?.Reset();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var gcs = GC.CollectionCount(0);
        var paused = GC.GetTotalPauseDuration();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = body();
        watch.Stop();
        process.Refresh();
        return (result, Format(readings, watch.Elapsed, process.TotalProcessorTime - cpu, GC.GetTotalAllocatedBytes(precise: true) - allocated, GC.CollectionCount(0) - gcs, GC.GetTotalPauseDuration() - paused));
    }

    private static string Format(long readings, TimeSpan wall, TimeSpan cpu, long bytes, int gen0, TimeSpan paused) => string.Create(
        CultureInfo.InvariantCulture,
        $"{wall.TotalNanoseconds / readings:F0} ns/reading wall, {cpu.TotalNanoseconds / readings:F0} ns/reading CPU, {(double)bytes / readings:F0} B/reading, {gen0} gen0 GCs pausing {paused.TotalNanoseconds / readings:F0} ns/reading");
}
