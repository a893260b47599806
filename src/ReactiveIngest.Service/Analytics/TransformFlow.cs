using System.Reactive.Linq;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Failures;
using ReactiveIngest.Streams.Transforms;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// Runs the configured transforms on the validated readings and appends the derived readings to the batch they come
/// from, so they share its partition (watermarks) and acknowledgement handle: the source message is acknowledged only
/// when its derived readings are stored too (raw write and every window), exactly like its own readings.
/// </summary>
public static class TransformFlow
{
    /// <summary>The stage name in dead letters.</summary>
    public const string StageName = "Transforms";

    /// <summary>
    /// A stage that emits each batch with the derived readings of the configured transforms appended (the batch itself
    /// when none applies) on out0. Built on <see cref="RxTransform"/>: the transforms are Rx pipelines driven
    /// synchronously per element inside the stage (one element in, one out), so downstream demand governs and nothing
    /// is buffered.
    /// <para>State: each transform keeps state per device (last value, ring of the last N values, EWMA…), at most
    /// <see cref="TransformDefinition.MaxDevices"/> devices per transform; a new device at the limit evicts the device
    /// whose state was created first (it restarts from scratch if it reports again). State lives in the materialized
    /// stage only: a restart begins afresh, and readings redelivered after a crash are transformed again.</para>
    /// <para><b>On an element's exception</b> (a transform throws on one of the batch's readings): the batch goes to
    /// out1 as one dead letter with <see cref="Core.Validation.RejectReason.ProcessingFailed"/>, the bytes of its message
    /// and the batch's acknowledgement reference (none of its readings is stored), and the stage goes on with the next
    /// batch. The Rx pipelines are built afresh, so <b>every transform of the stage loses its state</b> (as after a
    /// restart); transforms that saw earlier readings of the failed batch have counted them.</para>
    /// </summary>
    public static IGraph<FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>, NotUsed> Create(IReadOnlyList<ConfiguredTransform> transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        return Create([.. transforms.Select(t => t.ToRoute())]);
    }

    /// <summary><see cref="Create(IReadOnlyList{ConfiguredTransform})"/> over the Rx pipelines themselves.</summary>
    internal static IGraph<FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>, NotUsed> Create(IReadOnlyList<ReadingRoute<Reading>> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        if (routes.Count == 0)
        {
            return GraphDsl.Create(builder =>
            {
                var pass = builder.Add(Flow.Create<Envelope<ReadingBatch>>());
                var none = builder.Add(Source.Empty<Envelope<DeadLetter>>());
                return new FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>(pass.Inlet, pass.Outlet, none.Outlet);
            });
        }

        return RxTransform.Stage<Envelope<ReadingBatch>, Envelope<ReadingBatch>>(
            batches => Observable.Using(
                () => new ReadingRouter<Reading>(routes),
                router => batches.Select(e => Append(e, router.Push(e.Payload)))),
            static (e, error) => new Envelope<DeadLetter>(ProcessingFailure.Of(e.Payload, error, StageName), e.Ack));
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
