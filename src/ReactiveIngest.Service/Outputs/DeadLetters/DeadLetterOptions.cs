namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>
/// Where dead letters go: section <c>ReactiveIngest:DeadLetters</c>. The in-memory log (last 10,000, served by
/// <c>GET /api/deadletters</c> and counted in /metrics) is always kept; <see cref="Target"/> adds a durable target.
/// A source message's acknowledgement is released only once its dead letters are durable in the target.
/// </summary>
public sealed class DeadLetterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:DeadLetters";

    /// <summary>Memory (default), File, Kafka or Mqtt.</summary>
    public DeadLetterTargetKind Target { get; set; } = DeadLetterTargetKind.Memory;

    /// <summary>
    /// Dead letters handed to the target and not yet durable, per writer. At the limit the writer stops pulling, which
    /// backpressures the pipeline (nothing is dropped). For the file target it is also the largest batch per flush.
    /// </summary>
    public int MaxInFlight { get; set; } = 1000;

    /// <summary>The file target, used when <see cref="Target"/> is File.</summary>
    public FileDeadLetterOptions File { get; set; } = new();

    /// <summary>The Kafka target, used when <see cref="Target"/> is Kafka.</summary>
    public KafkaDeadLetterOptions Kafka { get; set; } = new();

    /// <summary>The MQTT target, used when <see cref="Target"/> is Mqtt.</summary>
    public MqttDeadLetterOptions Mqtt { get; set; } = new();
}
