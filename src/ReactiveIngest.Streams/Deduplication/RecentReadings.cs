using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Deduplication;

/// <summary>
/// The memory of <see cref="DeduplicateStage"/>: per series (device + metric + tags) a ring of the last
/// <c>depth</c> distinct timestamps in arrival order, for at most <c>maxKeys</c> series. When a new series arrives and
/// the table is full, a clock hand (second chance) evicts a series that was not hit since the hand last passed it.
/// Storage is flat arrays that grow by doubling up to the bound, so steady state allocates nothing per reading.
/// Not thread-safe: owned by one stage logic.
/// </summary>
internal sealed class RecentReadings
{
    private const int InitialSlots = 1024;
    private readonly int _depth;
    private readonly int _maxKeys;
    private readonly Dictionary<SeriesIdentity, int> _slotOf;
    private SeriesIdentity[] _keys;
    private long[] _timestamps;
    private ushort[] _filled;
    private ushort[] _next;
    private bool[] _referenced;
    private int _used;
    private int _hand;

    public RecentReadings(int depth, int maxKeys)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, DeduplicateSettings.MaxDepth);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        _depth = depth;
        _maxKeys = maxKeys;
        var slots = Math.Min(maxKeys, InitialSlots);
        _slotOf = new Dictionary<SeriesIdentity, int>(slots);
        _keys = new SeriesIdentity[slots];
        _timestamps = new long[slots * depth];
        _filled = new ushort[slots];
        _next = new ushort[slots];
        _referenced = new bool[slots];
    }

    /// <summary>Series remembered now (never more than maxKeys).</summary>
    public int Keys => _slotOf.Count;

    /// <summary>Series forgotten to stay within maxKeys.</summary>
    public long Evictions { get; private set; }

    /// <summary>True when the reading's identity is remembered; otherwise remembers it and returns false.</summary>
    public bool SeenOrAdd(in Reading reading)
    {
        var key = new SeriesIdentity(reading.DeviceId, reading.Metric, reading.Tags);
        var timestamp = reading.TimestampNs;
        if (_slotOf.TryGetValue(key, out var slot))
        {
            _referenced[slot] = true;
            var start = slot * _depth;
            if (_timestamps.AsSpan(start, _filled[slot]).Contains(timestamp))
            {
                return true;
            }

            var next = _next[slot];
            _timestamps[start + next] = timestamp;
            _next[slot] = (ushort)(next + 1 == _depth ? 0 : next + 1);
            if (_filled[slot] < _depth)
            {
                _filled[slot]++;
            }

            return false;
        }

        slot = _used < _maxKeys ? NewSlot() : Evict();
        _slotOf.Add(key, slot);
        _keys[slot] = key;
        _timestamps[slot * _depth] = timestamp;
        _filled[slot] = 1;
        _next[slot] = (ushort)(_depth == 1 ? 0 : 1);
        _referenced[slot] = false;
        return false;
    }

    private int NewSlot()
    {
        if (_used == _keys.Length)
        {
            var grown = (int)Math.Min((long)_keys.Length * 2, _maxKeys);
            Array.Resize(ref _keys, grown);
            Array.Resize(ref _timestamps, grown * _depth);
            Array.Resize(ref _filled, grown);
            Array.Resize(ref _next, grown);
            Array.Resize(ref _referenced, grown);
        }

        return _used++;
    }

    private int Evict()
    {
        while (true)
        {
            var slot = _hand;
            _hand = slot + 1 == _used ? 0 : slot + 1;
            if (_referenced[slot])
            {
                _referenced[slot] = false;
                continue;
            }

            _slotOf.Remove(_keys[slot]);
            Evictions++;
            return slot;
        }
    }

    /// <summary>Device + metric + tags, with the hash computed once.</summary>
    private readonly struct SeriesIdentity : IEquatable<SeriesIdentity>
    {
        private readonly string _deviceId;
        private readonly string _metric;
        private readonly TagSet _tags;
        private readonly int _hash;

        public SeriesIdentity(string deviceId, string metric, TagSet tags)
        {
            _deviceId = deviceId;
            _metric = metric;
            _tags = tags;
            _hash = HashCode.Combine(
                StringComparer.Ordinal.GetHashCode(deviceId ?? string.Empty),
                StringComparer.Ordinal.GetHashCode(metric ?? string.Empty),
                tags.GetHashCode());
        }

        public bool Equals(SeriesIdentity other) =>
            _hash == other._hash &&
            string.Equals(_deviceId, other._deviceId, StringComparison.Ordinal) &&
            string.Equals(_metric, other._metric, StringComparison.Ordinal) &&
            _tags.Equals(other._tags);

        public override bool Equals(object? obj) => obj is SeriesIdentity other && Equals(other);

        public override int GetHashCode() => _hash;
    }
}
