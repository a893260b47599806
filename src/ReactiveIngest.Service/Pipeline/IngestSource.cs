using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>One configured input: its messages and the codec that decodes them.</summary>
/// <param name="Name">The source name in logs, metrics and dead letters.</param>
/// <param name="Messages">The messages; the materialized value stops the source.</param>
/// <param name="Decoder">The codec for this source's payloads.</param>
public sealed record IngestSource(string Name, Source<Envelope<RawMessage>, ISourceControl> Messages, IReadingDecoder Decoder);
