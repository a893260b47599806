using System.Collections.Concurrent;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// A thread-safe map from text keys to values that can be looked up by a <see cref="ReadOnlySpan{T}"/> of
/// chars without allocating a key string. Decoders use it to reuse metric names, device ids and tag sets
/// across messages: the same few thousand strings arrive over and over.
/// <para>
/// Bounded: at most <see cref="Capacity"/> entries. When full, new keys are not added (the caller builds
/// its value and uses it uncached) and existing entries stay; nothing is evicted, so a hostile stream of
/// unique keys costs allocations, never memory growth. Keys longer than <see cref="MaxKeyLength"/> chars
/// are never cached.
/// </para>
/// </summary>
/// <typeparam name="TValue">The cached value.</typeparam>
public sealed class BoundedCache<TValue>
{
    /// <summary>Longest key (in chars) that is cached; longer keys always miss.</summary>
    public const int MaxKeyLength = 512;

    private readonly ConcurrentDictionary<string, TValue> _map;
    private readonly ConcurrentDictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _count;

    /// <summary>Creates a cache holding at most <paramref name="capacity"/> entries.</summary>
    public BoundedCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        Capacity = capacity;
        _map = new ConcurrentDictionary<string, TValue>(StringComparer.Ordinal);
        _lookup = _map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The maximum number of entries.</summary>
    public int Capacity { get; }

    /// <summary>The number of entries (approximate under concurrency, never above <see cref="Capacity"/>).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Looks up <paramref name="key"/> without allocating.</summary>
    public bool TryGetValue(ReadOnlySpan<char> key, out TValue value)
    {
        if (key.Length > MaxKeyLength)
        {
            value = default!;
            return false;
        }

        return _lookup.TryGetValue(key, out value!);
    }

    /// <summary>
    /// Adds <paramref name="key"/> → <paramref name="value"/> when there is room; returns the value stored
    /// for the key (an earlier one if another thread won the race, else <paramref name="value"/>).
    /// </summary>
    public TValue Add(ReadOnlySpan<char> key, TValue value)
    {
        if (key.Length > MaxKeyLength || Volatile.Read(ref _count) >= Capacity)
        {
            return value;
        }

        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            return value;
        }

        if (_lookup.TryAdd(key, value))
        {
            return value;
        }

        Interlocked.Decrement(ref _count);
        return _lookup.TryGetValue(key, out var existing) ? existing : value;
    }
}
