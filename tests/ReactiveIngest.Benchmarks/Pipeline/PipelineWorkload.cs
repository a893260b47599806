using System.Diagnostics;
using System.Globalization;
using System.Text;
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
/// The issue's workload: JSON messages from 10,000 devices, each with 3 metrics, one message per device per event
/// second, slightly out of order; decode → validate → 10-second tumbling windows → aggregates, through an Akka graph,
/// with a real acknowledgement handle per message that must be released by the end.
/// </summary>
public sealed class PipelineWorkload
{
    /// <summary>Devices in the fleet.</summary>
    public const int Devices = 10_000;

    /// <summary>Metrics per message.</summary>
    public const int MetricsPerMessage = 3;

    private readonly RawMessage[] _messages;

    /// <summary>Pre-generates <paramref name="messages"/> payloads (not part of the measurement).</summary>
    public PipelineWorkload(int messages)
    {
        var random = new Random(42);
        _messages = new RawMessage[messages];
        // An hour ago, aligned to 10 s, so the production validator (7 days of age allowed) accepts every reading.
        var baseMs = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 10_000 * 10_000) - 3_600_000;
        for (var i = 0; i < messages; i++)
        {
            var device = i % Devices;
            var second = i / Devices;
            var ts = baseMs + (second * 1000L) + random.Next(0, 1500) - 750; // ±0.75 s out of order
            var json = string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"deviceId\":\"dev-{device:D5}\",\"ts\":{ts},\"temperature\":{20 + (random.NextDouble() * 5):F2},\"humidity\":{40 + (random.NextDouble() * 20):F2},\"pressure\":{1000 + (random.NextDouble() * 30):F1}}}");
            _messages[i] = new RawMessage(Encoding.UTF8.GetBytes(json), new MessageContext("devices", 0), "bench", i % 4);
        }
    }

    /// <summary>The pre-generated messages.</summary>
    internal IReadOnlyList<RawMessage> Messages => _messages;

    /// <summary>Readings in the workload.</summary>
    public long Readings => (long)_messages.Length * MetricsPerMessage;

    /// <summary>Runs the graph once and returns the counts and the elapsed wall and CPU time.</summary>
    /// <param name="system">The actor system to materialize in.</param>
    /// <param name="decodeParallelism">Decoding threads (1: on the stream's thread, as <c>DecodeFlow.Stage</c>).</param>
    public async Task<PipelineRun> RunAsync(ActorSystem system, int decodeParallelism)
    {
        ArgumentNullException.ThrowIfNull(system);
        var acked = 0L;
        var results = 0L;
        var windowedReadings = 0L;
        var late = 0L;
        var dead = 0L;
        var settings = new WindowAggregateSettings(new WindowOptions(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)))
        {
            Watermarks = new WatermarkOptions { OutOfOrderness = TimeSpan.FromSeconds(2) },
        });
        var decoder = BenchmarkCodec.CreateDecoder();
        var validator = BenchmarkCodec.CreateValidator();
        Action onAck = () => Interlocked.Increment(ref acked);

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var gen0Before = GC.CollectionCount(0);
        var pauseBefore = GC.GetTotalPauseDuration();
        var watch = Stopwatch.StartNew();
        await Source.From(_messages)
            .Select(m => new Envelope<RawMessage>(m, new CallbackAckHandle(onAck)))
            .Via(DecodeFlow.Create(decoder, Sink.ForEach<Envelope<Core.DeadLetters.DeadLetter>>(d =>
            {
                dead++;
                d.Ack.Release();
            }), validator, parallelism: decodeParallelism))
            .Via(WindowAggregate.Create(settings, Sink.ForEach<Envelope<Reading>>(r =>
            {
                Interlocked.Increment(ref late);
                r.Ack.Release();
            }), Sink.ForEach<Envelope<DeadLetter>>(d => d.Ack.Release())))
            .RunForeach(
                r =>
                {
                    results++;
                    if (r.Payload.Kind is EmissionKind.Final or EmissionKind.Evicted)
                    {
                        windowedReadings += r.Payload.Aggregates.Count; // late updates repeat a window's readings
                    }

                    r.Ack.Release();
                },
                system.Materializer())
            .ConfigureAwait(false);
        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return new PipelineRun(Readings, windowedReadings, Interlocked.Read(ref late), dead, results, Interlocked.Read(ref acked), _messages.Length, watch.Elapsed, cpu, GC.CollectionCount(0) - gen0Before, GC.GetTotalPauseDuration() - pauseBefore);
    }
}
