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

    private readonly JsonFieldMap _map;
    private readonly TopicTemplate? _topic;
    private readonly IdentityPrecedence _precedence;
    private readonly TimestampUnit _unit;
    private readonly JsonReaderOptions _readerOptions;
    private readonly StringPool _strings;
    private readonly JsonMetricReader _metrics;
    private readonly JsonTagSetBuilder _tagSets;
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
        _readerOptions = new JsonReaderOptions { MaxDepth = options.MaxDepth, CommentHandling = JsonCommentHandling.Disallow };
        _strings = new StringPool(options.StringPoolCapacity);
        _metrics = new JsonMetricReader(_strings, options.BooleansAsNumbers);
        _tagSets = new JsonTagSetBuilder(options.Precedence);
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
                    $"{JsonErrorText.Where(index)}no device id at '{_deviceIdPath}'{(_topic is null ? string.Empty : $" nor in the topic '{context.Topic}'")}");
            }

            if (output.Count == first)
            {
                return new DecodeError(RejectReason.NoMetrics, $"{JsonErrorText.Where(index)}the object has no metric values");
            }

            if (output.Count - first > _maxMetrics)
            {
                return new DecodeError(RejectReason.TooManyMetrics, $"{JsonErrorText.Where(index)}the object has {output.Count - first} metric values; the limit is {_maxMetrics} (MaxMetricsPerMessage)");
            }

            if (DuplicateReadings.FindMetric(CollectionsMarshal.AsSpan(output)[first..]) is { } duplicate)
            {
                return new DecodeError(RejectReason.MalformedPayload, $"{JsonErrorText.Where(index)}the object has the key '{duplicate}' twice");
            }

            var timestamp = state.HasTimestamp ? state.TimestampNs : context.ReceivedAtNs;
            var tags = _tagSets.Build(state.Tags.AsSpan(0, state.TagCount), topicMatch);
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
                    ? _metrics.ReadImplicit(ref reader, output, index)
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
                JsonFieldRole.Metric => _metrics.Read(ref reader, child.Label!, child.Path, output, index),
                JsonFieldRole.MetricsObject => _metrics.ReadObject(ref reader, child, output, index),
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
                return new DecodeError(RejectReason.WrongType, $"{JsonErrorText.Where(index)}'{node.Path}' is {JsonErrorText.Describe(found)}, expected an object");
        }
    }

    private DecodeError? ReadDeviceId(ref Utf8JsonReader reader, JsonFieldNode node, ref ObjectState state, int index)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String or JsonTokenType.Number when state.DeviceId is not null:
                return new DecodeError(RejectReason.MalformedPayload, $"{JsonErrorText.Where(index)}the object has the device id key '{node.Path}' twice");
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
                return new DecodeError(RejectReason.WrongType, $"{JsonErrorText.Where(index)}device id '{node.Path}' is {JsonErrorText.Describe(found)}, expected a string");
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
                return new DecodeError(RejectReason.WrongType, $"{JsonErrorText.Where(index)}tag '{node.Label}' at '{node.Path}' is {JsonErrorText.Describe(found)}, expected a string");
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
                return new DecodeError(RejectReason.MalformedPayload, $"{JsonErrorText.Where(index)}the object has the timestamp key '{node.Path}' twice");
            case JsonTokenType.Number:
                if (!JsonTimestampReader.TryReadNumber(ref reader, _unit, out nanos))
                {
                    return new DecodeError(RejectReason.InvalidTimestamp, $"{JsonErrorText.Where(index)}timestamp '{node.Path}' is outside the representable range");
                }

                break;
            case JsonTokenType.String:
                if (!JsonTimestampReader.TryReadString(ref reader, _unit, out nanos))
                {
                    return new DecodeError(RejectReason.InvalidTimestamp, $"{JsonErrorText.Where(index)}timestamp '{node.Path}' ('{reader.GetString()}') is neither epoch digits nor an ISO-8601 date-time");
                }

                break;
            default:
                var found = reader.TokenType;
                reader.Skip();
                return new DecodeError(RejectReason.InvalidTimestamp, $"{JsonErrorText.Where(index)}timestamp '{node.Path}' is {JsonErrorText.Describe(found)}, expected a number or a string");
        }

        state.TimestampNs = nanos;
        state.HasTimestamp = true;
        return null;
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

    private struct ObjectState
    {
        public string? DeviceId;
        public long TimestampNs;
        public bool HasTimestamp;
        public Tag[]? Tags;
        public int TagCount;
    }
}
