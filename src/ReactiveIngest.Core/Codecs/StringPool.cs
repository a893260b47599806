using System.Text;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Reuses the strings decoders produce (metric names, device ids, tag keys and values): a hit returns the
/// same string instance without allocating. Bounded by a <see cref="BoundedCache{TValue}"/>: when full, or
/// for text longer than <see cref="BoundedCache{TValue}.MaxKeyLength"/>, a new string is returned uncached.
/// Thread-safe.
/// </summary>
public sealed class StringPool
{
    private const int StackLimit = BoundedCache<string>.MaxKeyLength;

    private readonly BoundedCache<string> _cache;

    /// <summary>Creates a pool holding at most <paramref name="capacity"/> strings.</summary>
    public StringPool(int capacity) => _cache = new BoundedCache<string>(capacity);

    /// <summary>The number of pooled strings.</summary>
    public int Count => _cache.Count;

    /// <summary>The string for <paramref name="chars"/>.</summary>
    public string Get(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return string.Empty;
        }

        if (_cache.TryGetValue(chars, out var hit))
        {
            return hit;
        }

        var created = new string(chars);
        return _cache.Add(chars, created);
    }

    /// <summary>The string for the UTF-8 text <paramref name="utf8"/> (invalid sequences become U+FFFD).</summary>
    public string GetUtf8(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return string.Empty;
        }

        if (utf8.Length > StackLimit)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[StackLimit];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        return Get(chars[..length]);
    }
}
