namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// The emitted-but-not-yet-committed records of one assigned partition, in emission (= offset) order,
/// as a fixed ring. Handles mark their slot released from any thread; <see cref="Advance"/> moves the
/// head over the contiguous released prefix and yields the offset to commit (last offset + 1).
/// </summary>
/// <remarks>
/// Bounded: at most <c>capacity</c> records; when full the stage stops emitting from the partition.
/// <see cref="Append"/> is called only by the stage; <see cref="Advance"/> by the stage or the consumer
/// thread (serialized by a lock); <see cref="MarkReleased"/> by any thread, once per sequence number.
/// </remarks>
internal sealed class OffsetTracker
{
    private readonly long[] _offsets;
    private readonly int[] _released;
    private readonly Lock _advanceGate = new();
    private long _head;
    private long _tail;
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

    /// <summary>Records an emitted offset; returns its sequence number for the handle.</summary>
    public long Append(long offset)
    {
        var sequence = _tail;
        _offsets[sequence % _offsets.Length] = offset;
        Volatile.Write(ref _tail, sequence + 1);
        return sequence;
    }

    /// <summary>Marks one emitted record released.</summary>
    public void MarkReleased(long sequence) => Volatile.Write(ref _released[sequence % _offsets.Length], 1);

    /// <summary>Advances over released records; returns <see cref="CommitOffset"/>.</summary>
    public long Advance()
    {
        lock (_advanceGate)
        {
            var head = _head;
            var tail = Volatile.Read(ref _tail);
            var commit = _commitOffset;
            while (head < tail)
            {
                var slot = (int)(head % _offsets.Length);
                if (Volatile.Read(ref _released[slot]) == 0)
                {
                    break;
                }

                commit = _offsets[slot] + 1;
                _released[slot] = 0;
                head++;
            }

            Volatile.Write(ref _commitOffset, commit);
            Volatile.Write(ref _head, head);
            return commit;
        }
    }
}
