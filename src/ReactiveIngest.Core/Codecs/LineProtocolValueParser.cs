using System.Globalization;
using System.Text;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Parses an unquoted line protocol field value for <see cref="LineProtocolDecoder"/>: a float, an integer
/// (<c>1i</c>), an unsigned integer (<c>1u</c>) or a boolean.
/// </summary>
internal static class LineProtocolValueParser
{
    /// <summary>Classifies <paramref name="text"/> and gives its numeric value (booleans as 1 or 0).</summary>
    public static LineProtocolValueKind Parse(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return LineProtocolValueKind.Invalid;
        }

        switch (text[^1])
        {
            case (byte)'i':
                if (long.TryParse(text[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    value = integer;
                    return LineProtocolValueKind.Number;
                }

                return LineProtocolValueKind.Invalid;
            case (byte)'u':
                if (ulong.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned))
                {
                    value = unsigned;
                    return LineProtocolValueKind.Number;
                }

                return LineProtocolValueKind.Invalid;
        }

        if (IsBoolean(text, out var flag))
        {
            value = flag ? 1d : 0d;
            return LineProtocolValueKind.Boolean;
        }

        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            return double.IsFinite(value) ? LineProtocolValueKind.Number : LineProtocolValueKind.NotFinite;
        }

        return LooksNonFinite(text) ? LineProtocolValueKind.NotFinite : LineProtocolValueKind.Invalid;
    }

    public static bool LooksNonFinite(ReadOnlySpan<byte> text)
    {
        var unsigned = text[0] is (byte)'-' or (byte)'+' ? text[1..] : text;
        return Ascii.EqualsIgnoreCase(unsigned, "nan"u8) || Ascii.EqualsIgnoreCase(unsigned, "inf"u8) || Ascii.EqualsIgnoreCase(unsigned, "infinity"u8);
    }

    public static bool IsBoolean(ReadOnlySpan<byte> text, out bool value)
    {
        value = text[0] is (byte)'t' or (byte)'T';
        return text.SequenceEqual("t"u8) || text.SequenceEqual("T"u8) || text.SequenceEqual("true"u8) || text.SequenceEqual("True"u8) || text.SequenceEqual("TRUE"u8)
            || text.SequenceEqual("f"u8) || text.SequenceEqual("F"u8) || text.SequenceEqual("false"u8) || text.SequenceEqual("False"u8) || text.SequenceEqual("FALSE"u8);
    }
}
