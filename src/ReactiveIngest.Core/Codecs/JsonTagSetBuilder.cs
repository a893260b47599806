using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Merges an object's payload tags with the topic's tags for <see cref="JsonReadingDecoder"/>; on the same key
/// the side that has precedence wins. Merged sets are cached (bounded), keyed by the tags in merge order.
/// </summary>
internal sealed class JsonTagSetBuilder
{
    private const int CacheCapacity = 16_384;

    private readonly IdentityPrecedence _precedence;
    private readonly BoundedCache<TagSet> _tagSets = new(CacheCapacity);

    public JsonTagSetBuilder(IdentityPrecedence precedence) => _precedence = precedence;

    public TagSet Build(ReadOnlySpan<Tag> payloadTags, TopicMatch? topicMatch)
    {
        var topicTags = topicMatch?.Tags ?? TagSet.Empty;
        if (payloadTags.IsEmpty)
        {
            return topicTags;
        }

        // TagSet.Create keeps the last value of a repeated key, so the winning side goes last.
        var payloadFirst = _precedence == IdentityPrecedence.TopicWins;
        Span<char> key = stackalloc char[BoundedCache<TagSet>.MaxKeyLength];
        var length = 0;
        var fits = payloadFirst
            ? AppendKey(key, ref length, payloadTags) && AppendKey(key, ref length, topicTags.AsSpan())
            : AppendKey(key, ref length, topicTags.AsSpan()) && AppendKey(key, ref length, payloadTags);
        if (fits && _tagSets.TryGetValue(key[..length], out var cached))
        {
            return cached;
        }

        var all = new List<Tag>(payloadTags.Length + topicTags.Count);
        if (payloadFirst)
        {
            all.AddRange(payloadTags);
            all.AddRange(topicTags);
        }
        else
        {
            all.AddRange(topicTags);
            all.AddRange(payloadTags);
        }

        var created = TagSet.Create(all);
        return fits ? _tagSets.Add(key[..length], created) : created;
    }

    private static bool AppendKey(Span<char> key, ref int length, ReadOnlySpan<Tag> tags)
    {
        // Length-prefixed, so no tag content can make two different tag lists produce the same key.
        foreach (var tag in tags)
        {
            var needed = tag.Key.Length + tag.Value.Length + 2;
            if (length + needed > key.Length)
            {
                return false;
            }

            key[length++] = (char)tag.Key.Length;
            tag.Key.CopyTo(key[length..]);
            length += tag.Key.Length;
            key[length++] = (char)tag.Value.Length;
            tag.Value.CopyTo(key[length..]);
            length += tag.Value.Length;
        }

        return true;
    }
}
