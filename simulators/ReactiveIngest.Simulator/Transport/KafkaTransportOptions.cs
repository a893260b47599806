namespace ReactiveIngest.Simulator.Transport;

/// <summary>The Kafka transport: where to produce. Scenario key <c>transport.kafka</c>.</summary>
public sealed class KafkaTransportOptions
{
    /// <summary>Bootstrap servers (host:port list). The load test fills this in when it starts the mock cluster.</summary>
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary>The topic. Default <c>telemetry</c>.</summary>
    public string Topic { get; set; } = "telemetry";

    /// <summary>Partitions of the topic when the load test creates it. Default 6.</summary>
    public int Partitions { get; set; } = 6;

    /// <summary>librdkafka <c>linger.ms</c>: how long the producer waits to fill a batch. Default 5.</summary>
    public double LingerMs { get; set; } = 5;

    /// <summary>Messages the producer's queue holds at most (<c>queue.buffering.max.messages</c>); beyond it a send waits. Default 100 000.</summary>
    public int QueueMessages { get; set; } = 100_000;

    /// <summary>Problems, each naming the setting.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            yield return $"{prefix}.bootstrapServers must not be empty.";
        }

        if (string.IsNullOrWhiteSpace(Topic))
        {
            yield return $"{prefix}.topic must not be empty.";
        }

        if (Partitions < 1 || LingerMs < 0 || QueueMessages < 1)
        {
            yield return $"{prefix}: partitions must be ≥ 1, lingerMs ≥ 0 and queueMessages ≥ 1.";
        }
    }
}
