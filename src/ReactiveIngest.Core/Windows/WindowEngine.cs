using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Watermarks;

namespace ReactiveIngest.Core.Windows;

/// <summary>
/// Event-time windowing with watermarks, allowed lateness and bounded state (Flink's model, without Akka).
/// Readings are folded into their windows as they arrive (<see cref="Add"/>, O(1) for tumbling windows, O(size/slide)
/// for hopping ones); <see cref="Flush"/> advances the watermark and emits what it closes.
/// </summary>
/// <remarks>
/// <para><b>Lifecycle of a window</b> (<c>W</c> = watermark, <c>L</c> = allowed lateness, window <c>[Start, End)</c>):
/// a reading is accepted while <c>End + L &gt; W</c>; when <c>W ≥ End</c> the window is emitted
/// (<see cref="EmissionKind.Final"/>); readings accepted after that re-emit it at the next flush
/// (<see cref="EmissionKind.LateUpdate"/>, same identity); when <c>W ≥ End + L</c> it is dropped and readings for it
/// go to the late output (<see cref="Add"/> returns false, counted). A hopping-window reading is late only if every
/// one of its windows is expired.</para>
/// <para><b>Bounded state.</b> At most <see cref="WindowOptions.MaxOpenWindows"/> windows are held; a series without
/// windows is forgotten, so keys are bounded too. When a new window would exceed the limit the engine raises an
/// eviction floor <c>F</c> to the end of the window due first and closes every window ending at or before it
/// (<see cref="EmissionKind.Evicted"/> when not yet fired); from then on windows ending at or before <c>F</c>
/// accept nothing, so an evicted window is never rebuilt from a partial set of readings.</para>
/// <para><b>Acknowledgement support.</b> Each reading comes with a caller-chosen, non-decreasing sequence number (the
/// input message). <see cref="OldestUnemittedSequence"/> is the smallest sequence folded into a window that no
/// non-early emission covers yet; every result carries the oldest sequence it covers.
/// <see cref="OldestUnfinalSequence"/> is the smallest sequence held by a window that is not final yet (not dropped
/// after its allowed lateness): a message may be acknowledged only below it, because a crash before that loses the
/// window's state.</para>
/// <para><b>Replays.</b> <see cref="SetFinalWatermark"/> gives a partition the watermark up to which windows were
/// final and stored before a restart; a reading of that partition is not folded into a window whose end plus the
/// allowed lateness is at or below it (<see cref="FoldOutcome.ReplayedFinal"/>, counted), so a replayed message does
/// not rebuild a stored final window from part of its readings. Decided per window: a hopping-window reading can
/// belong to a final and to an open window.</para>
/// <para>Sessions: a reading joins every session it overlaps (closer than the gap), merging them; the merged session
/// keeps the earliest start. If a merge moves the start of a session that was already emitted, the earlier emission
/// keeps its old identity (there is no retraction).</para>
/// <para>Not thread-safe: one engine per stage.</para>
/// </remarks>
public sealed partial class WindowEngine
{
    private const int PoolLimit = 1 << 17;

    private readonly WindowSpec _spec;
    private readonly long _latenessNs;
    private readonly int _maxOpenWindows;
    private readonly string[] _keyTags;
    private readonly HashSet<string> _keyTagSet;
    private readonly Action<WindowResult> _emit;
    private readonly WatermarkTracker _watermarks;
    private readonly Dictionary<SeriesKey, SeriesState> _series = [];
    private readonly MonotoneQueue<WindowQueueEntry> _fireQueue = new();
    private readonly MonotoneQueue<WindowQueueEntry> _unemitted = new();
    private readonly MonotoneQueue<WindowQueueEntry> _unfinal = new();
    private readonly Dictionary<int, long> _finalByPartition = [];
    private readonly int _maxPartitions;
    private readonly List<WindowQueueEntry> _lateDirty = [];
    private readonly Stack<WindowState> _windowPool = new();
    private readonly Stack<SeriesState> _seriesPool = new();
    private long _watermark = long.MinValue;
    private long _evictionFloor = long.MinValue;
    private int _openWindows;
    private long _accepted;
    private long _late;
    private long _emitted;
    private long _lateUpdates;
    private long _evicted;
    private long _replayedFinal;
    private long _finalWatermark = long.MinValue;
    private long _partitionFinal = long.MinValue;
    private int _partitionFinalOf = int.MinValue;
    private bool _skippedFinal;

    /// <summary>Creates an engine that hands every window result to <paramref name="emit"/> synchronously.</summary>
    /// <param name="options">Window shape, keys, lateness, limits and watermark settings.</param>
    /// <param name="emit">Receives each result on the calling thread; must not call back into the engine.</param>
    /// <param name="timeProvider">Wall clock for idleness and the fallback; the system clock by default.</param>
    public WindowEngine(WindowOptions options, Action<WindowResult> emit, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(emit);
        options.Validate();
        _spec = options.Spec;
        _latenessNs = UnixTime.ToNanos(options.AllowedLateness);
        _maxOpenWindows = options.MaxOpenWindows;
        _keyTags = [.. options.KeyTags];
        _keyTagSet = new HashSet<string>(_keyTags, StringComparer.Ordinal);
        _emit = emit;
        _watermarks = new WatermarkTracker(options.Watermarks, timeProvider);
        _maxPartitions = options.Watermarks.MaxPartitions;
    }

    /// <summary>The watermark used by the last <see cref="Flush"/> (epoch ns).</summary>
    public long Watermark => _watermark;

    /// <summary>
    /// The watermark reached by event time (<see cref="Flush"/>; <see cref="CloseAll"/> does not move it): every window
    /// whose end plus the allowed lateness is at or below it is final. <see cref="long.MinValue"/> before the first flush.
    /// </summary>
    public long FinalWatermark => _finalWatermark;

    /// <summary>Windows ending at or before this were closed early by eviction (epoch ns).</summary>
    public long EvictionFloor => _evictionFloor;

    /// <summary>The watermark tracker (partition counts, idleness).</summary>
    public WatermarkTracker Watermarks => _watermarks;

    /// <summary>Running totals.</summary>
    public WindowCounters Counters => new(_accepted, _late, _emitted, _lateUpdates, _evicted, _openWindows, _series.Count, _replayedFinal);

    /// <summary>
    /// The smallest sequence number folded into a window whose folds no non-early emission covers yet, or
    /// <see cref="long.MaxValue"/> when every fold has been emitted.
    /// </summary>
    public long OldestUnemittedSequence => OldestValid(_unemitted, static w => w.UnemittedSince);

    /// <summary>
    /// The smallest sequence number held by a window that is not final yet (still within its allowed lateness, or open),
    /// or <see cref="long.MaxValue"/> when none: messages below it are in final windows only.
    /// </summary>
    public long OldestUnfinalSequence => OldestValid(_unfinal, static w => w.HeldSince);

    /// <summary>
    /// Declares that windows whose end plus the allowed lateness is at or below <paramref name="watermarkNs"/> were final
    /// and stored for readings of <paramref name="partition"/> (its persisted progress, loaded after a restart); such a
    /// window no longer takes that partition's readings. Only raises the value.
    /// </summary>
    /// <returns>False when <see cref="WatermarkOptions.MaxPartitions"/> partitions already have one (nothing is recorded).</returns>
    public bool SetFinalWatermark(int partition, long watermarkNs)
    {
        _partitionFinalOf = int.MinValue;
        if (_finalByPartition.TryGetValue(partition, out var current))
        {
            _finalByPartition[partition] = Math.Max(current, watermarkNs);
            return true;
        }

        if (_finalByPartition.Count >= _maxPartitions)
        {
            return false;
        }

        _finalByPartition.Add(partition, watermarkNs);
        return true;
    }

    /// <summary>
    /// Folds <paramref name="reading"/> into its window(s). Does not emit; call <see cref="Flush"/> after a batch.
    /// </summary>
    /// <param name="reading">A validated reading (finite value).</param>
    /// <param name="partition">The input partition, for the watermark.</param>
    /// <param name="sequence">The input message's sequence number (non-decreasing), for acknowledgement tracking.</param>
    /// <returns>True unless late beyond the allowed lateness (the caller sends it to the late output); see <see cref="Fold"/>.</returns>
    public bool Add(in Reading reading, int partition = 0, long sequence = 0) => Fold(reading, partition, sequence) != FoldOutcome.Late;

    /// <summary>
    /// Folds <paramref name="reading"/> into its window(s), except windows already final by the partition's persisted
    /// progress (<see cref="SetFinalWatermark"/>). Does not emit; call <see cref="Flush"/> after a batch.
    /// </summary>
    /// <param name="reading">A validated reading (finite value).</param>
    /// <param name="partition">The input partition, for the watermark and the persisted progress.</param>
    /// <param name="sequence">The input message's sequence number (non-decreasing), for acknowledgement tracking.</param>
    public FoldOutcome Fold(in Reading reading, int partition = 0, long sequence = 0)
    {
        _watermarks.Observe(partition, reading.TimestampNs);
        if (partition != _partitionFinalOf)
        {
            // Consecutive readings mostly come from one partition: look its saved progress up only on a change.
            _partitionFinal = _finalByPartition.Count == 0 ? long.MinValue : _finalByPartition.GetValueOrDefault(partition, long.MinValue);
            _partitionFinalOf = partition;
        }

        _skippedFinal = false;
        var key = new SeriesKey(reading.DeviceId, reading.Metric, KeyTagsOf(reading.Tags));
        bool accepted;
        switch (_spec.Kind)
        {
            case WindowKind.Tumbling:
                accepted = AddToFixedWindow(key, Saturating.FloorToMultiple(reading.TimestampNs, _spec.SizeNs), reading, sequence);
                break;
            case WindowKind.Hopping:
                accepted = false;
                var t = reading.TimestampNs;
                var start = Saturating.FloorToMultiple(t, _spec.SlideNs);
                for (var i = 0; i < WindowSpec.MaxWindowsPerReading && Saturating.Add(start, _spec.SizeNs) > t; i++)
                {
                    accepted |= AddToFixedWindow(key, start, reading, sequence);
                    start = Saturating.Subtract(start, _spec.SlideNs);
                }

                break;
            default:
                accepted = AddToSession(key, reading, sequence);
                break;
        }

        if (accepted)
        {
            _accepted++;
            return FoldOutcome.Accepted;
        }

        if (_skippedFinal)
        {
            _replayedFinal++;
            return FoldOutcome.ReplayedFinal;
        }

        _late++;
        return FoldOutcome.Late;
    }

    /// <summary>
    /// Emits late updates, recomputes the watermark (reading the clock once), fires the windows it passed and drops
    /// the ones past their allowed lateness. Call after each batch and periodically (idleness needs the clock).
    /// </summary>
    public void Flush()
    {
        FlushLateUpdates();
        var watermark = _watermarks.Update();
        if (watermark > _watermark)
        {
            _watermark = watermark;
        }

        _finalWatermark = Math.Max(_finalWatermark, watermark);
        Process();
        CompactIfNeeded();
    }

    /// <summary>Emits an <see cref="EmissionKind.Early"/> result for every unfired window changed since its last emission.</summary>
    public void EmitEarly()
    {
        foreach (var series in _series.Values)
        {
            for (var i = 0; i < series.Count; i++)
            {
                var w = series[i];
                if (!w.Fired && w.Changed)
                {
                    Emit(w, EmissionKind.Early);
                }
            }
        }
    }

    /// <summary>Closes the window due first early (see the eviction policy). Returns false when no window is held.</summary>
    public bool EvictOldest()
    {
        while (_fireQueue.TryPeek(out var entry, out _))
        {
            if (entry.Token != entry.Window.QueueStamp)
            {
                _fireQueue.Dequeue();
                continue;
            }

            var end = entry.Window.End;
            if (end > _evictionFloor)
            {
                _evictionFloor = end;
            }

            FlushLateUpdates();
            Process();
            return true;
        }

        return false;
    }

    /// <summary>End of input: emits every pending late update and fires and drops every window.</summary>
    public void CloseAll()
    {
        FlushLateUpdates();
        _watermark = long.MaxValue;
        Process();
    }
}
