using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Streams.Decoding;

namespace ReactiveIngest.Streams.Failures;

/// <summary>
/// Dead letters for elements whose processing threw (<see cref="RejectReason.ProcessingFailed"/>): a stage that fails
/// on one element dead-letters it and goes on, so one message can never stop ingestion. The detail starts with the
/// exception type, e.g. <c>InvalidOperationException: boom (in Deduplicate)</c>. Acknowledgement is the caller's:
/// the dead letter is wrapped with exactly one reference of the element's handle.
/// </summary>
public static class ProcessingFailure
{
    /// <summary><c>{exception type}: {message} (in {stage})</c>, or <c>(in {stage}, {element})</c> when an element is named.</summary>
    public static string Detail(Exception error, string stage, string? element = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentException.ThrowIfNullOrEmpty(stage);
        var where = element is null ? stage : $"{stage}, {element}";
        return $"{error.GetType().Name}: {error.Message} (in {where})";
    }

    /// <summary>A dead letter for a message whose decoding or validation threw.</summary>
    public static DeadLetter Of(RawMessage message, Exception error, string stage, string? element = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new DeadLetter(RejectReason.ProcessingFailed, Detail(error, stage, element), message.Payload, message.Context, message.Source);
    }

    /// <summary>
    /// A dead letter for a batch (or, with <paramref name="element"/> naming it, one reading of it) whose processing
    /// threw: the bytes, context and source of the message the batch was decoded from when the batch kept it
    /// (<see cref="ReadingBatch.Source"/>), else no bytes and <paramref name="stage"/> as the source.
    /// </summary>
    public static DeadLetter Of(ReadingBatch batch, Exception error, string stage, string? element = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var detail = Detail(error, stage, element);
        return batch.Source is { } message
            ? new DeadLetter(RejectReason.ProcessingFailed, detail, message.Payload, message.Context, message.Source)
            : new DeadLetter(RejectReason.ProcessingFailed, detail, ReadOnlyMemory<byte>.Empty, new MessageContext(string.Empty, batch.Count > 0 ? batch[0].TimestampNs : 0), stage);
    }

    /// <summary>How a dead letter names one reading: <c>device/metric at time</c>.</summary>
    public static string Describe(in Reading reading) => $"reading {reading.DeviceId}/{reading.Metric} at {reading.TimestampNs} ns";
}
