using Confluent.Kafka;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// Kafka with Confluent.Kafka: one idempotent producer (acks=all, ordered per partition, no duplicates from its own
/// retries) shared by every connection, each message keyed by device id so a device's readings stay in one partition.
/// A "connection" is a view of the producer that can be dropped; the producer itself is flushed and closed on dispose.
/// </summary>
public sealed class KafkaTransport : ITransport, IAsyncDisposable
{
    private readonly KafkaTransportOptions _options;
    private readonly IProducer<string, byte[]> _producer;

    /// <summary>Creates the producer (librdkafka connects lazily).</summary>
    public KafkaTransport(KafkaTransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            LingerMs = options.LingerMs,
            QueueBufferingMaxMessages = options.QueueMessages,
            ClientId = "reactiveingest-simulator",
        };
        _producer = new ProducerBuilder<string, byte[]>(config)
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Warning) { Console.Error.WriteLine($"[kafka] {m.Level} {m.Message}"); } })
            .Build();
    }

    /// <inheritdoc />
    public string Name => "kafka";

    /// <summary>The topic produced to.</summary>
    public string Topic => _options.Topic;

    /// <inheritdoc />
    public Task<ITransportConnection> ConnectAsync(string clientId, CancellationToken cancellationToken = default) =>
        Task.FromResult<ITransportConnection>(new Connection(this));

    /// <summary>Waits (up to 60 s) for queued messages to be delivered, then closes the producer.</summary>
    public ValueTask DisposeAsync()
    {
        _producer.Flush(TimeSpan.FromSeconds(60));
        _producer.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Connection(KafkaTransport owner) : ITransportConnection
    {
        private int _closed;

        public bool IsConnected => Volatile.Read(ref _closed) == 0;

        public async Task<bool> PublishAsync(string topic, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
        {
            if (!IsConnected)
            {
                throw new InvalidOperationException("The connection was dropped.");
            }

            try
            {
                // The MQTT topic is not the Kafka topic: every device produces to the configured one, keyed by device.
                var result = await owner._producer.ProduceAsync(owner._options.Topic, new Message<string, byte[]> { Key = key, Value = payload.ToArray() }, cancellationToken);
                return result.Status == PersistenceStatus.Persisted;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code is ErrorCode.MsgSizeTooLarge or ErrorCode.InvalidMsg or ErrorCode.RecordListTooLarge)
            {
                return false; // refused by the broker: the message itself is the problem, retrying will not help
            }
        }

        public Task CloseAsync(bool graceful, CancellationToken cancellationToken = default)
        {
            Interlocked.Exchange(ref _closed, 1);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => new(CloseAsync(graceful: true));
    }
}
