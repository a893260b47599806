using System.Collections;

namespace ReactiveIngest.Core.Model;

/// <summary>
/// A small, immutable set of tags kept sorted by key (ordinal), so two sets with the same tags are
/// equal and encode identically. Devices carry a handful of tags; the set is an array, not a map.
/// </summary>
public readonly struct TagSet : IEquatable<TagSet>, IReadOnlyList<Tag>
{
    private const int InsertionSortLimit = 16;
    private static readonly Comparer<Tag> ByKey = Comparer<Tag>.Create(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
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
        Tag[] array = tags switch
        {
            ICollection<Tag> { Count: 0 } => [],
            ICollection<Tag> collection => CopyOf(collection),
            _ => [.. tags],
        };
        return FromUnsorted(array);
    }

    /// <summary>Builds a set from key/value pairs.</summary>
    public static TagSet Create(params ReadOnlySpan<(string Key, string Value)> tags)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var array = new Tag[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            array[i] = new Tag(tags[i].Key, tags[i].Value);
        }

        return FromUnsorted(array);
    }

    /// <summary>
    /// This set with <paramref name="tag"/> added, or replacing the value of a tag with the same key (the same set as
    /// <see cref="Create(IEnumerable{Tag})"/> of these tags followed by <paramref name="tag"/>). One array, no sorting.
    /// </summary>
    public TagSet With(Tag tag)
    {
        var source = AsSpan();
        var index = 0;
        while (index < source.Length && string.CompareOrdinal(source[index].Key, tag.Key) < 0)
        {
            index++;
        }

        Tag[] result;
        if (index < source.Length && string.Equals(source[index].Key, tag.Key, StringComparison.Ordinal))
        {
            result = source.ToArray();
            result[index] = tag;
            return new TagSet(result);
        }

        result = new Tag[source.Length + 1];
        source[..index].CopyTo(result);
        result[index] = tag;
        source[index..].CopyTo(result.AsSpan(index + 1));
        return new TagSet(result);
    }

    private static Tag[] CopyOf(ICollection<Tag> tags)
    {
        var array = new Tag[tags.Count];
        tags.CopyTo(array, 0);
        return array;
    }

    /// <summary>Sorts <paramref name="tags"/> (owned) by key, keeping the last value of a repeated key.</summary>
    private static TagSet FromUnsorted(Tag[] tags)
    {
        if (tags.Length == 0)
        {
            return Empty;
        }

        // A stable sort, so that of equal keys the one given last ends up last: insertion sort for the handful of tags a
        // reading carries, a sort by (key, position) for more.
        if (tags.Length <= InsertionSortLimit)
        {
            for (var i = 1; i < tags.Length; i++)
            {
                var current = tags[i];
                var j = i - 1;
                while (j >= 0 && string.CompareOrdinal(tags[j].Key, current.Key) > 0)
                {
                    tags[j + 1] = tags[j];
                    j--;
                }

                tags[j + 1] = current;
            }
        }
        else
        {
            var positions = new int[tags.Length];
            for (var i = 0; i < positions.Length; i++)
            {
                positions[i] = i;
            }

            Array.Sort(tags, positions, ByKey);
            // Array.Sort is not stable: restore the given order within each run of one key.
            for (var start = 0; start < tags.Length;)
            {
                var end = start + 1;
                while (end < tags.Length && string.Equals(tags[end].Key, tags[start].Key, StringComparison.Ordinal))
                {
                    end++;
                }

                if (end - start > 1)
                {
                    Array.Sort(positions, tags, start, end - start);
                }

                start = end;
            }
        }

        // Collapse runs of one key to their last element.
        var count = 0;
        for (var i = 0; i < tags.Length; i++)
        {
            if (count > 0 && string.Equals(tags[count - 1].Key, tags[i].Key, StringComparison.Ordinal))
            {
                tags[count - 1] = tags[i];
            }
            else
            {
                tags[count++] = tags[i];
            }
        }

        return new TagSet(count == tags.Length ? tags : tags[..count]);
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
