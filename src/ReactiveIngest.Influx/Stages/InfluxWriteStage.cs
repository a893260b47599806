using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Influx.Stages;

/// <summary>
/// Batches points, writes each batch with an <see cref="InfluxWriter"/> (up to
/// <see cref="InfluxWriterOptions.MaxConcurrentWrites"/> at once), releases the acknowledgement handle of
/// every point that was stored, and emits the points that could not be stored (refused by the encoder
/// or by InfluxDB) as dead letters, each still carrying its handle for the dead-letter sink to release.
/// </summary>
/// <remarks>
/// <para><b>Emits when</b> a point was rejected (by the encoder at once, by InfluxDB when its batch completes)
/// and downstream pulls.</para>
/// <para><b>Backpressures when</b> a full batch is waiting for a write slot (every slot busy, or the batch waits
/// for an earlier write of the same point, see below), or more dead letters wait than one batch holds. A write that
/// keeps failing keeps its slot, so demand stops upstream; nothing is dropped. Buffered points are bounded by (MaxConcurrentWrites + 3) × BatchSize: the batches in
/// flight, at most two sealed batches waiting, the one being filled, plus one batch worth of dead letters.</para>
/// <para><b>Completes when</b> upstream completes and every buffered point was written or emitted as a dead letter.</para>
/// <para><b>Cancels when</b> downstream cancels: writes in flight are cancelled and their handles are not
/// released (the source redelivers them).</para>
/// <para>Batches are sealed when they reach <see cref="InfluxWriterOptions.BatchSize"/> points or
/// <see cref="InfluxWriterOptions.MaxBatchBytes"/> bytes, or <see cref="InfluxWriterOptions.FlushInterval"/>
/// after their first point.</para>
/// <para><b>Order of writes of one point.</b> Writes of the same point identity (measurement + tag set + timestamp
/// in the write precision) reach InfluxDB in the order the points arrived, so a later version of a point (a window
/// result updated by late readings) is never overwritten by an earlier one: a sealed batch is not dispatched while a
/// batch in flight (including one being retried inside <see cref="InfluxWriter.WriteAsync"/>) holds a point of the
/// same identity, and batches behind it wait too (dispatch is first in, first out). InfluxDB 1.x stores each field
/// as a series of its own, so without this two concurrent writes of one point could even be stored field by field
/// from different versions. Within one request InfluxDB applies duplicate points in line order. Batches without such
/// an overlap are written with full concurrency. The check uses a 64-bit hash of each identity (a collision only
/// makes a batch wait needlessly, it never reorders); the set of hashes in flight holds at most
/// MaxConcurrentWrites × BatchSize entries. Points without a timestamp get the server's clock and are not tracked.
/// With MaxConcurrentWrites = 1 writes are sequential anyway and nothing is tracked.</para>
/// </remarks>
public sealed class InfluxWriteStage : GraphStage<FlowShape<Envelope<LinePoint>, Envelope<DeadLetter>>>
{
    private readonly InfluxWriter _writer;
    private readonly string _sourceName;

    /// <summary>Creates the stage; dead letters carry <paramref name="sourceName"/> as their source.</summary>
    public InfluxWriteStage(InfluxWriter writer, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sourceName);
        _writer = writer;
        _sourceName = sourceName;
        Shape = new FlowShape<Envelope<LinePoint>, Envelope<DeadLetter>>(In, Out);
    }

    /// <summary>Points to write.</summary>
    public Inlet<Envelope<LinePoint>> In { get; } = new("InfluxWrite.in");

    /// <summary>Points that could not be written.</summary>
    public Outlet<Envelope<DeadLetter>> Out { get; } = new("InfluxWrite.out");

    /// <inheritdoc />
    public override FlowShape<Envelope<LinePoint>, Envelope<DeadLetter>> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("influxWrite");

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class PendingBatch(EncodedBatch lines, List<AckHandle> acks, List<string> measurements, List<ulong>? identities)
    {
        public EncodedBatch Lines { get; } = lines;

        public List<AckHandle> Acks { get; } = acks;

        public List<string> Measurements { get; } = measurements;

        /// <summary>Identity hashes of the batch's points (see <see cref="PointIdentity"/>); null when order is not tracked.</summary>
        public List<ulong>? Identities { get; } = identities;
    }

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string FlushTimer = "flush";
        private readonly InfluxWriteStage _stage;
        private readonly InfluxWriterOptions _options;
        private readonly Queue<PendingBatch> _sealed = new();
        private readonly Queue<Envelope<DeadLetter>> _deadLetters = new();
        private readonly CancellationTokenSource _cancellation = new();

        // Identity hashes of the points of every batch in flight; the batches in flight never share one (a batch is
        // dispatched only when none of its hashes is here), so each batch adds and later removes exactly its own.
        // Null when MaxConcurrentWrites is 1.
        private readonly HashSet<ulong>? _inFlightIdentities;
        // Hash lists of finished batches, reused by new ones; there are never more lists than batches alive
        // (MaxConcurrentWrites + 3), each at most BatchSize long.
        private readonly Stack<List<ulong>> _spareIdentityLists = new();
        private bool _headWaitCounted;
        private Action<(PendingBatch Batch, Task<BatchWriteResult> Write)>? _onWritten;
        private PendingBatch _current;
        private int _inFlight;

        public Logic(InfluxWriteStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _options = stage._writer.Options;
            _inFlightIdentities = _options.MaxConcurrentWrites > 1 ? [] : null;
            _current = NewBatch();
            SetHandler(stage.In, OnPush, OnUpstreamFinish);
            SetHandler(stage.Out, EmitDeadLetters);
        }

        public override void PreStart()
        {
            _onWritten = GetAsyncCallback<(PendingBatch Batch, Task<BatchWriteResult> Write)>(OnWritten);
            Pull(_stage.In);
        }

        public override void PostStop()
        {
            _cancellation.Cancel();
            _cancellation.Dispose();
            _current.Lines.Dispose();
            while (_sealed.TryDequeue(out var batch))
            {
                batch.Lines.Dispose();
            }

            // Batches still in flight are left to the garbage collector: their writes are being cancelled
            // and may still read the buffers, so they must not go back to the pool.
        }

        protected override void OnTimer(object timerKey)
        {
            Seal();
            Dispatch();
            PullIfRoom();
        }

        private PendingBatch NewBatch()
        {
            List<ulong>? identities = null;
            if (_inFlightIdentities is not null && !_spareIdentityLists.TryPop(out identities))
            {
                identities = new List<ulong>(Math.Min(_options.BatchSize, 1024));
            }

            return new(new EncodedBatch(_options.Precision, Math.Min(_options.BatchSize, 1024), 16 * 1024), [], [], identities);
        }

        private void OnPush()
        {
            var envelope = Grab(_stage.In);
            var point = envelope.Payload;
            var rejection = _current.Lines.TryAdd(point);
            if (rejection is not null)
            {
                _stage._writer.Metrics.Rejected(rejection.Reason);
                var bytes = System.Text.Encoding.UTF8.GetBytes(point.ToString());
                _deadLetters.Enqueue(new Envelope<DeadLetter>(ToDeadLetter(rejection.Reason, rejection.Detail, bytes, point.Measurement), envelope.Ack));
                EmitDeadLetters();
            }
            else
            {
                _current.Acks.Add(envelope.Ack);
                _current.Measurements.Add(point.Measurement);
                if (_current.Identities is { } identities && point.TimestampNs is { } ns)
                {
                    var lines = _current.Lines;
                    identities.Add(PointIdentity.Hash(lines.Line(lines.Count - 1).Span, _options.Precision.FromNanos(ns)));
                }

                if (_current.Acks.Count == 1)
                {
                    ScheduleOnce(FlushTimer, _options.FlushInterval);
                }

                if (_current.Lines.Count >= _options.BatchSize || _current.Lines.ByteCount >= _options.MaxBatchBytes)
                {
                    Seal();
                    Dispatch();
                }
            }

            PullIfRoom();
        }

        private void OnUpstreamFinish()
        {
            Seal();
            Dispatch();
            CompleteIfDone();
        }

        private void Seal()
        {
            CancelTimer(FlushTimer);
            if (_current.Lines.Count == 0)
            {
                return;
            }

            _sealed.Enqueue(_current);
            _current = NewBatch();
        }

        private void Dispatch()
        {
            while (_inFlight < _options.MaxConcurrentWrites && _sealed.TryPeek(out var batch))
            {
                if (!TryClaimIdentities(batch))
                {
                    // First in, first out: the batches behind this one wait with it.
                    return;
                }

                _sealed.Dequeue();
                _inFlight++;
                var callback = _onWritten!;
                var write = _stage._writer.WriteAsync(batch.Lines, _cancellation.Token);
                write.ContinueWith(
                    t => callback((batch, t)),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }

        /// <summary>
        /// Adds the batch's identities to those in flight and returns true, unless a batch in flight holds one of
        /// them: then nothing changes and the batch must wait.
        /// </summary>
        private bool TryClaimIdentities(PendingBatch batch)
        {
            if (_inFlightIdentities is null || batch.Identities is not { } identities)
            {
                return true;
            }

            if (_inFlightIdentities.Count > 0)
            {
                foreach (var identity in identities)
                {
                    if (_inFlightIdentities.Contains(identity))
                    {
                        if (!_headWaitCounted)
                        {
                            _headWaitCounted = true;
                            _stage._writer.Metrics.OrderWait();
                        }

                        return false;
                    }
                }
            }

            foreach (var identity in identities)
            {
                _inFlightIdentities.Add(identity);
            }

            _headWaitCounted = false;
            return true;
        }

        private void ReleaseIdentities(PendingBatch batch)
        {
            if (_inFlightIdentities is null || batch.Identities is not { } identities)
            {
                return;
            }

            foreach (var identity in identities)
            {
                _inFlightIdentities.Remove(identity);
            }

            identities.Clear();
            _spareIdentityLists.Push(identities);
        }

        private void OnWritten((PendingBatch Batch, Task<BatchWriteResult> Write) completed)
        {
            _inFlight--;
            var (batch, write) = completed;
            ReleaseIdentities(batch);
            if (write.IsCanceled)
            {
                return;
            }

            if (write.IsFaulted)
            {
                FailStage(write.Exception!.GetBaseException());
                return;
            }

            var result = write.Result;
            var next = 0;
            foreach (var rejected in result.Rejected)
            {
                for (; next < rejected.Index; next++)
                {
                    batch.Acks[next].Release();
                }

                var line = batch.Lines.Line(rejected.Index).Span;
                var payload = line[..^1].ToArray();
                var deadLetter = ToDeadLetter(rejected.Reason, rejected.Message, payload, batch.Measurements[rejected.Index]);
                _deadLetters.Enqueue(new Envelope<DeadLetter>(deadLetter, batch.Acks[rejected.Index]));
                next = rejected.Index + 1;
            }

            for (; next < batch.Acks.Count; next++)
            {
                batch.Acks[next].Release();
            }

            batch.Lines.Dispose();
            Dispatch();
            EmitDeadLetters();
            PullIfRoom();
            CompleteIfDone();
        }

        private void EmitDeadLetters()
        {
            while (_deadLetters.Count > 0 && IsAvailable(_stage.Out))
            {
                Push(_stage.Out, _deadLetters.Dequeue());
            }

            PullIfRoom();
            CompleteIfDone();
        }

        private void PullIfRoom()
        {
            if (!IsClosed(_stage.In) && !HasBeenPulled(_stage.In) && _sealed.Count == 0 && _deadLetters.Count < _options.BatchSize)
            {
                Pull(_stage.In);
            }
        }

        private void CompleteIfDone()
        {
            if (IsClosed(_stage.In) && _current.Lines.Count == 0 && _sealed.Count == 0 && _inFlight == 0 && _deadLetters.Count == 0)
            {
                CompleteStage();
            }
        }

        private DeadLetter ToDeadLetter(RejectReason reason, string detail, byte[] payload, string measurement) =>
            new(reason, detail, payload, new MessageContext(measurement, UnixTime.Now()), _stage._sourceName);
    }
}
