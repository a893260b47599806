using System.Runtime.InteropServices;
using System.Text;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// Turns record keys into strings, reusing the string of a key seen before: telemetry keys are device ids,
/// so a source sees the same few thousand keys over and over, and decoding each one again would allocate
/// a new string per record. Used only on the stage's thread.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="MaxEntries"/> keys of at most <see cref="MaxKeyBytes"/> bytes each are kept.
/// When full, the cache is emptied and refilled from the keys that follow (longer keys are decoded every time
/// and never kept). It keeps the key byte arrays of the records it saw first; nothing else holds or changes them.
/// </remarks>
internal sealed class RecordKeyCache
{
    /// <summary>The most keys kept; reaching it empties the cache.</summary>
    public const int MaxEntries = 8192;

    /// <summary>Longer keys are decoded every time.</summary>
    public const int MaxKeyBytes = 128;

    private const int InitialEntries = 64;

    private int[] _buckets = new int[InitialEntries * 2]; // index + 1 of the first entry of the chain; 0 = empty
    private Entry[] _entries = new Entry[InitialEntries];
    private int _count;

    /// <summary>Keys currently kept.</summary>
    public int Count => _count;

    /// <summary>The key as text (UTF-8), or null for a record without a key.</summary>
    public string? Text(byte[]? key)
    {
        if (key is null)
        {
            return null;
        }

        if (key.Length > MaxKeyBytes)
        {
            return Encoding.UTF8.GetString(key);
        }

        var hash = Hash(key);
        var bucket = hash & (_buckets.Length - 1);
        for (var i = _buckets[bucket] - 1; i >= 0; i = _entries[i].Next)
        {
            ref var entry = ref _entries[i];
            if (entry.Hash == hash && key.AsSpan().SequenceEqual(entry.Bytes))
            {
                return entry.Text;
            }
        }

        var text = Encoding.UTF8.GetString(key);
        Add(key, text, hash);
        return text;
    }

    private void Add(byte[] key, string text, int hash)
    {
        if (_count == _entries.Length)
        {
            if (_count >= MaxEntries)
            {
                Array.Clear(_buckets);
                Array.Clear(_entries);
                _count = 0;
            }
            else
            {
                Grow();
            }
        }

        var bucket = hash & (_buckets.Length - 1);
        _entries[_count] = new Entry(key, text, hash, _buckets[bucket] - 1);
        _buckets[bucket] = ++_count;
    }

    private void Grow()
    {
        var entries = new Entry[_entries.Length * 2];
        Array.Copy(_entries, entries, _count);
        var buckets = new int[entries.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            var bucket = entries[i].Hash & (buckets.Length - 1);
            entries[i].Next = buckets[bucket] - 1;
            buckets[bucket] = i + 1;
        }

        _entries = entries;
        _buckets = buckets;
    }

    // FNV-1a style over 8-byte words, then the tail bytes; keys are short, so this is a handful of multiplies.
    private static int Hash(ReadOnlySpan<byte> key)
    {
        const ulong prime = 0x100000001B3;
        var hash = 0xCBF29CE484222325 ^ (ulong)key.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(key);
        foreach (var word in words)
        {
            hash = (hash ^ word) * prime;
            hash ^= hash >> 29;
        }

        foreach (var b in key[(words.Length * sizeof(ulong))..])
        {
            hash = (hash ^ b) * prime;
        }

        hash ^= hash >> 32;
        return (int)hash & int.MaxValue;
    }

    private struct Entry(byte[] bytes, string text, int hash, int next)
    {
        public readonly byte[] Bytes = bytes;
        public readonly string Text = text;
        public readonly int Hash = hash;
        public int Next = next;
    }
}
