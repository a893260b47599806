using System.Text;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Resolves a line's tag section (and topic) to its <see cref="LineProtocolSeries"/> for
/// <see cref="LineProtocolDecoder"/>: the device id by precedence, the remaining tags merged with the topic's.
/// Series are cached (bounded) by the raw tag section plus the topic when the topic contributes.
/// </summary>
internal sealed class LineProtocolSeriesResolver
{
    private const int StackBuffer = 512;

    private readonly LineProtocolNames _names;
    private readonly string? _deviceIdTag;
    private readonly IdentityPrecedence _precedence;
    private readonly BoundedCache<LineProtocolSeries> _series;

    public LineProtocolSeriesResolver(LineProtocolNames names, string? deviceIdTag, IdentityPrecedence precedence, int cacheCapacity)
    {
        _names = names;
        _deviceIdTag = deviceIdTag;
        _precedence = precedence;
        _series = new BoundedCache<LineProtocolSeries>(cacheCapacity);
    }

    public DecodeError? Resolve(ReadOnlySpan<byte> tagSection, in MessageContext context, TopicMatch? topicMatch, out LineProtocolSeries? series)
    {
        // Cache key: the raw tag section, plus the topic when the topic contributes to the identity.
        var topic = topicMatch is null ? ReadOnlySpan<char>.Empty : context.Topic.AsSpan();
        var maxChars = tagSection.Length + 1 + topic.Length;
        Span<char> key = maxChars <= StackBuffer ? stackalloc char[StackBuffer] : default;
        var keyLength = 0;
        if (!key.IsEmpty)
        {
            keyLength = Encoding.UTF8.GetChars(tagSection, key);
            key[keyLength++] = '\0';
            topic.CopyTo(key[keyLength..]);
            keyLength += topic.Length;
            if (_series.TryGetValue(key[..keyLength], out series))
            {
                return null;
            }
        }

        var error = ParseSeries(tagSection, topicMatch, out series);
        if (error is null && !key.IsEmpty)
        {
            series = _series.Add(key[..keyLength], series!);
        }

        return error;
    }

    private DecodeError? ParseSeries(ReadOnlySpan<byte> tagSection, TopicMatch? topicMatch, out LineProtocolSeries? series)
    {
        series = null;
        string? tagDeviceId = null;
        var tags = new List<Tag>();
        var position = 0;
        while (position < tagSection.Length)
        {
            var keyEnd = LineProtocolScanner.ScanTo(tagSection, position, (byte)'=', (byte)',', (byte)',');
            if (keyEnd >= tagSection.Length || tagSection[keyEnd] != (byte)'=')
            {
                return Malformed($"tag '{Encoding.UTF8.GetString(tagSection[position..keyEnd])}' has no '=value'");
            }

            var valueEnd = LineProtocolScanner.ScanTo(tagSection, keyEnd + 1, (byte)',', (byte)',', (byte)',');
            var rawKey = tagSection[position..keyEnd];
            var rawValue = tagSection[(keyEnd + 1)..valueEnd];
            if (rawKey.IsEmpty || rawValue.IsEmpty)
            {
                return Malformed($"tag '{Encoding.UTF8.GetString(tagSection[position..valueEnd])}' has an empty key or value");
            }

            var key = _names.Identifier(rawKey, measurement: false);
            var value = _names.Identifier(rawValue, measurement: false);
            if (_deviceIdTag is not null && string.Equals(key, _deviceIdTag, StringComparison.Ordinal))
            {
                tagDeviceId = value;
            }
            else
            {
                tags.Add(new Tag(key, value));
            }

            position = valueEnd + 1;
        }

        var topicId = topicMatch?.DeviceId;
        var deviceId = _precedence == IdentityPrecedence.PayloadWins ? tagDeviceId ?? topicId : topicId ?? tagDeviceId;
        TagSet tagSet;
        if (topicMatch is null || topicMatch.Tags.Count == 0)
        {
            tagSet = tags.Count == 0 ? TagSet.Empty : TagSet.Create(tags);
        }
        else
        {
            // TagSet.Create keeps the last value of a repeated key, so the winning side goes last.
            var merged = new List<Tag>(tags.Count + topicMatch.Tags.Count);
            if (_precedence == IdentityPrecedence.PayloadWins)
            {
                merged.AddRange(topicMatch.Tags);
                merged.AddRange(tags);
            }
            else
            {
                merged.AddRange(tags);
                merged.AddRange(topicMatch.Tags);
            }

            tagSet = TagSet.Create(merged);
        }

        series = new LineProtocolSeries(deviceId, tagSet);
        return null;
    }

    private static DecodeError Malformed(string detail) => new(RejectReason.MalformedPayload, detail);
}
