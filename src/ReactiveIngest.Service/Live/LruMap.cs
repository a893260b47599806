namespace ReactiveIngest.Service.Live;

/// <summary>
/// A map with a capacity that forgets the least recently touched entry when full. Not thread-safe:
/// the owner locks around it.
/// </summary>
internal sealed class LruMap<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map;
    private readonly LinkedList<(TKey Key, TValue Value)> _order = new();

    public LruMap(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _map = new Dictionary<TKey, LinkedListNode<(TKey, TValue)>>(comparer);
    }

    public int Capacity { get; }

    public int Count => _map.Count;

    /// <summary>Entries forgotten because the map was full.</summary>
    public long Evicted { get; private set; }

    public bool TryGet(TKey key, out TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Returns the entry for <paramref name="key"/>, creating it when absent, and marks it most recent.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        if (_map.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Value;
        }

        if (_map.Count >= Capacity)
        {
            var last = _order.Last!;
            _order.RemoveLast();
            _map.Remove(last.Value.Key);
            Evicted++;
        }

        var value = create(key);
        _map[key] = _order.AddFirst((key, value));
        return value;
    }

    public IEnumerable<TValue> Values => _order.Select(n => n.Value);

    public IEnumerable<(TKey Key, TValue Value)> Entries => _order;
}
