// Kafka → decode-like step → discarding sink, next to a bare Confluent.Kafka consume loop doing the
// same decode, on the same topic of a librdkafka mock cluster, in the same run, alternating rounds.
// Each round uses a fresh consumer group and times from the first record to the last (group joins
// are excluded for both); warm-up rounds (JIT tiering) are printed but not counted. Run:
//   dotnet run -c Release --project tests/ReactiveIngest.Benchmarks -- kafka [--partitions 4] [--per-partition 50000] [--rounds 5] [--warmup 1]
//     [--high N] [--low N] [--commit-batch N] [librdkafka.key=value ...]   (source watermarks and commit batch; consumer properties for both sides)
// The stream side commits as a user would run it: released offsets, every --commit-batch releases (default: the source's) and every second.
// Each round prints process CPU µs and allocated bytes (GC.GetTotalAllocatedBytes, whole process) per record for both sides.
// The bare loop runs with KafkaConsumerSettings.LibrdkafkaDefaults and result fields "timestamp" (it reads no topic) unless
// overridden; the stream side gets the command-line properties only, so its settings choose their own defaults (as a user's
// source does: for one topic, the same "timestamp").
// --allocations: after each side of the last round, the types that made up its allocations (sampled GC allocation ticks).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using ReactiveIngest.Benchmarks.Pipeline;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.TestSupport.Kafka;

namespace ReactiveIngest.Benchmarks.Kafka;

internal static class KafkaThroughputHarness
{
    private const string Topic = "bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var partitions = Option(args, "--partitions", 4);
        var perPartition = Option(args, "--per-partition", 50_000); // ~3.5 MB per partition: the mock keeps ~5 MB
        var rounds = Option(args, "--rounds", 5);
        var warmup = Option(args, "--warmup", 1);
        var high = Option(args, "--high", new KafkaConsumerSettings { BootstrapServers = "", GroupId = "" }.PartitionHighWatermark);
        var low = Option(args, "--low", high / 4);
        var commitBatch = Option(args, "--commit-batch", new KafkaConsumerSettings { BootstrapServers = "", GroupId = "" }.CommitBatchSize);
        var properties = args.Where(a => a.Contains('=', StringComparison.Ordinal)).Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);
        var streamProperties = new Dictionary<string, string>(properties);
        // The bare loop never reads the topic, so it decodes only the timestamp, as the source does for one topic.
        properties.TryAdd("dotnet.consumer.consume.result.fields", "timestamp");
        foreach (var (key, value) in KafkaConsumerSettings.LibrdkafkaDefaults)
        {
            properties.TryAdd(key, value); // the bare loop gets the source's librdkafka tuning too
        }

        using var cluster = new KafkaMockClusterFixture();
        await cluster.InitializeAsync();
        await cluster.CreateTopicAsync(Topic, partitions);
        var total = Produce(cluster.BootstrapServers, partitions, perPartition);
        Console.WriteLine($"topic {Topic}: {partitions} partitions, {total} records of ~{Payload(0).Length} bytes, mock cluster {cluster.BootstrapServers}");

        using var sampler = args.Contains("--allocations") ? new AllocationSampler() : null;
        using var system = ActorSystem.Create("kafka-bench");
        var materializer = system.Materializer();
        var bare = new List<double>();
        var stream = new List<double>();
        var bareCpu = new List<double>();
        var streamCpu = new List<double>();
        var bareBytes = new List<double>();
        var streamBytes = new List<double>();
        for (var round = 1 - warmup; round <= rounds; round++)
        {
            var sample = round == rounds ? sampler : null;
            sample?.Reset();
            var (b, bCpu, bBytes) = BareLoop(cluster.BootstrapServers, $"bare-{round}", total, properties);
            PrintAllocations("bare", sample, total);
            sample?.Reset();
            var (s, sCpu, sBytes) = await StreamAsync(cluster.BootstrapServers, $"stream-{round}", total, materializer, streamProperties, high, low, commitBatch);
            PrintAllocations("stream", sample, total);
            if (round > 0)
            {
                bare.Add(b);
                stream.Add(s);
                bareCpu.Add(bCpu);
                streamCpu.Add(sCpu);
                bareBytes.Add(bBytes);
                streamBytes.Add(sBytes);
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(round > 0 ? "round " + round : "warm-up")}: bare {b,10:N0} rec/s ({bCpu:F2} µs CPU/rec, {bBytes:F0} B/rec)   stream {s,10:N0} rec/s ({sCpu:F2} µs CPU/rec, {sBytes:F0} B/rec)   ratio {s / b:P0}"));
        }

        var bareMedian = Median(bare);
        var streamMedian = Median(stream);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"median: bare {bareMedian:N0} rec/s, KafkaSource→decode→discard {streamMedian:N0} rec/s, ratio {streamMedian / bareMedian:P0} (goal ≥ 80%); " +
            $"process CPU per record: bare {Median(bareCpu):F2} µs, stream {Median(streamCpu):F2} µs; " +
            $"allocated per record: bare {Median(bareBytes):F0} B, stream {Median(streamBytes):F0} B"));
        return 0;
    }

    private static void PrintAllocations(string side, AllocationSampler? sampler, long total)
    {
        if (sampler is null)
        {
            return;
        }

        // Sampled over the whole side (group join and close included), so small types are approximate.
        var top = sampler.Top(12).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {(double)p.Value / total:F1}"));
        Console.WriteLine($"  {side} allocations, B/rec by type: {string.Join("; ", top)}");
    }

    /// <summary>The decode-like step both sides run: "device,metric,timestampNs,value" → Reading.</summary>
    internal static Reading Decode(ReadOnlySpan<byte> payload)
    {
        Span<Range> fields = stackalloc Range[5];
        Span<char> text = stackalloc char[payload.Length];
        var length = Encoding.ASCII.GetChars(payload, text);
        text = text[..length];
        if (((ReadOnlySpan<char>)text).Split(fields, ',') != 4)
        {
            throw new FormatException("expected four fields");
        }

        return new Reading(
            new string(text[fields[0]]),
            new string(text[fields[1]]),
            long.Parse(text[fields[2]], NumberStyles.Integer, CultureInfo.InvariantCulture),
            double.Parse(text[fields[3]], NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static (double RecordsPerSecond, double CpuMicrosPerRecord, double BytesPerRecord) BareLoop(
        string bootstrapServers, string groupId, long total, Dictionary<string, string> properties)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig(new Dictionary<string, string>(properties))
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(Topic);
        var clock = new Stopwatch();
        var cpuAtStart = TimeSpan.Zero;
        var bytesAtStart = 0L;
        var checksum = 0.0;
        long seen = 0;
        while (seen < total)
        {
            var result = consumer.Consume(TimeSpan.FromSeconds(1));
            if (result?.Message is null)
            {
                continue;
            }

            if (seen++ == 0)
            {
                cpuAtStart = CpuTime();
                bytesAtStart = GC.GetTotalAllocatedBytes();
                clock.Start();
            }

            checksum += Decode(result.Message.Value).Value;
        }

        clock.Stop();
        var cpu = CpuTime() - cpuAtStart;
        var bytes = GC.GetTotalAllocatedBytes() - bytesAtStart;
        consumer.Close();
        GC.KeepAlive(checksum);
        return ((total - 1) / clock.Elapsed.TotalSeconds, cpu.TotalMicroseconds / total, (double)bytes / total);
    }

    private static async Task<(double RecordsPerSecond, double CpuMicrosPerRecord, double BytesPerRecord)> StreamAsync(
        string bootstrapServers, string groupId, long total, IMaterializer materializer, Dictionary<string, string> properties, int high, int low, int commitBatch)
    {
        var clock = new Stopwatch();
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cpuAtStart = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        var bytesAtStart = 0L;
        var bytes = 0L;
        long seen = 0;
        var checksum = 0.0;
        var settings = new KafkaConsumerSettings
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            Topics = [Topic],
            Properties = properties,
            PartitionHighWatermark = high,
            PartitionLowWatermark = low,
            CommitBatchSize = commitBatch,
        };
        var control = KafkaSource.Committable(settings)
            .Select(envelope =>
            {
                var reading = Decode(envelope.Payload.Payload.Span);
                envelope.Ack.Release(); // discarded = done with it
                return reading;
            })
            .To(Sink.ForEach<Reading>(reading =>
            {
                if (seen++ == 0)
                {
                    cpuAtStart = CpuTime();
                    bytesAtStart = GC.GetTotalAllocatedBytes();
                    clock.Start();
                }

                checksum += reading.Value;
                if (seen == total)
                {
                    clock.Stop();
                    cpu = CpuTime() - cpuAtStart;
                    bytes = GC.GetTotalAllocatedBytes() - bytesAtStart;
                    finished.TrySetResult();
                }
            }))
            .Run(materializer);
        await finished.Task;
        var statistics = control.Statistics;
        Console.WriteLine($"  stream pauses {statistics.Pauses}, peak waiting per partition {statistics.PeakWaitingPerPartition}, commits {statistics.Commits}");
        await control.StopAsync();
        GC.KeepAlive(checksum);
        return ((total - 1) / clock.Elapsed.TotalSeconds, cpu.TotalMicroseconds / total, (double)bytes / total);
    }

    private static long Produce(string bootstrapServers, int partitions, int perPartition)
    {
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            LingerMs = 20,
            BatchSize = 512 * 1024,
        }).Build();
        for (var p = 0; p < partitions; p++)
        {
            for (var i = 0; i < perPartition; i++)
            {
                var device = (i % 1000) + (p * 1000);
                producer.Produce(
                    new TopicPartition(Topic, p),
                    new Message<string, byte[]> { Key = $"device-{device:D5}", Value = Payload(device) });
            }
        }

        if (producer.Flush(TimeSpan.FromMinutes(2)) != 0)
        {
            throw new InvalidOperationException("The benchmark records were not delivered.");
        }

        // The mock cluster drops old data past ~5 MB per partition; make sure every record is still there.
        using var reader = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "bench-check" }).Build();
        long total = 0;
        for (var p = 0; p < partitions; p++)
        {
            var watermarks = reader.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(30));
            if (watermarks.Low.Value != 0)
            {
                throw new InvalidOperationException($"Partition {p} lost records (low watermark {watermarks.Low}); use fewer --per-partition.");
            }

            total += watermarks.High.Value;
        }

        return total;
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static byte[] Payload(int device) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"device-{device:D5},temperature,1700000000123000000,{20 + (device % 10)}.5"));

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
