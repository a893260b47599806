using Akka;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Kafka.Producer;
using ReactiveIngest.Mqtt.Publishing;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>
/// Builds the sinks that dead letters go to: each dead letter is recorded in the in-memory <see cref="DeadLetterLog"/>
/// and written to the configured target (<see cref="DeadLetterOptions.Target"/>); its acknowledgement reference is
/// released only once it is durable there: the file flushed to disk, or the Kafka / MQTT broker acknowledged it. So a
/// crash never loses a dead letter: its message is redelivered and dead-lettered again (at least once).
/// <para><b>Bound.</b> Per writer at most <see cref="DeadLetterOptions.MaxInFlight"/> dead letters await durability
/// (file: one batch being flushed plus one batch collecting); at the limit the writer backpressures the pipeline.</para>
/// <para><b>Failures.</b> A file that cannot be written is retried with backoff (up to 10 s apart) while the pipeline
/// waits; the MQTT publisher reconnects and publishes again; a Kafka delivery that still fails after librdkafka's
/// message.timeout.ms fails the pipeline (the unacknowledged messages are redelivered on restart).</para>
/// </summary>
public sealed partial class DeadLetterOutput(IOptions<DeadLetterOptions> options, DeadLetterLog log, ILogger<DeadLetterOutput> logger) : IOutput, IDisposable
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);
    private readonly object _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private DeadLetterFile? _file;
    private int _writers;
    private int _isDisposed;

    /// <inheritdoc />
    public string Name => "dead letters";

    /// <inheritdoc />
    public Sink<Envelope<DeadLetter>, Task> DeadLetters() => Sink();

    /// <summary>The file store when the target is File (created with the first writer), otherwise null.</summary>
    public DeadLetterFile? File
    {
        get
        {
            lock (_gate)
            {
                return _file;
            }
        }
    }

    /// <summary>
    /// A sink for dead letters: records, counts in <paramref name="countInto"/> when given (for dead letters that did not
    /// pass the graph's own counter, such as points the storage rejected), writes to the target and then releases.
    /// Each call makes one more writer; its task completes when upstream completed and everything is durable.
    /// </summary>
    public Sink<Envelope<DeadLetter>, Task> Sink(PipelineStatus? countInto = null)
    {
        var settings = options.Value;
        if (settings.Target == DeadLetterTargetKind.Memory)
        {
            return DeadLetterRecorder.Sink(log, countInto);
        }

        var writer = Interlocked.Increment(ref _writers);
        var serialized = Flow.Create<Envelope<DeadLetter>>().Select(e =>
        {
            log.Record(e.Payload);
            countInto?.AddDeadLetters(1);
            return new Envelope<(string Source, byte[] Json)>((e.Payload.Source, DeadLetterJson.Serialize(e.Payload, e.Ack)), e.Ack);
        });
        return settings.Target switch
        {
            DeadLetterTargetKind.File => serialized
                .Batch(settings.MaxInFlight, e => new List<Envelope<(string Source, byte[] Json)>> { e }, (batch, e) =>
                {
                    batch.Add(e);
                    return batch;
                })
                .SelectAsync(1, WriteToFileAsync)
                .ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<NotUsed>(), Keep.Right)
                .MapMaterializedValue(done => (Task)done),
            DeadLetterTargetKind.Kafka => serialized
                .Select(e => new Envelope<KafkaProducerRecord>(new KafkaProducerRecord(settings.Kafka.Topic!, e.Payload.Source, e.Payload.Json), e.Ack))
                .ToMaterialized(KafkaSink.Create(DeadLetterTargets.KafkaSettings(settings), (KafkaProducerRecord r) => r), Keep.Right),
            DeadLetterTargetKind.Mqtt => serialized
                .Select(e => new Envelope<MqttOutgoingMessage>(new MqttOutgoingMessage(settings.Mqtt.Topic!, e.Payload.Json), e.Ack))
                .ToMaterialized(MqttPublisher.Sink(DeadLetterTargets.MqttSettings(settings, writer)), Keep.Right)
                .MapMaterializedValue(done => (Task)done),
            _ => throw new InvalidOperationException($"Unknown dead-letter target {settings.Target}."),
        };
    }

    /// <inheritdoc />
    /// <remarks>Idempotent: the host disposes it both as itself and as an <see cref="IOutput"/>.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _isDisposed, 1) != 0)
        {
            return;
        }

        _disposed.Cancel();
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }

        _disposed.Dispose();
    }

    private async Task<NotUsed> WriteToFileAsync(List<Envelope<(string Source, byte[] Json)>> batch)
    {
        DeadLetterFile file;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            file = _file ??= new DeadLetterFile(options.Value.File);
        }

        var records = batch.ConvertAll(e => e.Payload.Json);
        var token = _disposed.Token;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await Task.Run(() => file.Append(records), token);
                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(MaxRetryDelay.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt, 16))));
                LogFileWriteFailed(logger, file.ActivePath, delay, e.Message);
                await Task.Delay(delay, token);
            }
        }

        foreach (var envelope in batch)
        {
            envelope.Ack.Release();
        }

        return NotUsed.Instance;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dead letters could not be written to {Path}; retrying in {Delay}: {Reason}")]
    private static partial void LogFileWriteFailed(ILogger logger, string path, TimeSpan delay, string reason);
}
