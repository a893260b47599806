using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Turns one message payload into readings. Decoders are stateless and thread-safe. On success the
/// readings are appended to <c>output</c>; on failure nothing is appended and the error says why.
/// The caller owns and reuses the output list, so the hot path allocates no per-message collection.
/// </summary>
public interface IReadingDecoder
{
    /// <summary>Decodes <paramref name="payload"/>.</summary>
    /// <returns><c>null</c> on success, otherwise the reason the whole message was rejected.</returns>
    DecodeError? Decode(ReadOnlySpan<byte> payload, in MessageContext context, List<Reading> output);
}
