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
    private readonly TopicTemplate? _topic;
    private readonly TimestampUnit _precision;
    private readonly bool _booleans;
    private readonly bool _rejectNonNumeric;
    private readonly int _maxMetricsPerLine;
    private readonly string? _deviceIdTag;
    private readonly LineProtocolNames _names;
    private readonly LineProtocolSeriesResolver _series;
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
        _precision = options.Precision;
        _booleans = options.BooleansAsNumbers;
        _rejectNonNumeric = options.NonNumericFields == NonNumericFieldHandling.Reject;
        _maxMetricsPerLine = options.MaxMetricsPerLine;
        _deviceIdTag = options.DeviceIdTag;
        _names = new LineProtocolNames(
            new StringPool(options.StringPoolCapacity),
            options.MetricNaming == LineProtocolMetricNaming.MeasurementAndField ? Encoding.UTF8.GetBytes(options.MetricSeparator) : null);
        _series = new LineProtocolSeriesResolver(_names, options.DeviceIdTag, options.Precedence, options.StringPoolCapacity);
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
        var position = LineProtocolScanner.ScanTo(line, 0, (byte)',', (byte)' ', (byte)' ');
        if (position < line.Length && line[position] == (byte)',')
        {
            position = LineProtocolScanner.ScanTo(line, position + 1, (byte)' ', (byte)' ', (byte)' ');
        }

        position = LineProtocolScanner.SkipSpaces(line, position);
        while (true)
        {
            var keyEnd = LineProtocolScanner.ScanTo(line, position, (byte)'=', (byte)',', (byte)' ');
            if (keyEnd >= line.Length - 1 || line[keyEnd] != (byte)'=')
            {
                return false;
            }

            position = keyEnd + 1;
            if (line[position] == (byte)'"')
            {
                var close = LineProtocolScanner.FindClosingQuote(line, position + 1);
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

        position = LineProtocolScanner.SkipSpaces(line, position);
        var length = line[position..].TrimEnd(" \t"u8).Length;
        timestamp = position..(position + length);
        return length > 0;
    }

    private DecodeError? DecodeLine(ReadOnlySpan<byte> line, in MessageContext context, TopicMatch? topicMatch, List<Reading> output, ref int skipped)
    {
        // Measurement: up to the first unescaped comma or space.
        var measurementEnd = LineProtocolScanner.ScanTo(line, 0, (byte)',', (byte)' ', (byte)' ');
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
            var tagsEnd = LineProtocolScanner.ScanTo(line, position + 1, (byte)' ', (byte)' ', (byte)' ');
            tagSection = line[(position + 1)..tagsEnd];
            position = tagsEnd;
            if (tagSection.IsEmpty)
            {
                return Malformed("empty tag after the measurement");
            }
        }

        var seriesError = _series.Resolve(tagSection, context, topicMatch, out var series);
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

        position = LineProtocolScanner.SkipSpaces(line, position);
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
        position = LineProtocolScanner.SkipSpaces(line, position);

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
            var keyEnd = LineProtocolScanner.ScanTo(line, position, (byte)'=', (byte)',', (byte)' ');
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
                var close = LineProtocolScanner.FindClosingQuote(line, position + 1);
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
                var kind = LineProtocolValueParser.Parse(text, out value);
                switch (kind)
                {
                    case LineProtocolValueKind.Number:
                        AddReading(measurement, key, value, series, output);
                        break;
                    case LineProtocolValueKind.Boolean when _booleans:
                        AddReading(measurement, key, value, series, output);
                        break;
                    case LineProtocolValueKind.Boolean:
                        var nonNumeric = NonNumeric(key, "a boolean", ref skipped);
                        if (nonNumeric is not null)
                        {
                            return nonNumeric;
                        }

                        break;
                    case LineProtocolValueKind.NotFinite:
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
        output.Add(new Reading(series.DeviceId!, _names.MetricName(measurement, fieldKey), 0, value, series.Tags));
    }

    private static DecodeError Malformed(string detail) => new(RejectReason.MalformedPayload, detail);
}
