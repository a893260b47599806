using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ReactiveIngest.Core.Configuration;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Decodes InfluxDB line protocol: <c>measurement[,tag=v…] field=1,field2=2i[ timestamp]</c>, one point per
/// line, any number of lines; blank lines and lines starting with <c>#</c> are ignored, a trailing <c>\r</c>
/// is tolerated. Every numeric field becomes a reading (see <see cref="LineProtocolOptions"/> for naming,
/// the device id, precision and string fields).
/// <para>
/// Escaping follows the InfluxDB reference: in tag keys, tag values and field keys a backslash escapes a
/// comma, an equals sign, a space or a backslash; in the measurement it escapes a comma, a space or a
/// backslash; in string field values it escapes a double quote or a backslash. A backslash before any other
/// character is a literal backslash. Field values: floats (<c>1</c>, <c>-1.5e3</c>), integers (<c>1i</c>),
/// unsigned integers (<c>1u</c>), booleans (<c>t</c>, <c>true</c>, <c>F</c>, <c>FALSE</c>, …) and strings
/// (<c>"text"</c>). A missing timestamp means <see cref="MessageContext.ReceivedAtNs"/>.
/// </para>
/// <para>
/// The whole message is accepted or rejected; the error names the line. Reasons: <c>MalformedPayload</c>
/// (syntax, out-of-range integers), <c>NotFinite</c> (a float that overflows, NaN, Infinity),
/// <c>InvalidTimestamp</c>, <c>MissingDeviceId</c>, <c>NoMetrics</c>, <c>TopicMismatch</c>, and
/// <c>WrongType</c> for string fields when they are rejected.
/// </para>
/// <para>
/// Thread-safe. Tag sections are cached (bounded) so a line of an already seen series parses its tags once.
/// </para>
/// </summary>
public sealed class LineProtocolDecoder : IReadingDecoder
{
    private const int StackBuffer = 512;

    private readonly TopicTemplate? _topic;
    private readonly IdentityPrecedence _precedence;
    private readonly TimestampUnit _precision;
    private readonly bool _booleans;
    private readonly bool _rejectNonNumeric;
    private readonly int _maxMetricsPerLine;
    private readonly byte[]? _metricPrefixSeparator;
    private readonly string? _deviceIdTag;
    private readonly StringPool _strings;
    private readonly BoundedCache<LineProtocolSeries> _series;
    private long _skippedFields;

    /// <summary>Creates a decoder; throws <see cref="InvalidOptionsException"/> listing every invalid setting.</summary>
    public LineProtocolDecoder(LineProtocolOptions? options = null)
    {
        options ??= new LineProtocolOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOptionsException(nameof(LineProtocolOptions), errors);
        }

        _topic = options.TopicTemplate is null ? null : TopicTemplate.Parse(options.TopicTemplate);
        _precedence = options.Precedence;
        _precision = options.Precision;
        _booleans = options.BooleansAsNumbers;
        _rejectNonNumeric = options.NonNumericFields == NonNumericFieldHandling.Reject;
        _maxMetricsPerLine = options.MaxMetricsPerLine;
        _metricPrefixSeparator = options.MetricNaming == LineProtocolMetricNaming.MeasurementAndField
            ? Encoding.UTF8.GetBytes(options.MetricSeparator)
            : null;
        _deviceIdTag = options.DeviceIdTag;
        _strings = new StringPool(options.StringPoolCapacity);
        _series = new BoundedCache<LineProtocolSeries>(options.StringPoolCapacity);
    }

    /// <summary>
    /// Fields left out because they were strings (or booleans with <see cref="LineProtocolOptions.BooleansAsNumbers"/>
    /// off) under <see cref="NonNumericFieldHandling.Skip"/>, since this decoder was created.
    /// </summary>
    public long SkippedFields => Interlocked.Read(ref _skippedFields);

    /// <inheritdoc />
    public DecodeError? Decode(ReadOnlySpan<byte> payload, in MessageContext context, List<Reading> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        TopicMatch? topicMatch = null;
        if (_topic is not null && !_topic.TryMatch(context.Topic ?? string.Empty, out topicMatch))
        {
            return new DecodeError(RejectReason.TopicMismatch, $"topic '{context.Topic}' does not match the template '{_topic.Template}'");
        }

        if (Utf8Text.Problem(payload) is { } invalid)
        {
            return new DecodeError(RejectReason.MalformedPayload, invalid);
        }

        var start = output.Count;
        var position = 0;
        var lineNumber = 0;
        var skipped = 0;
        while (position < payload.Length)
        {
            lineNumber++;
            var end = payload[position..].IndexOf((byte)'\n');
            var lineEnd = end < 0 ? payload.Length : position + end;
            var line = payload[position..lineEnd];
            position = lineEnd + 1;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            line = line.TrimStart(" \t"u8);
            if (line.IsEmpty || line[0] == (byte)'#')
            {
                continue;
            }

            var before = output.Count;
            var error = DecodeLine(line, context, topicMatch, output, ref skipped);
            if (error is null && output.Count - before > _maxMetricsPerLine)
            {
                error = new DecodeError(RejectReason.TooManyMetrics, $"the line has {output.Count - before} fields; the limit is {_maxMetricsPerLine} (MaxMetricsPerLine)");
            }

            if (error is not null)
            {
                if (output.Count > start)
                {
                    output.RemoveRange(start, output.Count - start);
                }

                return error.Value with { Detail = $"line {lineNumber}: {error.Value.Detail}" };
            }
        }

        if (skipped > 0)
        {
            Interlocked.Add(ref _skippedFields, skipped);
        }

        if (output.Count == start)
        {
            return new DecodeError(
                RejectReason.NoMetrics,
                skipped > 0 ? $"the payload has only non-numeric fields ({skipped} skipped)" : "the payload has no points");
        }

        return null;
    }

    /// <summary>
    /// Finds the timestamp of one line (without its newline) exactly where <see cref="Decode"/> reads it: the text
    /// after the field section, trailing blanks excluded. False when the line has no timestamp, or is too malformed
    /// to tell (decoding it then says why). Lets a caller rewrite timestamps, e.g. to convert a write's precision.
    /// </summary>
    public static bool TryFindTimestamp(ReadOnlySpan<byte> line, out Range timestamp)
    {
        timestamp = default;
        var position = ScanTo(line, 0, (byte)',', (byte)' ', (byte)' ');
        if (position < line.Length && line[position] == (byte)',')
        {
            position = ScanTo(line, position + 1, (byte)' ', (byte)' ', (byte)' ');
        }

        position = SkipSpaces(line, position);
        while (true)
        {
            var keyEnd = ScanTo(line, position, (byte)'=', (byte)',', (byte)' ');
            if (keyEnd >= line.Length - 1 || line[keyEnd] != (byte)'=')
            {
                return false;
            }

            position = keyEnd + 1;
            if (line[position] == (byte)'"')
            {
                var close = FindClosingQuote(line, position + 1);
                if (close < 0)
                {
                    return false;
                }

                position = close + 1;
            }
            else
            {
                var valueEnd = line[position..].IndexOfAny((byte)',', (byte)' ');
                position = valueEnd < 0 ? line.Length : position + valueEnd;
            }

            if (position >= line.Length || line[position] != (byte)',')
            {
                break;
            }

            position++;
        }

        if (position >= line.Length || line[position] != (byte)' ')
        {
            return false;
        }

        position = SkipSpaces(line, position);
        var length = line[position..].TrimEnd(" \t"u8).Length;
        timestamp = position..(position + length);
        return length > 0;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> line, int position)
    {
        while (position < line.Length && line[position] == (byte)' ')
        {
            position++;
        }

        return position;
    }

    private DecodeError? DecodeLine(ReadOnlySpan<byte> line, in MessageContext context, TopicMatch? topicMatch, List<Reading> output, ref int skipped)
    {
        // Measurement: up to the first unescaped comma or space.
        var measurementEnd = ScanTo(line, 0, (byte)',', (byte)' ', (byte)' ');
        if (measurementEnd == 0)
        {
            return Malformed("the measurement is empty");
        }

        if (measurementEnd >= line.Length)
        {
            return Malformed("the line has no fields");
        }

        var measurement = line[..measurementEnd];
        var position = measurementEnd;

        // Tag section: up to the first unescaped space.
        var tagSection = ReadOnlySpan<byte>.Empty;
        if (line[position] == (byte)',')
        {
            var tagsEnd = ScanTo(line, position + 1, (byte)' ', (byte)' ', (byte)' ');
            tagSection = line[(position + 1)..tagsEnd];
            position = tagsEnd;
            if (tagSection.IsEmpty)
            {
                return Malformed("empty tag after the measurement");
            }
        }

        var seriesError = ResolveSeries(tagSection, context, topicMatch, out var series);
        if (seriesError is not null)
        {
            return seriesError;
        }

        if (series!.DeviceId is null)
        {
            return new DecodeError(
                RejectReason.MissingDeviceId,
                $"no '{_deviceIdTag}' tag{(_topic is null ? string.Empty : $" and no device id in the topic '{context.Topic}'")}");
        }

        position = SkipSpaces(line, position);
        if (position >= line.Length)
        {
            return Malformed("the line has no fields");
        }

        var first = output.Count;
        var fieldError = ReadFields(line, ref position, measurement, series, output, ref skipped);
        if (fieldError is not null)
        {
            return fieldError;
        }

        // Optional timestamp.
        position = SkipSpaces(line, position);

        var timestamp = context.ReceivedAtNs;
        if (position < line.Length)
        {
            var text = line[position..].TrimEnd(" \t"u8);
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var raw))
            {
                return new DecodeError(RejectReason.InvalidTimestamp, $"timestamp '{Encoding.UTF8.GetString(text)}' is not an integer");
            }

            if (!EpochTimestamp.TryToNanos(raw, _precision, out timestamp))
            {
                return new DecodeError(RejectReason.InvalidTimestamp, $"timestamp {raw} ({_precision}) is outside the representable range");
            }
        }

        foreach (ref var reading in CollectionsMarshal.AsSpan(output)[first..])
        {
            reading = reading with { TimestampNs = timestamp };
        }

        return null;
    }

    private DecodeError? ReadFields(ReadOnlySpan<byte> line, ref int position, ReadOnlySpan<byte> measurement, LineProtocolSeries series, List<Reading> output, ref int skipped)
    {
        while (true)
        {
            var keyEnd = ScanTo(line, position, (byte)'=', (byte)',', (byte)' ');
            if (keyEnd >= line.Length || line[keyEnd] != (byte)'=')
            {
                return Malformed($"field '{Encoding.UTF8.GetString(line[position..keyEnd])}' has no '=value'");
            }

            var key = line[position..keyEnd];
            if (key.IsEmpty)
            {
                return Malformed("a field key is empty");
            }

            position = keyEnd + 1;
            if (position >= line.Length)
            {
                return Malformed($"field '{Encoding.UTF8.GetString(key)}' has no value");
            }

            double value;
            if (line[position] == (byte)'"')
            {
                var close = FindClosingQuote(line, position + 1);
                if (close < 0)
                {
                    return Malformed($"string field '{Encoding.UTF8.GetString(key)}' has no closing quote");
                }

                position = close + 1;
                var nonNumeric = NonNumeric(key, "a string", ref skipped);
                if (nonNumeric is not null)
                {
                    return nonNumeric;
                }
            }
            else
            {
                var valueEnd = line[position..].IndexOfAny((byte)',', (byte)' ');
                valueEnd = valueEnd < 0 ? line.Length : position + valueEnd;
                var text = line[position..valueEnd];
                position = valueEnd;
                var kind = ParseValue(text, out value);
                switch (kind)
                {
                    case ValueKind.Number:
                        AddReading(measurement, key, value, series, output);
                        break;
                    case ValueKind.Boolean when _booleans:
                        AddReading(measurement, key, value, series, output);
                        break;
                    case ValueKind.Boolean:
                        var nonNumeric = NonNumeric(key, "a boolean", ref skipped);
                        if (nonNumeric is not null)
                        {
                            return nonNumeric;
                        }

                        break;
                    case ValueKind.NotFinite:
                        return new DecodeError(RejectReason.NotFinite, $"field '{Encoding.UTF8.GetString(key)}' = {Encoding.UTF8.GetString(text)} is not a finite number");
                    default:
                        return Malformed($"field '{Encoding.UTF8.GetString(key)}' has the invalid value '{Encoding.UTF8.GetString(text)}'");
                }
            }

            if (position >= line.Length || line[position] == (byte)' ')
            {
                return null;
            }

            if (line[position] != (byte)',')
            {
                return Malformed($"unexpected '{(char)line[position]}' after field '{Encoding.UTF8.GetString(key)}'");
            }

            position++;
        }
    }

    private DecodeError? NonNumeric(ReadOnlySpan<byte> key, string what, ref int skipped)
    {
        if (_rejectNonNumeric)
        {
            return new DecodeError(RejectReason.WrongType, $"field '{Encoding.UTF8.GetString(key)}' is {what}, expected a number");
        }

        skipped++;
        return null;
    }

    private void AddReading(ReadOnlySpan<byte> measurement, ReadOnlySpan<byte> fieldKey, double value, LineProtocolSeries series, List<Reading> output)
    {
        output.Add(new Reading(series.DeviceId!, MetricName(measurement, fieldKey), 0, value, series.Tags));
    }

    private string MetricName(ReadOnlySpan<byte> measurement, ReadOnlySpan<byte> fieldKey)
    {
        if (_metricPrefixSeparator is null)
        {
            return Identifier(fieldKey, measurement: false);
        }

        var needed = measurement.Length + _metricPrefixSeparator.Length + fieldKey.Length;
        if (needed > StackBuffer)
        {
            return Identifier(measurement, measurement: true) + Encoding.UTF8.GetString(_metricPrefixSeparator) + Identifier(fieldKey, measurement: false);
        }

        Span<byte> buffer = stackalloc byte[StackBuffer];
        var length = Unescape(measurement, buffer, measurement: true);
        _metricPrefixSeparator.CopyTo(buffer[length..]);
        length += _metricPrefixSeparator.Length;
        length += Unescape(fieldKey, buffer[length..], measurement: false);
        return _strings.GetUtf8(buffer[..length]);
    }

    private DecodeError? ResolveSeries(ReadOnlySpan<byte> tagSection, in MessageContext context, TopicMatch? topicMatch, out LineProtocolSeries? series)
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
            var keyEnd = ScanTo(tagSection, position, (byte)'=', (byte)',', (byte)',');
            if (keyEnd >= tagSection.Length || tagSection[keyEnd] != (byte)'=')
            {
                return Malformed($"tag '{Encoding.UTF8.GetString(tagSection[position..keyEnd])}' has no '=value'");
            }

            var valueEnd = ScanTo(tagSection, keyEnd + 1, (byte)',', (byte)',', (byte)',');
            var rawKey = tagSection[position..keyEnd];
            var rawValue = tagSection[(keyEnd + 1)..valueEnd];
            if (rawKey.IsEmpty || rawValue.IsEmpty)
            {
                return Malformed($"tag '{Encoding.UTF8.GetString(tagSection[position..valueEnd])}' has an empty key or value");
            }

            var key = Identifier(rawKey, measurement: false);
            var value = Identifier(rawValue, measurement: false);
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

    private string Identifier(ReadOnlySpan<byte> raw, bool measurement)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return _strings.GetUtf8(raw);
        }

        if (raw.Length <= StackBuffer)
        {
            Span<byte> buffer = stackalloc byte[StackBuffer];
            return _strings.GetUtf8(buffer[..Unescape(raw, buffer, measurement)]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            return _strings.GetUtf8(rented.AsSpan(0, Unescape(raw, rented, measurement)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Copies <paramref name="raw"/> without its escape backslashes; returns the length written.</summary>
    private static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination, bool measurement)
    {
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == (byte)'\\' && i + 1 < raw.Length && IsEscapable(raw[i + 1], measurement))
            {
                b = raw[++i];
            }

            destination[length++] = b;
        }

        return length;
    }

    private static bool IsEscapable(byte b, bool measurement) =>
        b is (byte)',' or (byte)' ' or (byte)'\\' || (b == (byte)'=' && !measurement);

    /// <summary>The index of the first unescaped <paramref name="a"/>, <paramref name="b"/> or <paramref name="c"/> at or after <paramref name="start"/>, or the length.</summary>
    private static int ScanTo(ReadOnlySpan<byte> line, int start, byte a, byte b, byte c)
    {
        for (var i = start; i < line.Length; i++)
        {
            var current = line[i];
            if (current == (byte)'\\')
            {
                i++; // the next byte is escaped (or literal): never a delimiter
                continue;
            }

            if (current == a || current == b || current == c)
            {
                return i;
            }
        }

        return line.Length;
    }

    private static int FindClosingQuote(ReadOnlySpan<byte> line, int start)
    {
        for (var i = start; i < line.Length; i++)
        {
            if (line[i] == (byte)'\\')
            {
                i++;
            }
            else if (line[i] == (byte)'"')
            {
                return i;
            }
        }

        return -1;
    }

    private static ValueKind ParseValue(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return ValueKind.Invalid;
        }

        switch (text[^1])
        {
            case (byte)'i':
                if (long.TryParse(text[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    value = integer;
                    return ValueKind.Number;
                }

                return ValueKind.Invalid;
            case (byte)'u':
                if (ulong.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
                {
                    value = unsigned;
                    return ValueKind.Number;
                }

                return ValueKind.Invalid;
        }

        if (IsBoolean(text, out var flag))
        {
            value = flag ? 1d : 0d;
            return ValueKind.Boolean;
        }

        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            return double.IsFinite(value) ? ValueKind.Number : ValueKind.NotFinite;
        }

        return LooksNonFinite(text) ? ValueKind.NotFinite : ValueKind.Invalid;
    }

    private static bool LooksNonFinite(ReadOnlySpan<byte> text)
    {
        var unsigned = text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        return Ascii.EqualsIgnoreCase(unsigned, "nan"u8) || Ascii.EqualsIgnoreCase(unsigned, "inf"u8) || Ascii.EqualsIgnoreCase(unsigned, "infinity"u8);
    }

    private static bool IsBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        value = text[0] is (byte)'t' or (byte)'T';
        return text.SequenceEqual("t"u8) || text.SequenceEqual("T"u8) || text.SequenceEqual("true"u8) || text.SequenceEqual("True"u8) || text.SequenceEqual("TRUE"u8)
            || text.SequenceEqual("f"u8) || text.SequenceEqual("F"u8) || text.SequenceEqual("false"u8) || text.SequenceEqual("False"u8) || text.SequenceEqual("FALSE"u8);
    }

    private static DecodeError Malformed(string detail) => new(RejectReason.MalformedPayload, detail);

    private enum ValueKind
    {
        Invalid,
        Number,
        Boolean,
        NotFinite,
    }
}
