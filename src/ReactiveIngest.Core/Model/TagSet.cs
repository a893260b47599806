using System.Collections;

namespace ReactiveIngest.Core.Model;

/// <summary>
/// A small, immutable set of tags kept sorted by key (ordinal), so two sets with the same tags are
/// equal and encode identically. Devices carry a handful of tags; the set is an array, not a map.
/// </summary>
public readonly struct TagSet : IEquatable<TagSet>, IReadOnlyList<Tag>
{
    private readonly Tag[]? _tags;

    private TagSet(Tag[] sortedTags) => _tags = sortedTags;

    /// <summary>The empty set.</summary>
    public static TagSet Empty => default;

    /// <summary>Number of tags.</summary>
    public int Count => _tags?.Length ?? 0;

    /// <summary>The tag at <paramref name="index"/> in key order.</summary>
    public Tag this[int index] => (_tags ?? [])[index];

    /// <summary>The tags in key order, without copying.</summary>
    public ReadOnlySpan<Tag> AsSpan() => _tags;

    /// <summary>
    /// Builds a set from tags in any order. A key given twice keeps its last value.
    /// </summary>
    public static TagSet Create(IEnumerable<Tag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var list = new List<Tag>(tags);
        if (list.Count == 0)
        {
            return Empty;
        }

        // Stable sort so that "last value wins" can be applied after sorting.
        var ordered = list.Select((t, i) => (t, i))
            .OrderBy(x => x.t.Key, StringComparer.Ordinal)
            .ThenBy(x => x.i)
            .Select(x => x.t)
            .ToList();
        var result = new List<Tag>(ordered.Count);
        foreach (var tag in ordered)
        {
            if (result.Count > 0 && string.Equals(result[^1].Key, tag.Key, StringComparison.Ordinal))
            {
                result[^1] = tag;
            }
            else
            {
                result.Add(tag);
            }
        }

        return new TagSet([.. result]);
    }

    /// <summary>Builds a set from key/value pairs.</summary>
    public static TagSet Create(params ReadOnlySpan<(string Key, string Value)> tags)
    {
        var list = new List<Tag>(tags.Length);
        foreach (var (k, v) in tags)
        {
            list.Add(new Tag(k, v));
        }

        return Create(list);
    }

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    public string? Get(string key)
    {
        foreach (var tag in AsSpan())
        {
            if (string.Equals(tag.Key, key, StringComparison.Ordinal))
            {
                return tag.Value;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public bool Equals(TagSet other)
    {
        var a = AsSpan();
        var b = other.AsSpan();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i].Key, b[i].Key, StringComparison.Ordinal) ||
                !string.Equals(a[i].Value, b[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TagSet other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var tag in AsSpan())
        {
            hash.Add(tag.Key, StringComparer.Ordinal);
            hash.Add(tag.Value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(TagSet left, TagSet right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(TagSet left, TagSet right) => !left.Equals(right);

    /// <inheritdoc />
    public IEnumerator<Tag> GetEnumerator() => ((IEnumerable<Tag>)(_tags ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => string.Join(",", (_tags ?? []).Select(t => $"{t.Key}={t.Value}"));
}
