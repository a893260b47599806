namespace ReactiveIngest.Core.Windows;

/// <summary>
/// A min-priority queue tuned for priorities that arrive as a few interleaved non-decreasing runs (window ends,
/// window ends plus the allowed lateness, message sequences): an element is appended to the FIFO run with the largest
/// tail not above its priority (O(1), sequential memory; patience-sorting style, at most <see cref="Runs"/> runs), and
/// only an element that fits no run goes to a binary heap. The minimum is the smallest of the run heads and the heap
/// top, so it behaves exactly like a priority queue (elements with equal priorities leave in no particular order).
/// </summary>
/// <remarks>Why: with tens of thousands of open windows, a heap-only queue costs a cache-missing sift per window
/// created, fired and purged, which was the largest part of the engine's per-reading cost. Not thread-safe; as
/// bounded as what the caller puts in (the engine compacts it).</remarks>
/// <typeparam name="T">The element.</typeparam>
internal sealed class MonotoneQueue<T>
{
    /// <summary>FIFO runs kept before falling back to the heap.</summary>
    public const int Runs = 4;

    private const int NoElement = -2;
    private const int FromHeap = -1;

    private readonly Queue<(T Element, long Priority)>[] _runs = [new(), new(), new(), new()];
    private readonly long[] _tails = [long.MinValue, long.MinValue, long.MinValue, long.MinValue];
    private readonly PriorityQueue<T, long> _heap = new();

    /// <summary>Elements held.</summary>
    public int Count { get; private set; }

    /// <summary>Adds <paramref name="element"/> with <paramref name="priority"/>.</summary>
    public void Enqueue(T element, long priority)
    {
        var best = -1;
        for (var i = 0; i < Runs; i++)
        {
            if (_tails[i] <= priority && (best < 0 || _tails[i] > _tails[best]))
            {
                best = i;
            }
        }

        Count++;
        if (best < 0)
        {
            _heap.Enqueue(element, priority);
            return;
        }

        _runs[best].Enqueue((element, priority));
        _tails[best] = priority;
    }

    /// <summary>The element with the smallest priority, without removing it.</summary>
    public bool TryPeek(out T element, out long priority)
    {
        var source = Smallest(out priority);
        if (source == NoElement)
        {
            element = default!;
            return false;
        }

        element = source == FromHeap ? _heap.Peek() : _runs[source].Peek().Element;
        return true;
    }

    /// <summary>Removes and returns the element with the smallest priority.</summary>
    public bool TryDequeue(out T element, out long priority)
    {
        var source = Smallest(out priority);
        if (source == NoElement)
        {
            element = default!;
            return false;
        }

        Count--;
        if (source == FromHeap)
        {
            element = _heap.Dequeue();
            return true;
        }

        var run = _runs[source];
        element = run.Dequeue().Element;
        if (run.Count == 0)
        {
            _tails[source] = long.MinValue;
        }

        return true;
    }

    /// <summary>Removes the element with the smallest priority (there must be one).</summary>
    public void Dequeue() => TryDequeue(out _, out _);

    /// <summary>Keeps only the elements <paramref name="keep"/> accepts, re-prioritised by it (for compaction).</summary>
    public void Rebuild(Func<T, long, long?> keep)
    {
        var live = new List<(T Element, long Priority)>(Count);
        while (TryDequeue(out var element, out var priority))
        {
            if (keep(element, priority) is { } newPriority)
            {
                live.Add((element, newPriority));
            }
        }

        live.Sort(static (a, b) => a.Priority.CompareTo(b.Priority));
        foreach (var (element, priority) in live)
        {
            Enqueue(element, priority);
        }
    }

    private int Smallest(out long priority)
    {
        var source = _heap.TryPeek(out _, out priority) ? FromHeap : NoElement;
        for (var i = 0; i < Runs; i++)
        {
            if (_runs[i].TryPeek(out var head) && (source == NoElement || head.Priority < priority))
            {
                source = i;
                priority = head.Priority;
            }
        }

        return source;
    }
}
