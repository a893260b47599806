namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>Where dead letters are made durable (besides the in-memory log, which always keeps the most recent).</summary>
public enum DeadLetterTargetKind
{
    /// <summary>Only the in-memory log: nothing survives a restart. The default.</summary>
    Memory = 0,

    /// <summary>JSON lines in a local file, rotated by size (<see cref="FileDeadLetterOptions"/>).</summary>
    File = 1,

    /// <summary>A Kafka topic (<see cref="KafkaDeadLetterOptions"/>).</summary>
    Kafka = 2,

    /// <summary>An MQTT topic (<see cref="MqttDeadLetterOptions"/>).</summary>
    Mqtt = 3,
}
