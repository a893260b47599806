namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// The emitted-but-not-yet-committed records of one assigned partition, in emission (= offset) order,
/// as a fixed ring. Handles mark their slot released from any thread; <see cref="Advance"/> moves the
/// head over the contiguous released prefix and yields the offset to commit (last offset + 1).
/// </summary>
/// <remarks>
/// Bounded: at most <c>capacity</c> records; when full the stage stops emitting from the partition.
/// <see cref="Append"/> is called only by the stage; <see cref="Advance"/> by the stage or the consumer
/// thread (serialized by a lock); <see cref="MarkReleased"/> by any thread, once per appended slot.
/// A slot is reused only after the head moved over it, that is after its record was released, so a
/// released handle marks exactly its own record.
/// </remarks>
internal sealed class OffsetTracker
{
    private readonly long[] _offsets;
    private readonly int[] _released;
    private readonly Lock _advanceGate = new();
    private long _head;
    private long _tail;
    private int _headSlot; // _head modulo the ring length, kept incrementally (no division per record)
    private int _tailSlot; // _tail modulo the ring length
    private long _commitOffset = -1;

    public OffsetTracker(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _offsets = new long[capacity];
        _released = new int[capacity];
    }

    /// <summary>True when no more records may be emitted until some are released and advanced over.</summary>
    public bool IsFull => Volatile.Read(ref _tail) - Volatile.Read(ref _head) >= _offsets.Length;

    /// <summary>Emitted records not yet advanced over (released or not).</summary>
    public long Outstanding => Volatile.Read(ref _tail) - Volatile.Read(ref _head);

    /// <summary>The offset to commit (last contiguously released offset + 1), or -1 when none yet.</summary>
    public long CommitOffset => Volatile.Read(ref _commitOffset);

    /// <summary>Records an emitted offset (the caller checked <see cref="IsFull"/>); returns its slot for the handle.</summary>
    public int Append(long offset)
    {
        var slot = _tailSlot;
        _offsets[slot] = offset;
        _tailSlot = slot + 1 == _offsets.Length ? 0 : slot + 1;
        Volatile.Write(ref _tail, _tail + 1);
        return slot;
    }

    /// <summary>Marks the record in <paramref name="slot"/> released.</summary>
    public void MarkReleased(int slot) => Volatile.Write(ref _released[slot], 1);

    /// <summary>Advances over released records; returns <see cref="CommitOffset"/>.</summary>
    public long Advance()
    {
        lock (_advanceGate)
        {
            var head = _head;
            var slot = _headSlot;
            var tail = Volatile.Read(ref _tail);
            var commit = _commitOffset;
            while (head < tail && Volatile.Read(ref _released[slot]) != 0)
            {
                commit = _offsets[slot] + 1;
                _released[slot] = 0;
                head++;
                slot = slot + 1 == _offsets.Length ? 0 : slot + 1;
            }

            _headSlot = slot;
            Volatile.Write(ref _commitOffset, commit);
            Volatile.Write(ref _head, head);
            return commit;
        }
    }
}
