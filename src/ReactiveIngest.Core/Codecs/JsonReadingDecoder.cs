using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using ReactiveIngest.Core.Configuration;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Decodes JSON telemetry: one object with several metrics, or an array of such objects, mapped to readings
/// by <see cref="JsonCodecOptions"/> (see there for the defaults and every rule). One forward pass with a
/// <see cref="Utf8JsonReader"/>; metric names, device ids and tag sets come from bounded caches, so a steady
/// stream of similar messages allocates nothing per message beyond growing the caller's output list.
/// <para>
/// The whole message is accepted or rejected: if any object fails (malformed JSON, a metric that is a
/// string, a value that overflows a double, no device id, no metrics, a bad timestamp), nothing is appended
/// and the error names the field and, for arrays, the element index. So is a message with an object of more than
/// <see cref="JsonCodecOptions.MaxMetricsPerMessage"/> values (<see cref="RejectReason.TooManyMetrics"/>), and an object that names the same metric, device id or timestamp twice (duplicate keys: which
/// one was meant cannot be known; <see cref="RejectReason.MalformedPayload"/>).
/// </para>
/// <para>
/// Device id precedence with a topic template: see <see cref="JsonCodecOptions.Precedence"/>. Payload tags
/// and topic tags are merged; on the same key the side that has precedence wins.
/// </para>
/// </summary>
public sealed class JsonReadingDecoder : IReadingDecoder
{
    private const int StackBuffer = 256;
    private const int TagSetCacheCapacity = 16_384;

    private readonly JsonFieldMap _map;
    private readonly TopicTemplate? _topic;
    private readonly IdentityPrecedence _precedence;
    private readonly TimestampUnit _unit;
    private readonly bool _booleans;
    private readonly JsonReaderOptions _readerOptions;
    private readonly StringPool _strings;
    private readonly BoundedCache<TagSet> _tagSets = new(TagSetCacheCapacity);
    private readonly string _deviceIdPath;
    private readonly int _maxMetrics;

    /// <summary>Creates a decoder; throws <see cref="InvalidOptionsException"/> listing every invalid setting.</summary>
    public JsonReadingDecoder(JsonCodecOptions? options = null)
    {
        options ??= new JsonCodecOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOptionsException(nameof(JsonCodecOptions), errors);
        }

        JsonFieldMap.TryBuild(options, out var map, out _);
        _map = map!;
        _topic = options.TopicTemplate is null ? null : TopicTemplate.Parse(options.TopicTemplate);
        _precedence = options.Precedence;
        _unit = options.TimestampUnit;
        _booleans = options.BooleansAsNumbers;
        _readerOptions = new JsonReaderOptions { MaxDepth = options.MaxDepth, CommentHandling = JsonCommentHandling.Disallow };
        _strings = new StringPool(options.StringPoolCapacity);
        _deviceIdPath = options.DeviceIdPath;
        _maxMetrics = options.MaxMetricsPerMessage;
    }

    /// <inheritdoc />
    public DecodeError? Decode(ReadOnlySpan<byte> payload, in MessageContext context, List<Reading> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        TopicMatch? topicMatch = null;
        if (_topic is not null && !_topic.TryMatch(context.Topic ?? string.Empty, out topicMatch))
        {
            return new DecodeError(RejectReason.TopicMismatch, $"topic '{context.Topic}' does not match the template '{_topic.Template}'");
        }

        var start = output.Count;

        // A UTF-8 byte order mark (some Windows tools write one) is not part of the JSON text.
        if (payload.StartsWith("\uFEFF"u8))
        {
            payload = payload[3..];
        }

        if (Utf8Text.Problem(payload) is { } invalid)
        {
            return new DecodeError(RejectReason.MalformedPayload, invalid);
        }

        DecodeError? error;
        try
        {
            error = DecodeDocument(payload, context, topicMatch, output);
        }
        catch (JsonException ex)
        {
            error = new DecodeError(RejectReason.MalformedPayload, ex.Message);
        }

        if (error is not null && output.Count > start)
        {
            output.RemoveRange(start, output.Count - start);
        }

        return error;
    }

    private DecodeError? DecodeDocument(ReadOnlySpan<byte> payload, in MessageContext context, TopicMatch? topicMatch, List<Reading> output)
    {
        var reader = new Utf8JsonReader(payload, _readerOptions);
        if (!reader.Read())
        {
            return new DecodeError(RejectReason.MalformedPayload, "the payload is empty");
        }

        DecodeError? error;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                error = DecodeObject(ref reader, context, topicMatch, output, -1);
                if (error is not null)
                {
                    return error;
                }

                break;
            case JsonTokenType.StartArray:
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return new DecodeError(RejectReason.WrongType, $"element {index} of the top-level array is {reader.TokenType}, not an object");
                    }

                    error = DecodeObject(ref reader, context, topicMatch, output, index);
                    if (error is not null)
                    {
                        return error;
                    }

                    index++;
                }

                if (index == 0)
                {
                    return new DecodeError(RejectReason.NoMetrics, "the top-level array is empty");
                }

                break;
            default:
                return new DecodeError(RejectReason.MalformedPayload, $"the payload is a JSON {reader.TokenType}; expected an object or an array of objects");
        }

        // Trailing content after the value throws a JsonException with its position.
        return reader.Read()
            ? new DecodeError(RejectReason.MalformedPayload, $"unexpected content after the JSON value at byte {reader.TokenStartIndex}")
            : null;
    }

    private DecodeError? DecodeObject(ref Utf8JsonReader reader, in MessageContext context, TopicMatch? topicMatch, List<Reading> output, int index)
    {
        var state = default(ObjectState);
        var first = output.Count;
        try
        {
            var error = WalkObject(ref reader, _map.Root, topLevel: true, ref state, output, index);
            if (error is not null)
            {
                return error;
            }

            var topicId = topicMatch?.DeviceId;
            var deviceId = _precedence == IdentityPrecedence.PayloadWins ? state.DeviceId ?? topicId : topicId ?? state.DeviceId;
            if (deviceId is null)
            {
                return new DecodeError(
                    RejectReason.MissingDeviceId,
                    $"{Where(index)}no device id at '{_deviceIdPath}'{(_topic is null ? string.Empty : $" nor in the topic '{context.Topic}'")}");
            }

            if (output.Count == first)
            {
                return new DecodeError(RejectReason.NoMetrics, $"{Where(index)}the object has no metric values");
            }

            if (output.Count - first > _maxMetrics)
            {
                return new DecodeError(RejectReason.TooManyMetrics, $"{Where(index)}the object has {output.Count - first} metric values; the limit is {_maxMetrics} (MaxMetricsPerMessage)");
            }

            if (DuplicateMetric(CollectionsMarshal.AsSpan(output)[first..]) is { } duplicate)
            {
                return new DecodeError(RejectReason.MalformedPayload, $"{Where(index)}the object has the key '{duplicate}' twice");
            }

            var timestamp = state.HasTimestamp ? state.TimestampNs : context.ReceivedAtNs;
            var tags = BuildTags(ref state, topicMatch);
            foreach (ref var reading in CollectionsMarshal.AsSpan(output)[first..])
            {
                reading = new Reading(deviceId, reading.Metric, timestamp, reading.Value, tags);
            }

            return null;
        }
        finally
        {
            if (state.Tags is not null)
            {
                ArrayPool<Tag>.Shared.Return(state.Tags, clearArray: true);
            }
        }
    }

    private DecodeError? WalkObject(ref Utf8JsonReader reader, JsonFieldNode node, bool topLevel, ref ObjectState state, List<Reading> output, int index)
    {
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return null;
            }

            JsonFieldNode? child = null;
            foreach (var candidate in node.Children)
            {
                if (reader.ValueTextEquals(candidate.Utf8Name))
                {
                    child = candidate;
                    break;
                }
            }

            if (child is null)
            {
                var error = topLevel && _map.ImplicitMetrics
                    ? ReadImplicitMetric(ref reader, output, index)
                    : SkipValue(ref reader);
                if (error is not null)
                {
                    return error;
                }

                continue;
            }

            reader.Read();
            var fieldError = child.Role switch
            {
                JsonFieldRole.DeviceId => ReadDeviceId(ref reader, child, ref state, index),
                JsonFieldRole.Timestamp => ReadTimestamp(ref reader, child, ref state, index),
                JsonFieldRole.Tag => ReadTag(ref reader, child, ref state, index),
                JsonFieldRole.Metric => ReadMetric(ref reader, child.Label!, child.Path, output, index),
                JsonFieldRole.MetricsObject => ReadMetricsObject(ref reader, child, output, index),
                _ => ReadParent(ref reader, child, ref state, output, index),
            };
            if (fieldError is not null)
            {
                return fieldError;
            }
        }

        return new DecodeError(RejectReason.MalformedPayload, "the JSON ends inside an object");
    }

    private static DecodeError? SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
        return null;
    }

    private DecodeError? ReadImplicitMetric(ref Utf8JsonReader reader, List<Reading> output, int index)
    {
        // The name's bytes stay valid after reading on (they are a slice of the payload) unless escaped.
        var nameBytes = reader.ValueSpan;
        var escapedName = reader.ValueIsEscaped ? reader.GetString() : null;
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
            case JsonTokenType.True when _booleans:
            case JsonTokenType.False when _booleans:
                var name = escapedName is null ? _strings.GetUtf8(nameBytes) : _strings.Get(escapedName);
                return AddValue(ref reader, name, name, output, index);
            default:
                // Strings, nulls, objects and arrays at the top level are not metrics unless mapped.
                reader.Skip();
                return null;
        }
    }

    private DecodeError? ReadMetric(ref Utf8JsonReader reader, string name, string path, List<Reading> output, int index)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
            case JsonTokenType.True when _booleans:
            case JsonTokenType.False when _booleans:
                return AddValue(ref reader, name, path, output, index);
            default:
                var found = reader.TokenType;
                reader.Skip();
                return new DecodeError(RejectReason.WrongType, $"{Where(index)}metric '{path}' is {Describe(found)}, expected a number");
        }
    }

    /// <summary>A metric name that occurs twice in <paramref name="readings"/> (one object's), or null.</summary>
    private static string? DuplicateMetric(ReadOnlySpan<Reading> readings)
    {
        if (readings.Length <= 16)
        {
            for (var i = 1; i < readings.Length; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(readings[i].Metric, readings[j].Metric, StringComparison.Ordinal))
                    {
                        return readings[i].Metric;
                    }
                }
            }

            return null;
        }

        var seen = new HashSet<string>(readings.Length, StringComparer.Ordinal);
        foreach (var reading in readings)
        {
            if (!seen.Add(reading.Metric))
            {
                return reading.Metric;
            }
        }

        return null;
    }

    private static DecodeError? AddValue(ref Utf8JsonReader reader, string name, string path, List<Reading> output, int index)
    {
        double value;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!reader.TryGetDouble(out value) || !double.IsFinite(value))
            {
                return new DecodeError(RejectReason.NotFinite, $"{Where(index)}metric '{path}' does not fit in a double");
            }
        }
        else
        {
            value = reader.TokenType == JsonTokenType.True ? 1d : 0d;
        }

        output.Add(new Reading(string.Empty, name, 0, value, TagSet.Empty));
        return null;
    }

    private DecodeError? ReadMetricsObject(ref Utf8JsonReader reader, JsonFieldNode node, List<Reading> output, int index)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var found = reader.TokenType;
            reader.Skip();
            return new DecodeError(RejectReason.WrongType, $"{Where(index)}'{node.Path}' is {Describe(found)}, expected an object of metrics");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var nameBytes = reader.ValueSpan;
            var escapedName = reader.ValueIsEscaped ? reader.GetString() : null;
            reader.Read();
            var name = escapedName is null ? _strings.GetUtf8(nameBytes) : _strings.Get(escapedName);
            var error = ReadMetric(ref reader, name, node.Path, output, index);
            if (error is not null)
            {
                return error.Value with { Detail = $"{error.Value.Detail} (member '{name}')" };
            }
        }

        return null;
    }

    private DecodeError? ReadParent(ref Utf8JsonReader reader, JsonFieldNode node, ref ObjectState state, List<Reading> output, int index)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return WalkObject(ref reader, node, topLevel: false, ref state, output, index);
            case JsonTokenType.Null:
                return null;
            default:
                var found = reader.TokenType;
                reader.Skip();
                return new DecodeError(RejectReason.WrongType, $"{Where(index)}'{node.Path}' is {Describe(found)}, expected an object");
        }
    }

    private DecodeError? ReadDeviceId(ref Utf8JsonReader reader, JsonFieldNode node, ref ObjectState state, int index)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String or JsonTokenType.Number when state.DeviceId is not null:
                return new DecodeError(RejectReason.MalformedPayload, $"{Where(index)}the object has the device id key '{node.Path}' twice");
            case JsonTokenType.String:
                state.DeviceId = ReadString(ref reader);
                return null;
            case JsonTokenType.Number:
                state.DeviceId = _strings.GetUtf8(reader.ValueSpan);
                return null;
            case JsonTokenType.Null:
                return null;
            default:
                var found = reader.TokenType;
                reader.Skip();
                return new DecodeError(RejectReason.WrongType, $"{Where(index)}device id '{node.Path}' is {Describe(found)}, expected a string");
        }
    }

    private DecodeError? ReadTag(ref Utf8JsonReader reader, JsonFieldNode node, ref ObjectState state, int index)
    {
        string value;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = ReadString(ref reader);
                break;
            case JsonTokenType.Number:
                value = _strings.GetUtf8(reader.ValueSpan);
                break;
            case JsonTokenType.True:
                value = "true";
                break;
            case JsonTokenType.False:
                value = "false";
                break;
            case JsonTokenType.Null:
                return null;
            default:
                var found = reader.TokenType;
                reader.Skip();
                return new DecodeError(RejectReason.WrongType, $"{Where(index)}tag '{node.Label}' at '{node.Path}' is {Describe(found)}, expected a string");
        }

        state.Tags ??= ArrayPool<Tag>.Shared.Rent(_map.Root.Children.Length + 8);
        if (state.TagCount == state.Tags.Length)
        {
            var bigger = ArrayPool<Tag>.Shared.Rent(state.Tags.Length * 2);
            state.Tags.AsSpan().CopyTo(bigger);
            ArrayPool<Tag>.Shared.Return(state.Tags, clearArray: true);
            state.Tags = bigger;
        }

        state.Tags[state.TagCount++] = new Tag(node.Label!, value);
        return null;
    }

    private DecodeError? ReadTimestamp(ref Utf8JsonReader reader, JsonFieldNode node, ref ObjectState state, int index)
    {
        long nanos;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number or JsonTokenType.String when state.HasTimestamp:
                return new DecodeError(RejectReason.MalformedPayload, $"{Where(index)}the object has the timestamp key '{node.Path}' twice");
            case JsonTokenType.Number:
                var ok = reader.TryGetInt64(out var integral)
                    ? EpochTimestamp.TryToNanos(integral, _unit, out nanos)
                    : EpochTimestamp.TryToNanos(reader.TryGetDouble(out var fractional) ? fractional : double.NaN, _unit, out nanos);
                if (!ok)
                {
                    return new DecodeError(RejectReason.InvalidTimestamp, $"{Where(index)}timestamp '{node.Path}' is outside the representable range");
                }

                break;
            case JsonTokenType.String:
                if (!TryParseTimestampString(ref reader, out nanos))
                {
                    return new DecodeError(RejectReason.InvalidTimestamp, $"{Where(index)}timestamp '{node.Path}' ('{reader.GetString()}') is neither epoch digits nor an ISO-8601 date-time");
                }

                break;
            default:
                var found = reader.TokenType;
                reader.Skip();
                return new DecodeError(RejectReason.InvalidTimestamp, $"{Where(index)}timestamp '{node.Path}' is {Describe(found)}, expected a number or a string");
        }

        state.TimestampNs = nanos;
        state.HasTimestamp = true;
        return null;
    }

    private bool TryParseTimestampString(ref Utf8JsonReader reader, out long nanos)
    {
        nanos = 0;
        var span = reader.ValueSpan;
        if (!reader.ValueIsEscaped && span.Length > 0 && IsEpochDigits(span))
        {
            return long.TryParse(span, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var epoch)
                && EpochTimestamp.TryToNanos(epoch, _unit, out nanos);
        }

        if (!reader.TryGetDateTime(out var dateTime))
        {
            return false;
        }

        long utcTicks;
        if (dateTime.Kind == DateTimeKind.Unspecified)
        {
            utcTicks = dateTime.Ticks; // no offset in the text: UTC
        }
        else if (reader.TryGetDateTimeOffset(out var withOffset))
        {
            utcTicks = withOffset.UtcTicks;
        }
        else
        {
            return false;
        }

        nanos = (utcTicks - DateTime.UnixEpoch.Ticks) * UnixTime.NanosPerTick;
        return true;
    }

    private static bool IsEpochDigits(ReadOnlySpan<byte> span)
    {
        var digits = span[0] == (byte)'-' ? span[1..] : span;
        return digits.Length > 0 && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9');
    }

    private string ReadString(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return _strings.GetUtf8(reader.ValueSpan);
        }

        if (reader.ValueSpan.Length > StackBuffer)
        {
            return _strings.Get(reader.GetString());
        }

        Span<byte> buffer = stackalloc byte[StackBuffer];
        var length = reader.CopyString(buffer);
        return _strings.GetUtf8(buffer[..length]);
    }

    private TagSet BuildTags(ref ObjectState state, TopicMatch? topicMatch)
    {
        var topicTags = topicMatch?.Tags ?? TagSet.Empty;
        if (state.TagCount == 0)
        {
            return topicTags;
        }

        var payloadTags = state.Tags.AsSpan(0, state.TagCount);

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

    private static string Where(int index) => index < 0 ? string.Empty : $"element {index}: ";

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private struct ObjectState
    {
        public string? DeviceId;
        public long TimestampNs;
        public bool HasTimestamp;
        public Tag[]? Tags;
        public int TagCount;
    }
}
