using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>One configured input: its messages and the codec that decodes them.</summary>
/// <param name="Name">The source name in logs, metrics and dead letters.</param>
/// <param name="Messages">The messages; the materialized value stops the source.</param>
/// <param name="Decoder">The codec for this source's payloads.</param>
/// <param name="PartitionsPerTopic">
/// True when a message's partition number is only unique within its topic (Kafka), so that each (topic, partition)
/// needs its own watermark partition; false when the number alone identifies the input (MQTT connections, HTTP).
/// </param>
public sealed record IngestSource(string Name, Source<Envelope<RawMessage>, ISourceControl> Messages, IReadingDecoder Decoder, bool PartitionsPerTopic = false);
