namespace ReactiveIngest.Journal.Log;

/// <summary>
/// The entries the reader handed out and the graph has not released yet, in read (address) order, and from them the
/// truncation point: the address of the oldest unreleased entry, or the end of the last entry read when all are
/// released. Releases arrive in any order from any thread.
/// </summary>
/// <remarks>
/// Bounded: at most <c>capacity</c> entries (8 bytes of address and one flag each, in chunks of
/// <see cref="ChunkSize"/> allocated while needed); <see cref="IsFull"/> tells the reader to stop. Thread-safe.
/// </remarks>
internal sealed class ReleaseTracker
{
    internal const int ChunkSize = 4096;

    private readonly object _gate = new();
    private readonly Chunk?[] _ring;
    private readonly int _capacity;
    private long _head;
    private long _tail;
    private long _truncation;
    private long _released;
    private long _lastNext;
    private long _releasedAhead;

    public ReleaseTracker(int capacity, long beginAddress)
    {
        _capacity = (capacity + ChunkSize - 1) / ChunkSize * ChunkSize;
        _ring = new Chunk?[(_capacity / ChunkSize) + 1];
        _truncation = beginAddress;
    }

    /// <summary>Entries handed out and not released.</summary>
    public long Unreleased
    {
        get
        {
            lock (_gate)
            {
                return _tail - _head - _releasedAhead;
            }
        }
    }

    /// <summary>Entries released since start.</summary>
    public long Released => Interlocked.Read(ref _released);

    /// <summary>True when no more entries may be handed out until some are released.</summary>
    public bool IsFull
    {
        get
        {
            lock (_gate)
            {
                return _tail - _head >= _capacity;
            }
        }
    }

    /// <summary>Every entry before this address was released.</summary>
    public long TruncationPoint
    {
        get
        {
            lock (_gate)
            {
                return _truncation;
            }
        }
    }

    /// <summary>Registers the entry at <paramref name="address"/> (ending at <paramref name="nextAddress"/>); returns its sequence.</summary>
    public long Add(long address, long nextAddress)
    {
        lock (_gate)
        {
            if (_tail - _head >= _capacity)
            {
                throw new InvalidOperationException("release tracker is full");
            }

            var seq = _tail++;
            var chunk = ChunkOf(seq, create: true)!;
            var index = (int)(seq % ChunkSize);
            chunk.Addresses[index] = address;
            chunk.Done[index] = false;
            _lastNext = nextAddress;
            if (seq == _head)
            {
                _truncation = address;
            }

            return seq;
        }
    }

    /// <summary>Marks entry <paramref name="seq"/> released and moves the truncation point over the released prefix.</summary>
    public void Release(long seq)
    {
        lock (_gate)
        {
            if (seq < _head || seq >= _tail)
            {
                return;
            }

            var chunk = ChunkOf(seq, create: false)!;
            if (chunk.Done[(int)(seq % ChunkSize)])
            {
                return;
            }

            chunk.Done[(int)(seq % ChunkSize)] = true;
            _released++;
            _releasedAhead++;
            while (_head < _tail && ChunkOf(_head, create: false)!.Done[(int)(_head % ChunkSize)])
            {
                _head++;
                _releasedAhead--;
                if (_head % ChunkSize == 0)
                {
                    _ring[SlotOf(_head - 1)] = null;
                }
            }

            _truncation = _head < _tail ? ChunkOf(_head, create: false)!.Addresses[(int)(_head % ChunkSize)] : _lastNext;
        }
    }

    private int SlotOf(long seq) => (int)(seq / ChunkSize % _ring.Length);

    private Chunk? ChunkOf(long seq, bool create)
    {
        var slot = SlotOf(seq);
        var chunk = _ring[slot];
        if (chunk is null && create)
        {
            chunk = new Chunk();
            _ring[slot] = chunk;
        }

        return chunk;
    }

    private sealed class Chunk
    {
        public long[] Addresses { get; } = new long[ChunkSize];

        public bool[] Done { get; } = new bool[ChunkSize];
    }
}
