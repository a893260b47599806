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
/// <para><b>Backpressures when</b> every write slot is busy and a full batch is waiting for one, or more dead
/// letters wait than one batch holds. A write that keeps failing keeps its slot, so demand stops upstream;
/// nothing is dropped. Buffered points are bounded by (MaxConcurrentWrites + 3) × BatchSize: the batches in
/// flight, at most two sealed batches waiting, the one being filled, plus one batch worth of dead letters.</para>
/// <para><b>Completes when</b> upstream completes and every buffered point was written or emitted as a dead letter.</para>
/// <para><b>Cancels when</b> downstream cancels: writes in flight are cancelled and their handles are not
/// released (the source redelivers them).</para>
/// <para>Batches are sealed when they reach <see cref="InfluxWriterOptions.BatchSize"/> points or
/// <see cref="InfluxWriterOptions.MaxBatchBytes"/> bytes, or <see cref="InfluxWriterOptions.FlushInterval"/>
/// after their first point.</para>
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

    private sealed class PendingBatch(EncodedBatch lines, List<AckHandle> acks, List<string> measurements)
    {
        public EncodedBatch Lines { get; } = lines;

        public List<AckHandle> Acks { get; } = acks;

        public List<string> Measurements { get; } = measurements;
    }

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string FlushTimer = "flush";
        private readonly InfluxWriteStage _stage;
        private readonly InfluxWriterOptions _options;
        private readonly Queue<PendingBatch> _sealed = new();
        private readonly Queue<Envelope<DeadLetter>> _deadLetters = new();
        private readonly CancellationTokenSource _cancellation = new();
        private Action<(PendingBatch Batch, Task<BatchWriteResult> Write)>? _onWritten;
        private PendingBatch _current;
        private int _inFlight;

        public Logic(InfluxWriteStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _options = stage._writer.Options;
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

        private PendingBatch NewBatch() =>
            new(new EncodedBatch(_options.Precision, Math.Min(_options.BatchSize, 1024), 16 * 1024), [], []);

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
            while (_inFlight < _options.MaxConcurrentWrites && _sealed.TryDequeue(out var batch))
            {
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

        private void OnWritten((PendingBatch Batch, Task<BatchWriteResult> Write) completed)
        {
            _inFlight--;
            var (batch, write) = completed;
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
