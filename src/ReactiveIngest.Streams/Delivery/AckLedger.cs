namespace ReactiveIngest.Streams.Delivery;

/// <summary>
/// Holds the acknowledgement handles of input messages that were folded into windows until every window result
/// covering them is durable, and releases them in arrival (sequence) order.
/// </summary>
/// <remarks>
/// <para>Each input message gets a sequence number and its handle is appended here. A message may be acknowledged
/// once it is below the <i>low-water mark</i>
/// <c>L = min(oldest sequence folded into a window and not yet emitted, oldest sequence covered by an emitted result
/// that downstream has not released, next sequence)</c>.
/// The first term comes from the window engine (updated by the stage after each message), the second from the
/// results' own handles (<see cref="Track"/>), which the sink releases from its thread once the result is written.
/// Because results carry only a sequence number, not their messages' handles, a result costs one small handle no
/// matter how many messages it folds, and the ledger holds one reference per message, in a FIFO, never per reading.</para>
/// <para><b>Bound.</b> The ledger never refuses an append; the stage stops pulling when <see cref="Count"/> reaches
/// its limit and closes the oldest window early so that the low-water mark can move (see WindowAggregateStage).</para>
/// <para>Thread-safe: the stage appends and advances on its thread; result handles are released on sink threads, and
/// releases continue after the stage has stopped, so the last window's messages are acknowledged after completion.</para>
/// </remarks>
public sealed class AckLedger
{
    private readonly object _gate = new();
    private readonly Queue<(long Sequence, AckHandle Handle)> _pending = new();
    private readonly PriorityQueue<ResultAck, long> _outstanding = new();
    private long _engineLowWater = long.MaxValue;
    private long _nextSequence;
    private int _notifyBelow = -1;
    private Action? _onBelow;

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
                return _outstanding.Count;
            }
        }
    }

    /// <summary>Total input handles released so far.</summary>
    public long Released { get; private set; }

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
            _nextSequence = Math.Max(_nextSequence, sequence + 1);
        }
    }

    /// <summary>
    /// The handle for a result that covers messages from <paramref name="oldestSequence"/> on. Until it is released,
    /// no message at or after that sequence is acknowledged. <see cref="AckHandle.None"/> when it covers nothing.
    /// </summary>
    public AckHandle Track(long oldestSequence)
    {
        if (oldestSequence == long.MaxValue)
        {
            return AckHandle.None;
        }

        var handle = new ResultAck(this, oldestSequence);
        lock (_gate)
        {
            _outstanding.Enqueue(handle, oldestSequence);
        }

        return handle;
    }

    /// <summary>Updates the engine's part of the low-water mark and releases what it allows.</summary>
    /// <param name="engineLowWater">Oldest sequence folded and not yet emitted (<see cref="long.MaxValue"/> when none).</param>
    /// <param name="nextSequence">The sequence the next message will get.</param>
    public void Advance(long engineLowWater, long nextSequence)
    {
        Action? notify;
        lock (_gate)
        {
            _engineLowWater = engineLowWater;
            _nextSequence = Math.Max(_nextSequence, nextSequence);
            notify = ReleaseReady();
        }

        notify?.Invoke();
    }

    /// <summary>
    /// <see cref="Append"/> (unless <paramref name="handle"/> is null) and <see cref="Advance"/> under one lock, the
    /// per-message step of the stage.
    /// </summary>
    /// <returns>The handles held afterwards (<see cref="Count"/>).</returns>
    public int AppendAndAdvance(long sequence, AckHandle? handle, long engineLowWater, long nextSequence)
    {
        Action? notify;
        int count;
        lock (_gate)
        {
            if (handle is not null)
            {
                _pending.Enqueue((sequence, handle));
            }

            _engineLowWater = engineLowWater;
            _nextSequence = Math.Max(_nextSequence, Math.Max(nextSequence, sequence + 1));
            notify = ReleaseReady();
            count = _pending.Count;
        }

        notify?.Invoke();
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

    private void OnResultReleased(ResultAck handle)
    {
        Action? notify;
        lock (_gate)
        {
            handle.Durable = true;
            notify = ReleaseReady();
        }

        notify?.Invoke();
    }

    private Action? ReleaseReady()
    {
        while (_outstanding.TryPeek(out var top, out _) && top.Durable)
        {
            _outstanding.Dequeue();
        }

        var lowWater = Math.Min(_engineLowWater, _nextSequence);
        if (_outstanding.TryPeek(out _, out var oldestOutstanding))
        {
            lowWater = Math.Min(lowWater, oldestOutstanding);
        }

        while (_pending.Count > 0 && _pending.Peek().Sequence < lowWater)
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

    /// <summary>The handle of one emitted window result.</summary>
    private sealed class ResultAck(AckLedger ledger, long oldestSequence) : AckHandle
    {
        public long OldestSequence { get; } = oldestSequence;

        public bool Durable { get; set; }

        protected override void OnReleased() => ledger.OnResultReleased(this);
    }
}
