using System.Reactive.Linq;
using Akka;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Transforms;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// Runs the configured transforms on the validated readings and appends the derived readings to the batch they come
/// from, so they share its partition (watermarks) and acknowledgement handle: the source message is acknowledged only
/// when its derived readings are stored too (raw write and every window), exactly like its own readings.
/// </summary>
public static class TransformFlow
{
    /// <summary>
    /// A flow that emits each batch with the derived readings of the configured transforms appended (the batch itself
    /// when none applies). Built on <see cref="RxTransform"/>: the transforms are Rx pipelines driven synchronously per
    /// element inside the stage (one element in, one out), so downstream demand governs and nothing is buffered.
    /// <para>State: each transform keeps state per device (last value, ring of the last N values, EWMA…), at most
    /// <see cref="TransformDefinition.MaxDevices"/> devices per transform; a new device at the limit evicts the device
    /// whose state was created first (it restarts from scratch if it reports again). State lives in the materialized
    /// stage only: a restart begins afresh, and readings redelivered after a crash are transformed again.</para>
    /// </summary>
    public static Flow<Envelope<ReadingBatch>, Envelope<ReadingBatch>, NotUsed> Create(IReadOnlyList<ConfiguredTransform> transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        if (transforms.Count == 0)
        {
            return Flow.Create<Envelope<ReadingBatch>>();
        }

        return RxTransform.Create<Envelope<ReadingBatch>, Envelope<ReadingBatch>>(batches => Observable.Using(
            () => new ReadingRouter<Reading>(transforms.Select(t => t.ToRoute())),
            router => batches.Select(e => Append(e, router.Push(e.Payload)))));
    }

    private static Envelope<ReadingBatch> Append(Envelope<ReadingBatch> envelope, Reading[] derived)
    {
        if (derived.Length == 0)
        {
            return envelope;
        }

        var batch = envelope.Payload;
        var all = new Reading[batch.Count + derived.Length];
        batch.AsSpan().CopyTo(all);
        derived.CopyTo(all, batch.Count);
        return new Envelope<ReadingBatch>(new ReadingBatch(all, batch.Partition, batch.Source), envelope.Ack);
    }
}
