using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Watermarks;

/// <summary>
/// Tracks event-time progress per input partition and derives the pipeline watermark:
/// <list type="bullet">
/// <item>a partition's watermark is the largest event time it has delivered minus the allowed out-of-orderness;</item>
/// <item>the pipeline watermark is the minimum over active partitions; a partition with no reading for longer than
/// the idle timeout (wall clock, from the <see cref="TimeProvider"/>) is idle and does not hold it back;</item>
/// <item>when every partition is idle the watermark is the largest partition watermark, plus, with the wall-clock
/// fallback, the wall time elapsed since the last reading of any partition;</item>
/// <item>the watermark never goes backwards.</item>
/// </list>
/// A watermark <c>W</c> states that readings with event time below <c>W</c> are not expected any more.
/// </summary>
/// <remarks>
/// <see cref="Observe"/> is called per reading and reads no clock; <see cref="Update"/> reads the clock once and is
/// called per batch or on a timer. State is one slot per partition, at most <see cref="WatermarkOptions.MaxPartitions"/>.
/// Not thread-safe.
/// </remarks>
public sealed class WatermarkTracker
{
    private readonly TimeProvider _time;
    private readonly long _outOfOrdernessNs;
    private readonly TimeSpan _idleTimeout;
    private readonly long _surelyActiveStamps;
    private readonly bool _wallClockFallback;
    private readonly int _maxPartitions;
    private readonly Dictionary<int, int> _slots = [];
    private PartitionSlot[] _partitions = new PartitionSlot[4];
    private int _partitionCount;
    private int _lastPartition = int.MinValue;
    private int _lastSlot;

    /// <summary>Creates a tracker with no partitions; the watermark starts at <see cref="long.MinValue"/>.</summary>
    public WatermarkTracker(WatermarkOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _outOfOrdernessNs = UnixTime.ToNanos(options.OutOfOrderness);
        _idleTimeout = options.IdleTimeout;

        // Half the idle timeout in the provider's timestamp units: a partition active more recently is not idle,
        // which spares the exact (and slower) elapsed-time computation on the hot path.
        _surelyActiveStamps = (long)Math.Min(long.MaxValue / 2.0, options.IdleTimeout.Ticks * (_time.TimestampFrequency / (double)TimeSpan.TicksPerSecond) / 2);
        _wallClockFallback = options.WallClockFallback;
        _maxPartitions = options.MaxPartitions;
    }

    /// <summary>The current pipeline watermark in epoch ns (<see cref="long.MinValue"/> before any reading).</summary>
    public long Current { get; private set; } = long.MinValue;

    /// <summary>Number of partitions seen.</summary>
    public int PartitionCount => _partitionCount;

    /// <summary>Number of partitions found idle at the last <see cref="Update"/>.</summary>
    public int IdlePartitions { get; private set; }

    /// <summary>Records a reading's event time for <paramref name="partition"/>. O(1), no clock read.</summary>
    public void Observe(int partition, long eventTimeNs)
    {
        int slot;
        if (partition == _lastPartition)
        {
            slot = _lastSlot;
        }
        else
        {
            slot = SlotOf(partition);
            _lastPartition = partition;
            _lastSlot = slot;
        }

        ref var p = ref _partitions[slot];
        if (eventTimeNs > p.MaxEventTimeNs)
        {
            p.MaxEventTimeNs = eventTimeNs;
        }

        p.Touched = true;
    }

    /// <summary>
    /// Counts every partition for which <paramref name="heldBack"/> is true as active at the next <see cref="Update"/>,
    /// as if it had delivered a reading: its input is not absent but held back upstream (by backpressure from a stalled
    /// sink, say), so its silence is not idleness, and while it is active the wall-clock fallback stands still. O(partitions).
    /// </summary>
    public void KeepActive(Func<int, bool> heldBack)
    {
        ArgumentNullException.ThrowIfNull(heldBack);
        for (var i = 0; i < _partitionCount; i++)
        {
            ref var p = ref _partitions[i];
            if (!p.Touched && heldBack(p.Partition))
            {
                p.Touched = true;
            }
        }
    }

    /// <summary>Reads the clock, marks the partitions observed since the last call as active, and recomputes the watermark.</summary>
    /// <returns>The (monotonic) pipeline watermark.</returns>
    public long Update()
    {
        if (_partitionCount == 0)
        {
            return Current;
        }

        var now = _time.GetTimestamp();
        var minActive = long.MaxValue;
        var maxWatermark = long.MinValue;
        var latestActivity = long.MinValue;
        var idle = 0;
        for (var i = 0; i < _partitionCount; i++)
        {
            ref var p = ref _partitions[i];
            if (p.Touched)
            {
                p.LastActivity = now;
                p.Touched = false;
            }

            var watermark = Saturating.Subtract(p.MaxEventTimeNs, _outOfOrdernessNs);
            maxWatermark = Math.Max(maxWatermark, watermark);
            latestActivity = Math.Max(latestActivity, p.LastActivity);
            if (now - p.LastActivity >= _surelyActiveStamps && _time.GetElapsedTime(p.LastActivity, now) > _idleTimeout)
            {
                idle++;
            }
            else
            {
                minActive = Math.Min(minActive, watermark);
            }
        }

        IdlePartitions = idle;
        long candidate;
        if (minActive != long.MaxValue)
        {
            candidate = minActive;
        }
        else if (_wallClockFallback)
        {
            var quiet = UnixTime.ToNanos(_time.GetElapsedTime(latestActivity, now));
            candidate = Saturating.Add(maxWatermark, quiet);
        }
        else
        {
            candidate = maxWatermark;
        }

        if (candidate > Current)
        {
            Current = candidate;
        }

        return Current;
    }

    private int SlotOf(int partition)
    {
        if (_slots.TryGetValue(partition, out var slot))
        {
            return slot;
        }

        if (_partitionCount == _maxPartitions)
        {
            // Documented overflow: partitions beyond the limit share a slot.
            var shared = (int)((uint)partition % (uint)_maxPartitions);
            _slots[partition] = shared;
            return shared;
        }

        if (_partitionCount == _partitions.Length)
        {
            Array.Resize(ref _partitions, Math.Min(_partitions.Length * 2, _maxPartitions));
        }

        slot = _partitionCount++;
        _partitions[slot] = new PartitionSlot { Partition = partition, MaxEventTimeNs = long.MinValue, LastActivity = _time.GetTimestamp() };
        _slots[partition] = slot;
        return slot;
    }

    private struct PartitionSlot
    {
        public int Partition;
        public long MaxEventTimeNs;
        public long LastActivity;
        public bool Touched;
    }
}
