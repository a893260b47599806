namespace ReactiveIngest.Streams.Delivery;

/// <summary>
/// Holds the acknowledgement handles of input messages that were folded into windows until every window holding them
/// is final, its last result durable and (when a progress saver is given) the window progress saved; releases them in
/// arrival (sequence) order.
/// </summary>
/// <remarks>
/// <para>Each input message gets a sequence number and its handle is appended here. After each engine step the stage
/// calls <see cref="Advance"/>, which closes a <i>mark</i>: the low-water mark <c>L = min(oldest sequence held by a window
/// that is not final, next sequence)</c> and the final watermark of that moment, together with the result handles
/// handed out (<see cref="Track"/>) since the previous mark. Messages below a mark's <c>L</c> are released once</para>
/// <list type="number">
/// <item>every result handle of that mark and of every earlier mark is released (downstream wrote the results), and</item>
/// <item>the progress saver has stored a final watermark at or above the mark's (written → progress persisted →
/// released). A mark closed with <c>unconditional</c> (end of input) needs only the first.</item>
/// </list>
/// <para><b>Progress saves</b> are coalesced: at most one is in flight, it stores the newest durable mark's watermark, and
/// the next one starts no sooner than the minimum save interval after the previous one finished. A save that fails is
/// retried with backoff (100 ms doubling to 30 s) and holds every release after it, which backpressures the stage
/// through <see cref="NotifyWhenBelow"/>; one that throws <see cref="OperationCanceledException"/> or
/// <see cref="ObjectDisposedException"/> (the store is gone) stops saving, and nothing more is released (redelivered).</para>
/// <para><b>Bound.</b> The ledger never refuses an append; the stage stops pulling when <see cref="Count"/> reaches
/// its limit and closes the oldest window early so that the low-water mark can move (see WindowAggregateStage). Marks
/// are held only while they have unwritten results (plus one), so they are bounded by the results in flight downstream.</para>
/// <para>Thread-safe: the stage appends and advances on its thread; result handles are released on sink threads and
/// saves complete on the thread pool, and both continue after the stage has stopped, so the last window's messages are
/// acknowledged after completion.</para>
/// </remarks>
public sealed class AckLedger
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly Queue<(long Sequence, AckHandle Handle)> _pending = new();
    private readonly Queue<Mark> _marks = new();
    private readonly Func<long, CancellationToken, Task>? _saveProgress;
    private readonly TimeSpan _minSaveInterval;
    private Mark _open = new();
    private Mark? _last;
    private int _outstanding;
    private long _releasable;
    private long _durableWatermark = long.MinValue;
    private long _durableLowWater;
    private long _savedWatermark = long.MinValue;
    private bool _saving;
    private bool _savingStopped;
    private long _saveFailures;
    private long _saves;
    private int _notifyBelow = -1;
    private Action? _onBelow;

    /// <summary>A ledger that releases messages once their windows are final and written, without saving progress.</summary>
    public AckLedger()
    {
    }

    /// <summary>A ledger that also waits for <paramref name="saveProgress"/> to store the final watermark before releasing.</summary>
    /// <param name="saveProgress">Stores a final watermark (epoch ns) durably; called on the thread pool, one call at a time.</param>
    /// <param name="minSaveInterval">The least time between the end of one save and the start of the next.</param>
    public AckLedger(Func<long, CancellationToken, Task> saveProgress, TimeSpan minSaveInterval)
    {
        ArgumentNullException.ThrowIfNull(saveProgress);
        ArgumentOutOfRangeException.ThrowIfLessThan(minSaveInterval, TimeSpan.Zero);
        _saveProgress = saveProgress;
        _minSaveInterval = minSaveInterval;
    }

    /// <summary>Handles held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Result handles handed out and not released yet.</summary>
    public int OutstandingResults
    {
        get
        {
            lock (_gate)
            {
                return _outstanding;
            }
        }
    }

    /// <summary>Total input handles released so far.</summary>
    public long Released { get; private set; }

    /// <summary>The final watermark stored by the last successful progress save (<see cref="long.MinValue"/> before one).</summary>
    public long SavedWatermark
    {
        get
        {
            lock (_gate)
            {
                return _savedWatermark;
            }
        }
    }

    /// <summary>Successful progress saves so far.</summary>
    public long ProgressSaves => Interlocked.Read(ref _saves);

    /// <summary>Progress saves that failed (and were retried) so far.</summary>
    public long ProgressSaveFailures => Interlocked.Read(ref _saveFailures);

    /// <summary>The sequence of the oldest held handle, or <see cref="long.MaxValue"/> when none.</summary>
    public long OldestPendingSequence
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count == 0 ? long.MaxValue : _pending.Peek().Sequence;
            }
        }
    }

    /// <summary>Holds one reference of <paramref name="handle"/> for message <paramref name="sequence"/> (increasing).</summary>
    public void Append(long sequence, AckHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_gate)
        {
            _pending.Enqueue((sequence, handle));
        }
    }

    /// <summary>
    /// The handle for a result that covers messages from <paramref name="oldestSequence"/> on; it belongs to the mark the
    /// next <see cref="Advance"/> closes, whose messages wait for it. <see cref="AckHandle.None"/> when it covers nothing.
    /// </summary>
    public AckHandle Track(long oldestSequence)
    {
        if (oldestSequence == long.MaxValue)
        {
            return AckHandle.None;
        }

        lock (_gate)
        {
            var handle = new ResultAck(this, _open);
            _open.Pending++;
            _outstanding++;
            return handle;
        }
    }

    /// <summary>Closes a mark after an engine step and releases what it allows.</summary>
    /// <param name="engineLowWater">Oldest sequence held by a window that is not final (<see cref="long.MaxValue"/> when none).</param>
    /// <param name="nextSequence">The sequence the next message will get.</param>
    /// <param name="finalWatermark">Windows whose end plus allowed lateness is at or below this are final (epoch ns).</param>
    /// <param name="unconditional">True at end of input: the mark's messages need no progress save.</param>
    public void Advance(long engineLowWater, long nextSequence, long finalWatermark = long.MinValue, bool unconditional = false)
    {
        Action? notify;
        bool startSave;
        lock (_gate)
        {
            CloseMark(Math.Min(engineLowWater, nextSequence), finalWatermark, unconditional);
            notify = ReleaseReady(out startSave);
        }

        After(notify, startSave);
    }

    /// <summary>
    /// <see cref="Append"/> (unless <paramref name="handle"/> is null) and <see cref="Advance"/> under one lock, the
    /// per-message step of the stage.
    /// </summary>
    /// <returns>The handles held afterwards (<see cref="Count"/>).</returns>
    public int AppendAndAdvance(long sequence, AckHandle? handle, long engineLowWater, long nextSequence, long finalWatermark = long.MinValue)
    {
        Action? notify;
        bool startSave;
        int count;
        lock (_gate)
        {
            if (handle is not null)
            {
                _pending.Enqueue((sequence, handle));
            }

            CloseMark(Math.Min(engineLowWater, Math.Max(nextSequence, sequence + 1)), finalWatermark, false);
            notify = ReleaseReady(out startSave);
            count = _pending.Count;
        }

        After(notify, startSave);
        return count;
    }

    /// <summary>Calls <paramref name="callback"/> once, when <see cref="Count"/> drops below <paramref name="threshold"/>.</summary>
    public void NotifyWhenBelow(int threshold, Action callback)
    {
        Action? notify = null;
        lock (_gate)
        {
            if (_pending.Count < threshold)
            {
                notify = callback;
            }
            else
            {
                _notifyBelow = threshold;
                _onBelow = callback;
            }
        }

        notify?.Invoke();
    }

    private void CloseMark(long lowWater, long finalWatermark, bool unconditional)
    {
        var mark = _open;
        mark.LowWater = lowWater;
        mark.Watermark = finalWatermark;
        mark.Unconditional = unconditional;
        if (mark.Pending == 0 && _marks.Count > 0 && _last!.Pending == 0)
        {
            // Coalesce: the newest mark is already durable, so the new one (later, also durable) can replace it.
            _last.LowWater = Math.Max(_last.LowWater, lowWater);
            _last.Watermark = Math.Max(_last.Watermark, finalWatermark);
            _last.Unconditional |= unconditional;
            return;
        }

        _marks.Enqueue(mark);
        _last = mark;
        _open = new Mark();
    }

    private void After(Action? notify, bool startSave)
    {
        if (startSave)
        {
            _ = Task.Run(SaveLoopAsync);
        }

        notify?.Invoke();
    }

    private void OnResultReleased(Mark mark)
    {
        Action? notify;
        bool startSave;
        lock (_gate)
        {
            mark.Pending--;
            _outstanding--;
            notify = ReleaseReady(out startSave);
        }

        After(notify, startSave);
    }

    private Action? ReleaseReady(out bool startSave)
    {
        while (_marks.TryPeek(out var head) && head.Pending == 0)
        {
            _marks.Dequeue();
            if (head.Unconditional || _saveProgress is null || head.Watermark <= _savedWatermark)
            {
                _releasable = Math.Max(_releasable, head.LowWater);
            }
            else
            {
                _durableWatermark = Math.Max(_durableWatermark, head.Watermark);
                _durableLowWater = Math.Max(_durableLowWater, head.LowWater);
            }
        }

        startSave = false;
        if (_durableWatermark > _savedWatermark && !_saving && !_savingStopped)
        {
            _saving = true;
            startSave = true;
        }

        while (_pending.Count > 0 && _pending.Peek().Sequence < _releasable)
        {
            _pending.Dequeue().Handle.Release();
            Released++;
        }

        if (_onBelow is not null && _pending.Count < _notifyBelow)
        {
            var callback = _onBelow;
            _onBelow = null;
            return callback;
        }

        return null;
    }

    private async Task SaveLoopAsync()
    {
        var retry = FirstRetry;
        while (true)
        {
            long watermark;
            long lowWater;
            lock (_gate)
            {
                watermark = _durableWatermark;
                lowWater = _durableLowWater;
            }

            try
            {
                await _saveProgress!(watermark, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    _savingStopped = true;
                    _saving = false;
                }

                return;
            }
#pragma warning disable CA1031 // any other failure is retried: releases wait, nothing is released early
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _saveFailures);
                await Task.Delay(retry).ConfigureAwait(false);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                continue;
            }

            Interlocked.Increment(ref _saves);
            retry = FirstRetry;
            Action? notify;
            bool again;
            lock (_gate)
            {
                _savedWatermark = Math.Max(_savedWatermark, watermark);
                _releasable = Math.Max(_releasable, lowWater);
                _saving = false;
                notify = ReleaseReady(out again);
            }

            notify?.Invoke();
            if (!again)
            {
                return;
            }

            if (_minSaveInterval > TimeSpan.Zero)
            {
                await Task.Delay(_minSaveInterval).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The state of the engine after one step, and the results of that step still being written.</summary>
    private sealed class Mark
    {
        public long LowWater { get; set; }

        public long Watermark { get; set; } = long.MinValue;

        public bool Unconditional { get; set; }

        public int Pending { get; set; }
    }

    /// <summary>The handle of one emitted window result.</summary>
    private sealed class ResultAck(AckLedger ledger, Mark mark) : AckHandle
    {
        protected override void OnReleased() => ledger.OnResultReleased(mark);
    }
}
