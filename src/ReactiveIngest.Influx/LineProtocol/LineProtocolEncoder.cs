using System.Buffers;
using System.Globalization;
using System.Text;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>
/// Encodes <see cref="LinePoint"/>s as InfluxDB line protocol, UTF-8, straight into an
/// <see cref="IBufferWriter{T}"/>, one line per point ending in <c>\n</c>.
/// </summary>
/// <remarks>
/// <para>Escaping follows the InfluxDB line-protocol reference: in measurements a backslash precedes
/// commas and spaces; in tag keys, tag values and field keys it precedes commas, equals signs and
/// spaces; in string field values it precedes double quotes and backslashes. Numbers use the invariant
/// culture; floats the shortest form that round-trips (<c>"R"</c>); integers end in <c>i</c>,
/// unsigned integers in <c>u</c>.</para>
/// <para>What cannot be written faithfully is refused before a byte is written (see <see cref="Validate"/>),
/// so the caller dead-letters it; nothing is replaced or silently altered:</para>
/// <list type="bullet">
/// <item>an empty measurement, tag key, tag value or field key, or a point without fields;</item>
/// <item>a line feed or carriage return in an identifier (line protocol has no escape for them; in string
/// field values they are written as they are, inside the quotes, which InfluxDB accepts);</item>
/// <item>a backslash in a measurement or field key (InfluxDB 1.x unescapes them differently from tag
/// values, so the name read back would differ from the one written);</item>
/// <item>a tag key or tag value ending in a backslash (it would escape the delimiter after it);
/// backslashes elsewhere in tags are literal, as InfluxDB 1.x reads them;</item>
/// <item>a measurement starting with <c>#</c> (InfluxDB would skip the line as a comment);</item>
/// <item>unpaired UTF-16 surrogates (not encodable as UTF-8 without replacing them);</item>
/// <item>NaN and ±Infinity float fields.</item>
/// </list>
/// </remarks>
public static class LineProtocolEncoder
{
    private static readonly SearchValues<char> MeasurementSpecials = SearchValues.Create(", ");
    private static readonly SearchValues<char> KeySpecials = SearchValues.Create(",= ");
    private static readonly SearchValues<char> StringSpecials = SearchValues.Create("\"\\");
    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n");
    private static readonly SearchValues<char> LineBreaksOrBackslash = SearchValues.Create("\r\n\\");

    /// <summary>
    /// Returns why <paramref name="point"/> cannot be written, or null when it can.
    /// </summary>
    public static PointRejection? Validate(LinePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var measurement = point.Measurement;
        if (measurement.Length == 0)
        {
            return new PointRejection(RejectReason.EmptyIdentifier, "The measurement is empty.");
        }

        if (measurement[0] == '#')
        {
            return new PointRejection(RejectReason.InvalidCharacters, $"The measurement '{measurement}' starts with '#', which line protocol reads as a comment.");
        }

        if (measurement.AsSpan().ContainsAny(LineBreaksOrBackslash))
        {
            return new PointRejection(RejectReason.InvalidCharacters, $"The measurement '{Printable(measurement)}' contains a line break or backslash.");
        }

        if (HasUnpairedSurrogate(measurement))
        {
            return new PointRejection(RejectReason.InvalidCharacters, "The measurement contains an unpaired UTF-16 surrogate.");
        }

        foreach (var tag in point.Tags.AsSpan())
        {
            if (CheckTagPart(tag.Key, "tag key", tag.Key) is { } keyProblem)
            {
                return keyProblem;
            }

            if (CheckTagPart(tag.Value, "value of tag", tag.Key) is { } valueProblem)
            {
                return valueProblem;
            }
        }

        var fields = point.FieldSpan;
        if (fields.Length == 0)
        {
            return new PointRejection(RejectReason.NoMetrics, $"The point of '{measurement}' has no field.");
        }

        foreach (var field in fields)
        {
            if (field.Key.Length == 0)
            {
                return new PointRejection(RejectReason.EmptyIdentifier, "A field key is empty.");
            }

            if (field.Key.AsSpan().ContainsAny(LineBreaksOrBackslash))
            {
                return new PointRejection(RejectReason.InvalidCharacters, $"The field key '{Printable(field.Key)}' contains a line break or backslash.");
            }

            if (HasUnpairedSurrogate(field.Key))
            {
                return new PointRejection(RejectReason.InvalidCharacters, "A field key contains an unpaired UTF-16 surrogate.");
            }

            switch (field.Value.Kind)
            {
                case FieldKind.Float when !double.IsFinite(field.Value.AsFloat()):
                    return new PointRejection(RejectReason.NotFinite, $"The field '{field.Key}' is {field.Value.AsFloat().ToString(CultureInfo.InvariantCulture)}.");
                case FieldKind.String when HasUnpairedSurrogate(field.Value.AsString()):
                    return new PointRejection(RejectReason.InvalidCharacters, $"The string field '{field.Key}' contains an unpaired UTF-16 surrogate.");
                default:
                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes <paramref name="point"/> and a line feed when it is valid; otherwise writes nothing and
    /// returns the rejection.
    /// </summary>
    /// <returns>True when the line was written.</returns>
    public static bool TryWrite(IBufferWriter<byte> output, LinePoint point, WritePrecision precision, out PointRejection? rejection)
    {
        ArgumentNullException.ThrowIfNull(output);
        rejection = Validate(point);
        if (rejection is not null)
        {
            return false;
        }

        WriteValidated(output, point, precision);
        return true;
    }

    /// <summary>Writes <paramref name="point"/> and a line feed.</summary>
    /// <exception cref="ArgumentException">The point cannot be written (see <see cref="Validate"/>).</exception>
    public static void Write(IBufferWriter<byte> output, LinePoint point, WritePrecision precision = WritePrecision.Nanoseconds)
    {
        if (!TryWrite(output, point, precision, out var rejection))
        {
            throw new ArgumentException($"{rejection!.Reason}: {rejection.Detail}", nameof(point));
        }
    }

    /// <summary>The line of <paramref name="point"/> as a string, without the line feed (for logs and tests).</summary>
    public static string ToLine(LinePoint point, WritePrecision precision = WritePrecision.Nanoseconds)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, point, precision);
        return Encoding.UTF8.GetString(buffer.WrittenSpan[..^1]);
    }

    private static void WriteValidated(IBufferWriter<byte> output, LinePoint point, WritePrecision precision)
    {
        WriteEscaped(output, point.Measurement, MeasurementSpecials);
        foreach (var tag in point.Tags.AsSpan())
        {
            WriteByte(output, (byte)',');
            WriteEscaped(output, tag.Key, KeySpecials);
            WriteByte(output, (byte)'=');
            WriteEscaped(output, tag.Value, KeySpecials);
        }

        var separator = (byte)' ';
        foreach (var field in point.FieldSpan)
        {
            WriteByte(output, separator);
            separator = (byte)',';
            WriteEscaped(output, field.Key, KeySpecials);
            WriteByte(output, (byte)'=');
            WriteFieldValue(output, field.Value);
        }

        if (point.TimestampNs is { } ns)
        {
            var span = output.GetSpan(21);
            span[0] = (byte)' ';
            precision.FromNanos(ns).TryFormat(span[1..], out var written, default, CultureInfo.InvariantCulture);
            output.Advance(written + 1);
        }

        WriteByte(output, (byte)'\n');
    }

    private static void WriteFieldValue(IBufferWriter<byte> output, FieldValue value)
    {
        Span<byte> span;
        int written;
        switch (value.Kind)
        {
            case FieldKind.Float:
                span = output.GetSpan(32);
                if (!TryFormatShortDecimal(value.AsFloat(), span, out written))
                {
                    value.AsFloat().TryFormat(span, out written, "R", CultureInfo.InvariantCulture);
                }

                output.Advance(written);
                break;
            case FieldKind.Integer:
                span = output.GetSpan(21);
                value.AsInteger().TryFormat(span, out written, default, CultureInfo.InvariantCulture);
                span[written] = (byte)'i';
                output.Advance(written + 1);
                break;
            case FieldKind.UInteger:
                span = output.GetSpan(21);
                value.AsUInteger().TryFormat(span, out written, default, CultureInfo.InvariantCulture);
                span[written] = (byte)'u';
                output.Advance(written + 1);
                break;
            case FieldKind.Boolean:
                var text = value.AsBoolean() ? "true"u8 : "false"u8;
                text.CopyTo(output.GetSpan(text.Length));
                output.Advance(text.Length);
                break;
            default:
                WriteByte(output, (byte)'"');
                WriteEscaped(output, value.AsString(), StringSpecials);
                WriteByte(output, (byte)'"');
                break;
        }
    }

    /// <summary>
    /// Writes <paramref name="value"/> exactly as <c>"R"</c> would (the shortest text that reads back as the same double)
    /// when that text is a plain decimal of at most <see cref="ShortDecimalDigits"/> fractional digits and under 10^15,
    /// which is what sensor readings usually are; returns false, writing nothing, for anything else.
    /// </summary>
    /// <remarks>
    /// With j fractional digits, the candidates are the integers m with m / 10^j reading back as the value; the shortest
    /// text has the fewest significant digits, that is the smallest j that has a candidate. At each j the only
    /// candidate worth testing is the nearest integer to value × 10^j, but its neighbours are tested too: when one of
    /// them reads back as the value (two candidates at one j, or the nearest missing while a neighbour fits), the general
    /// formatter decides. m / 10^j is an exact quotient of two exactly representable numbers (|m| &lt; 10^15 &lt; 2^53,
    /// 10^j ≤ 10^6), so the division rounds the same way as parsing the decimal text does.
    /// </remarks>
    internal static bool TryFormatShortDecimal(double value, Span<byte> destination, out int written)
    {
        written = 0;
        var magnitude = Math.Abs(value);
        if (!(magnitude >= 1e-3 && magnitude < 1e15))
        {
            return false;
        }

        var scale = 1.0;
        for (var digits = 0; digits <= ShortDecimalDigits; digits++, scale *= 10)
        {
            var m = Math.Round(value * scale);
            if (Math.Abs(m) >= 1e15)
            {
                return false;
            }

            var fits = m / scale == value;
            if ((m - 1) / scale == value || (m + 1) / scale == value)
            {
                return false;
            }

            if (fits)
            {
                return TryWriteDecimal((long)m, digits, destination, out written);
            }
        }

        return false;
    }

    private const int ShortDecimalDigits = 6;

    /// <summary>Writes m / 10^digits as a plain decimal (<c>-0.05</c>, <c>12.5</c>, <c>42</c>).</summary>
    private static bool TryWriteDecimal(long m, int digits, Span<byte> destination, out int written)
    {
        written = 0;
        var pos = 0;
        if (m < 0)
        {
            destination[pos++] = (byte)'-';
            m = -m;
        }

        Span<byte> text = stackalloc byte[20];
        if (!m.TryFormat(text, out var length, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        var integerDigits = length - digits;
        if (integerDigits <= 0)
        {
            destination[pos++] = (byte)'0';
            destination[pos++] = (byte)'.';
            destination.Slice(pos, -integerDigits).Fill((byte)'0');
            pos -= integerDigits;
            text[..length].CopyTo(destination[pos..]);
            pos += length;
        }
        else
        {
            text[..integerDigits].CopyTo(destination[pos..]);
            pos += integerDigits;
            if (digits > 0)
            {
                destination[pos++] = (byte)'.';
                text[integerDigits..length].CopyTo(destination[pos..]);
                pos += digits;
            }
        }

        written = pos;
        return true;
    }

    private static PointRejection? CheckTagPart(string text, string what, string key)
    {
        if (text.Length == 0)
        {
            return new PointRejection(RejectReason.EmptyIdentifier, $"The {what} '{Printable(key)}' is empty.");
        }

        if (text.AsSpan().ContainsAny(LineBreaks))
        {
            return new PointRejection(RejectReason.InvalidCharacters, $"The {what} '{Printable(key)}' contains a line break.");
        }

        if (text[^1] == '\\')
        {
            return new PointRejection(RejectReason.InvalidCharacters, $"The {what} '{Printable(key)}' ends with a backslash, which would escape the delimiter after it.");
        }

        return HasUnpairedSurrogate(text)
            ? new PointRejection(RejectReason.InvalidCharacters, $"The {what} '{Printable(key)}' contains an unpaired UTF-16 surrogate.")
            : null;
    }

    private static void WriteEscaped(IBufferWriter<byte> output, string text, SearchValues<char> specials)
    {
        var rest = text.AsSpan();
        while (true)
        {
            var index = rest.IndexOfAny(specials);
            if (index < 0)
            {
                WriteUtf8(output, rest);
                return;
            }

            WriteUtf8(output, rest[..index]);
            var span = output.GetSpan(2);
            span[0] = (byte)'\\';
            span[1] = (byte)rest[index];
            output.Advance(2);
            rest = rest[(index + 1)..];
        }
    }

    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var max = text.Length <= 1024 ? text.Length * 3 : Encoding.UTF8.GetByteCount(text);
        var written = Encoding.UTF8.GetBytes(text, output.GetSpan(max));
        output.Advance(written);
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static bool HasUnpairedSurrogate(string text)
    {
        var span = text.AsSpan();
        var index = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (index < 0)
        {
            return false;
        }

        for (var i = index; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }

    private static string Printable(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}
