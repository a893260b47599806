using ReactiveIngest.Kafka.Producer;
using ReactiveIngest.Mqtt.Publishing;

namespace ReactiveIngest.Service.Analytics;

/// <summary>A validated <see cref="AlertTargetDefinition"/>: exactly one of <see cref="Mqtt"/> and <see cref="Kafka"/> is set.</summary>
/// <param name="Key">Its configuration path, for messages.</param>
/// <param name="Name">The name rules refer to.</param>
/// <param name="Type">MQTT or Kafka.</param>
/// <param name="Topic">The default topic.</param>
/// <param name="Mqtt">Publisher settings of an MQTT target.</param>
/// <param name="Kafka">Producer settings of a Kafka target.</param>
public sealed record ConfiguredAlertTarget(string Key, string Name, AlertTargetType Type, string Topic, MqttPublisherSettings? Mqtt, KafkaProducerSettings? Kafka);
