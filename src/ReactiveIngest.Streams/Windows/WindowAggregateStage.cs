using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Failures;

namespace ReactiveIngest.Streams.Windows;

/// <summary>
/// Event-time window aggregation (a <see cref="WindowEngine"/> inside a stage): reading batches in, window results on
/// <see cref="Results"/> (outlet 0), readings later than the allowed lateness on <see cref="Late"/> (outlet 1), readings
/// whose processing threw on <see cref="DeadLetters"/> (outlet 2).
/// <para>Results are final when the watermark passes the window end (re-emitted on late updates); optionally early
/// results every <see cref="WindowAggregateSettings.EarlyResultsInterval"/>. A timer re-evaluates the watermark so
/// idle partitions and a quiet fleet still close windows; a partition whose input is held back upstream
/// (<see cref="WindowAggregateSettings.HeldBack"/>) is not idle.</para>
/// <para><b>Acknowledgement.</b> Each input message's handle reference is held in an <see cref="AckLedger"/> (one entry
/// per message) and released, in arrival order, once every window it was folded into is <i>final</i> (the watermark
/// passed its end plus the allowed lateness, so no late update can follow), downstream has released the handles of
/// its results (i.e. written the last version) and, with <see cref="WindowAggregateSettings.Progress"/>, the final
/// watermark covering it is saved: written → progress persisted → released. Results carry small handles, not their
/// messages' handles: the non-early results of one emission step (one flush, eviction or completion) share one handle
/// with one reference per result, so a step costs one ledger entry however many windows it closes. A late reading is
/// pushed with a new reference of its message's handle. The ledger is bounded by
/// <see cref="WindowAggregateSettings.MaxPendingAcks"/>.</para>
/// <para><b>Window progress.</b> With a progress store, the stage loads a partition's saved final watermark when it
/// first sees the partition (holding that batch, and pulling nothing, until it is loaded; a failed load is retried
/// every second), and does not fold a reading of that partition into a window that was final by it (counted in
/// <see cref="WindowStageGauges.ReplayedFinal"/>; not late). Saves are coalesced and store, for every loaded partition,
/// the larger of its loaded value and the stage's final watermark. Completion (end of input) emits every open window
/// and releases its messages once written, without saving progress for them.</para>
/// <para>With <see cref="WindowAggregateSettings.Gauges"/> set, what the stage holds is published there on every tick
/// and at completion.</para>
/// <para><b>On an element's exception</b>: a reading whose fold throws goes to <see cref="DeadLetters"/> as a dead letter
/// with <see cref="Core.Validation.RejectReason.ProcessingFailed"/> (the bytes of its message, a new reference of its
/// handle) and the other readings of its batch are folded as usual; the reading may have been folded into some of its
/// windows before the exception (a hopping window, a session merge). A batch whose
/// <see cref="WindowAggregateSettings.PartitionName"/> throws is dead-lettered whole (with its reference) and not folded.</para>
/// <para><b>Emits when</b> a window closes (watermark, eviction, completion), a late reading arrives or a reading
/// failed, and the outlet has demand.</para>
/// <para><b>Backpressures when</b> results, late readings or dead letters are waiting for demand (at most one watermark
/// step of results, bounded by the open-window limit, plus one batch of late readings and dead letters), or the
/// acknowledgement ledger is full.</para>
/// <para><b>Completes when</b> upstream completes: every open window is emitted as final, then the outlets complete.
/// Held handles are released afterwards as downstream writes the last results.</para>
/// <para><b>Fails when</b> upstream fails, or the window engine throws outside the fold of one reading (advancing the
/// watermark, computing the results of a step): the state of every window is in doubt then, so held handles stay
/// unacknowledged and their messages are redelivered to a fresh stage.</para>
/// <para><b>Cancels when</b> any outlet cancels; held handles stay unacknowledged (their messages are redelivered).</para>
/// </summary>
public sealed class WindowAggregateStage : GraphStage<FanOutShape<Envelope<ReadingBatch>, Envelope<WindowResult>, Envelope<Reading>, Envelope<DeadLetter>>>
{
    private readonly WindowAggregateSettings _settings;

    /// <summary>Creates the stage.</summary>
    public WindowAggregateStage(WindowAggregateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Windows.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.TickInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxPendingAcks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MaxProgressPartitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.ProgressSaveInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(settings.PartitionName);
        ArgumentException.ThrowIfNullOrEmpty(settings.ProgressWindow);
        _settings = settings;
        Shape = new FanOutShape<Envelope<ReadingBatch>, Envelope<WindowResult>, Envelope<Reading>, Envelope<DeadLetter>>(In, Results, Late, DeadLetters);
    }

    /// <summary>Reading batches in.</summary>
    public Inlet<Envelope<ReadingBatch>> In { get; } = new("WindowAggregate.in");

    /// <summary>Window results (outlet 0).</summary>
    public Outlet<Envelope<WindowResult>> Results { get; } = new("WindowAggregate.results");

    /// <summary>Readings beyond the allowed lateness (outlet 1).</summary>
    public Outlet<Envelope<Reading>> Late { get; } = new("WindowAggregate.late");

    /// <summary>Readings (or batches) whose processing threw (outlet 2).</summary>
    public Outlet<Envelope<DeadLetter>> DeadLetters { get; } = new("WindowAggregate.deadLetters");

    /// <inheritdoc />
    public override FanOutShape<Envelope<ReadingBatch>, Envelope<WindowResult>, Envelope<Reading>, Envelope<DeadLetter>> Shape { get; }

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string TickTimer = "tick";
        private const string EarlyTimer = "early";
        private const string LoadTimer = "load";
        private static readonly TimeSpan LoadRetry = TimeSpan.FromSeconds(1);

        private readonly WindowAggregateStage _stage;
        private readonly WindowEngine _engine;
        private readonly AckLedger _ledger;
        private readonly IWindowProgressStore? _store;
        private readonly Dictionary<int, bool> _knownPartitions = [];
        private readonly Dictionary<string, long> _loadedProgress = new(StringComparer.Ordinal);
        private readonly Queue<Envelope<WindowResult>> _results = new();
        private readonly Queue<Envelope<Reading>> _late = new();
        private readonly Queue<Envelope<DeadLetter>> _deadLetters = new();
        private readonly string _stageName;
        private readonly List<WindowResult> _step = [];
        private readonly int _maxPendingAcks;
        private long _nextSequence;
        private bool _ledgerFull;
        private bool _finishing;
        private bool _finishAfterLoad;
        private Envelope<ReadingBatch>? _stash;
        private string _stashName = string.Empty;
        private Action<LoadResult>? _onLoaded;
        private int _untrackedPartitions;

        public Logic(WindowAggregateStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            var settings = stage._settings;
            _maxPendingAcks = settings.MaxPendingAcks;
            _stageName = "window " + settings.ProgressWindow;
            _engine = new WindowEngine(settings.Windows, OnResult, settings.TimeProvider);
            _store = settings.Progress;
            _ledger = _store is null ? new AckLedger() : new AckLedger(SaveProgressAsync, settings.ProgressSaveInterval);
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: OnUpstreamFinish);
            SetHandler(stage.Results, onPull: Drain);
            SetHandler(stage.Late, onPull: Drain);
            SetHandler(stage.DeadLetters, onPull: Drain);
        }

        public override void PreStart()
        {
            _onLoaded = GetAsyncCallback<LoadResult>(OnLoaded);
            ScheduleRepeatedly(TickTimer, _stage._settings.TickInterval);
            if (_stage._settings.EarlyResultsInterval is { } early)
            {
                ScheduleRepeatedly(EarlyTimer, early);
            }

            Pull(_stage.In);
        }

        protected override void OnTimer(object timerKey)
        {
            if (Equals(timerKey, LoadTimer))
            {
                if (_stash is { } stashed)
                {
                    StartLoad(stashed.Payload.Partition, _stashName);
                }

                return;
            }

            if (_finishing)
            {
                return;
            }

            if (Equals(timerKey, EarlyTimer))
            {
                _engine.EmitEarly();
                SealStep();
            }
            else
            {
                if (_stage._settings.HeldBack is { } heldBack)
                {
                    _engine.Watermarks.KeepActive(heldBack);
                }

                _engine.Flush();
                if (_ledgerFull && _engine.OldestUnfinalSequence <= _ledger.OldestPendingSequence)
                {
                    // The backlog is held by an open window, not by slow writes: close the oldest early.
                    _engine.EvictOldest();
                }

                AdvanceLedger();
                PublishGauges();
            }

            Drain();
        }

        private void PublishGauges() =>
            _stage._settings.Gauges?.Publish(_engine.Counters, _ledger.Count, _ledger.ProgressSaveFailures, _untrackedPartitions);

        private void OnPush()
        {
            var envelope = Grab(_stage.In);
            if (_store is not null && !_knownPartitions.ContainsKey(envelope.Payload.Partition))
            {
                if (_knownPartitions.Count < _stage._settings.MaxProgressPartitions)
                {
                    string name;
                    try
                    {
                        name = _stage._settings.PartitionName(envelope.Payload.Partition);
                    }
#pragma warning disable CA1031 // a user callback that throws fails this batch, not the stage
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        // Not folded and not in the ledger: its one reference goes with the dead letter.
                        _deadLetters.Enqueue(new Envelope<DeadLetter>(ProcessingFailure.Of(envelope.Payload, ex, _stageName), envelope.Ack));
                        Drain();
                        return;
                    }

                    _stash = envelope; // held (and nothing pulled) until the partition's progress is loaded
                    _stashName = name;
                    StartLoad(envelope.Payload.Partition, name);
                    return;
                }

                _knownPartitions.Add(envelope.Payload.Partition, false);
                _untrackedPartitions++;
            }

            Fold(envelope);
            Drain();
        }

        private void StartLoad(int partition, string name)
        {
            var callback = _onLoaded!;
            Task<long?> load;
            try
            {
                load = _store!.LoadAsync(_stage._settings.ProgressWindow, name);
            }
#pragma warning disable CA1031 // a failed load is retried; the batch stays held
            catch (Exception e)
#pragma warning restore CA1031
            {
                load = Task.FromException<long?>(e);
            }

            load.ContinueWith(
                t => callback(new LoadResult(partition, name, t.IsCompletedSuccessfully ? t.Result : null, !t.IsCompletedSuccessfully)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        private void OnLoaded(LoadResult loaded)
        {
            if (_stash is not { } stashed || stashed.Payload.Partition != loaded.Partition)
            {
                return;
            }

            if (loaded.Failed)
            {
                ScheduleOnce(LoadTimer, LoadRetry);
                return;
            }

            var tracked = _engine.SetFinalWatermark(loaded.Partition, loaded.FinalWatermark ?? long.MinValue);
            _knownPartitions.Add(loaded.Partition, tracked);
            if (tracked)
            {
                lock (_loadedProgress)
                {
                    _loadedProgress[loaded.Name] = loaded.FinalWatermark ?? long.MinValue;
                }
            }
            else
            {
                _untrackedPartitions++;
            }

            _stash = null;
            Fold(stashed);
            if (_finishAfterLoad)
            {
                Finish();
            }
            else
            {
                Drain();
            }
        }

        /// <summary>Saves, for every loaded partition, the larger of its loaded value and <paramref name="finalWatermark"/> (ledger thread).</summary>
        private Task SaveProgressAsync(long finalWatermark, CancellationToken cancellationToken)
        {
            List<KeyValuePair<string, long>> entries;
            lock (_loadedProgress)
            {
                entries = new List<KeyValuePair<string, long>>(_loadedProgress.Count);
                foreach (var (name, loaded) in _loadedProgress)
                {
                    entries.Add(new KeyValuePair<string, long>(name, Math.Max(loaded, finalWatermark)));
                }
            }

            return _store!.SaveAsync(_stage._settings.ProgressWindow, entries, cancellationToken);
        }

        private void Fold(Envelope<ReadingBatch> envelope)
        {
            var batch = envelope.Payload;
            var sequence = _nextSequence++;
            var beforeFold = _stage._settings.BeforeFold;
            foreach (ref readonly var reading in batch.AsSpan())
            {
                FoldOutcome outcome;
                try
                {
                    beforeFold?.Invoke(reading);
                    outcome = _engine.Fold(reading, batch.Partition, sequence);
                }
#pragma warning disable CA1031 // one reading must not fail the stage: it becomes a dead letter
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    envelope.Ack.Retain();
                    _deadLetters.Enqueue(new Envelope<DeadLetter>(ProcessingFailure.Of(batch, ex, _stageName, ProcessingFailure.Describe(reading)), envelope.Ack));
                    continue;
                }

                if (outcome == FoldOutcome.Late)
                {
                    envelope.Ack.Retain();
                    _late.Enqueue(new Envelope<Reading>(reading, envelope.Ack));
                }
            }

            _engine.Flush();
            SealStep();
            var held = _ledger.AppendAndAdvance(
                sequence,
                ReferenceEquals(envelope.Ack, AckHandle.None) ? null : envelope.Ack,
                _engine.OldestUnfinalSequence,
                _nextSequence,
                _engine.FinalWatermark);
            if (held >= _maxPendingAcks && !_ledgerFull)
            {
                _ledgerFull = true;
                _engine.EvictOldest();
                AdvanceLedger();
                _ledger.NotifyWhenBelow(_maxPendingAcks, GetAsyncCallback(OnLedgerDrained));
            }
        }

        private void OnLedgerDrained()
        {
            _ledgerFull = false;
            Drain();
        }

        private void OnUpstreamFinish()
        {
            if (_stash is not null)
            {
                _finishAfterLoad = true; // the held batch is folded first
                return;
            }

            Finish();
        }

        private void Finish()
        {
            _finishing = true;
            _engine.CloseAll();
            AdvanceLedger();
            PublishGauges();
            Drain();
        }

        private void OnResult(WindowResult result) => _step.Add(result);

        /// <summary>
        /// Queues the results of the last engine step; the non-early ones share one ledger handle (one reference
        /// each). Called after every engine call that may emit and before the ledger learns the engine's new low-water
        /// mark, so the step's messages are covered by its handle before the engine stops holding them.
        /// </summary>
        private void SealStep()
        {
            if (_step.Count == 0)
            {
                return;
            }

            var oldest = long.MaxValue;
            var tracked = 0;
            foreach (var result in _step)
            {
                if (result.OldestSequence != long.MaxValue)
                {
                    oldest = Math.Min(oldest, result.OldestSequence);
                    tracked++;
                }
            }

            var handle = _ledger.Track(oldest);
            handle.Retain(Math.Max(0, tracked - 1));
            foreach (var result in _step)
            {
                _results.Enqueue(new Envelope<WindowResult>(result, result.OldestSequence == long.MaxValue ? AckHandle.None : handle));
            }

            _step.Clear();
        }

        private void AdvanceLedger()
        {
            SealStep();
            _ledger.Advance(_engine.OldestUnfinalSequence, _nextSequence, _engine.FinalWatermark, unconditional: _finishing);
        }

        private void Drain()
        {
            if (_results.Count > 0 && IsAvailable(_stage.Results))
            {
                Push(_stage.Results, _results.Dequeue());
            }

            if (_late.Count > 0 && IsAvailable(_stage.Late))
            {
                Push(_stage.Late, _late.Dequeue());
            }

            if (_deadLetters.Count > 0 && IsAvailable(_stage.DeadLetters))
            {
                Push(_stage.DeadLetters, _deadLetters.Dequeue());
            }

            if (_results.Count == 0 && _late.Count == 0 && _deadLetters.Count == 0)
            {
                if (_finishing)
                {
                    CompleteStage();
                }
                else if (!_ledgerFull && _stash is null && !HasBeenPulled(_stage.In))
                {
                    Pull(_stage.In);
                }
            }
        }

        /// <summary>The outcome of loading one partition's progress.</summary>
        private readonly record struct LoadResult(int Partition, string Name, long? FinalWatermark, bool Failed);
    }
}
