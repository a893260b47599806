using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Failures;

namespace ReactiveIngest.Streams.Decoding;

/// <summary>
/// Decodes and validates one message into at most one <see cref="ReadingBatch"/> and any number of dead letters,
/// taking one acknowledgement reference per output. Shared by <see cref="DecodeStage"/> and the parallel decode flow.
/// An exception of the decoder, the validator or this code is never thrown out: it dead-letters the message (or, from
/// the validator, the reading) with <see cref="RejectReason.ProcessingFailed"/> and a detail starting with the
/// exception type (a decoder bug is not a malformed payload).
/// </summary>
/// <remarks>Holds a scratch list: one instance per thread (the decoder and validator themselves are thread-safe).</remarks>
internal sealed class MessageDecoder(IReadingDecoder decoder, IReadingValidator? validator, int maxPayloadBytes)
{
    private readonly List<Reading> _decoded = new(16);

    /// <summary>Decodes <paramref name="envelope"/>; dead letters are appended to <paramref name="deadLetters"/>.</summary>
    /// <returns>The batch of valid readings, or null when the message has none.</returns>
    public Envelope<ReadingBatch>? Decode(Envelope<RawMessage> envelope, Queue<Envelope<DeadLetter>> deadLetters)
    {
        try
        {
            return DecodeOrThrow(envelope, deadLetters);
        }
#pragma warning disable CA1031 // one message must not fail the stage: it becomes a dead letter
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // DecodeOrThrow takes references and queues outputs only after everything that can throw, so the message
            // still holds exactly its one reference here.
            deadLetters.Enqueue(new Envelope<DeadLetter>(ProcessingFailure.Of(envelope.Payload, ex, "Decode") with { WholeMessage = true }, envelope.Ack));
            return null;
        }
    }

    private Envelope<ReadingBatch>? DecodeOrThrow(Envelope<RawMessage> envelope, Queue<Envelope<DeadLetter>> deadLetters)
    {
        var message = envelope.Payload;
        if (message.IsOversize)
        {
            deadLetters.Enqueue(DeadLetterOf(envelope, RejectReason.TooLarge, $"message of {message.OversizeBytes} bytes is over its input's limit (MaxMessageBytes); its first {message.Payload.Length} bytes are kept here"));
            return null;
        }

        if (message.Payload.Length > maxPayloadBytes)
        {
            deadLetters.Enqueue(DeadLetterOf(envelope, RejectReason.TooLarge, $"payload of {message.Payload.Length} bytes exceeds the limit of {maxPayloadBytes}"));
            return null;
        }

        _decoded.Clear();
        DecodeError? error;
        try
        {
            error = decoder.Decode(message.Payload.Span, message.Context, _decoded);
        }
#pragma warning disable CA1031 // a codec bug must not crash the graph: the message becomes a dead letter
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = new DecodeError(RejectReason.ProcessingFailed, ProcessingFailure.Detail(ex, "Decode"));
        }

        if (error is { } e)
        {
            deadLetters.Enqueue(DeadLetterOf(envelope, e.Reason, e.Detail));
            return null;
        }

        if (_decoded.Count == 0)
        {
            deadLetters.Enqueue(DeadLetterOf(envelope, RejectReason.NoMetrics, "the message contains no readings"));
            return null;
        }

        return Split(envelope, deadLetters);
    }

    private Envelope<ReadingBatch>? Split(Envelope<RawMessage> envelope, Queue<Envelope<DeadLetter>> deadLetters)
    {
        var valid = _decoded.Count;
        List<(RejectReason, string)>? rejected = null;
        if (validator is not null)
        {
            valid = 0;
            for (var i = 0; i < _decoded.Count; i++)
            {
                var reading = _decoded[i];
                RejectReason? reason;
                string? detail;
                try
                {
                    reason = validator.Validate(reading, out detail);
                }
#pragma warning disable CA1031 // a validator bug rejects the reading instead of crashing the graph
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    (rejected ??= []).Add((RejectReason.ProcessingFailed, ProcessingFailure.Detail(ex, "Validate", ProcessingFailure.Describe(reading))));
                    continue;
                }

                if (reason is { } r)
                {
                    (rejected ??= []).Add((r, $"{reading.DeviceId}/{reading.Metric}: {detail}"));
                }
                else
                {
                    _decoded[valid++] = reading;
                }
            }
        }

        Envelope<ReadingBatch>? batch = null;
        if (valid > 0)
        {
            var readings = new Reading[valid];
            _decoded.CopyTo(0, readings, 0, valid);
            batch = new Envelope<ReadingBatch>(new ReadingBatch(readings, envelope.Payload.Partition, envelope.Payload), envelope.Ack);
        }

        var outputs = (valid > 0 ? 1 : 0) + (rejected?.Count ?? 0);
        envelope.Ack.Retain(outputs - 1);

        if (rejected is not null)
        {
            // With no valid reading the message ends here: its first dead letter says so.
            var whole = valid == 0;
            foreach (var (reason, detail) in rejected)
            {
                deadLetters.Enqueue(DeadLetterOf(envelope, reason, detail, whole));
                whole = false;
            }
        }

        return batch;
    }

    private static Envelope<DeadLetter> DeadLetterOf(Envelope<RawMessage> envelope, RejectReason reason, string detail, bool wholeMessage = true)
    {
        var m = envelope.Payload;
        return new Envelope<DeadLetter>(new DeadLetter(reason, detail, m.Payload, m.Context, m.Source, wholeMessage), envelope.Ack);
    }
}
