namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>The Kafka target: <c>ReactiveIngest:DeadLetters:Kafka</c>. Records are keyed by source name.</summary>
public sealed class KafkaDeadLetterOptions
{
    /// <summary>The topic dead letters are written to.</summary>
    public string? Topic { get; set; }

    /// <summary>Comma-separated host:port list.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>
    /// librdkafka producer properties passed through (SASL, TLS, linger.ms, message.timeout.ms…). The producer is always
    /// idempotent with acks=all; properties that would weaken that are refused at start.
    /// </summary>
    public Dictionary<string, string> Properties { get; set; } = [];
}
