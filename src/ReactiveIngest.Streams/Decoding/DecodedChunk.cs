using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Decoding;

/// <summary>The outputs of a chunk of messages decoded together off the stream's thread, in message order.</summary>
internal sealed class DecodedChunk(int messages)
{
    /// <summary>One batch per message that had valid readings.</summary>
    public Queue<Envelope<ReadingBatch>> Batches { get; } = new(messages);

    /// <summary>Every rejected message or reading.</summary>
    public Queue<Envelope<DeadLetter>> DeadLetters { get; } = new();

    /// <summary>Decodes <paramref name="chunk"/> with a fresh <see cref="MessageDecoder"/> (so it may run on any thread).</summary>
    public static DecodedChunk Decode(List<Envelope<Core.Model.RawMessage>> chunk, MessageDecoder decoder)
    {
        var result = new DecodedChunk(chunk.Count);
        foreach (var message in chunk)
        {
            if (decoder.Decode(message, result.DeadLetters) is { } batch)
            {
                result.Batches.Enqueue(batch);
            }
        }

        return result;
    }
}
