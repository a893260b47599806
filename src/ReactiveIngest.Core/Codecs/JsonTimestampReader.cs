using System.Text.Json;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Converts a JSON timestamp token to Unix nanoseconds for <see cref="JsonReadingDecoder"/>: a number is an
/// epoch value in the configured unit; a string is epoch digits in that unit or an ISO-8601 date-time (UTC when
/// it has no offset).
/// </summary>
internal static class JsonTimestampReader
{
    /// <summary>The current number token as an epoch value in <paramref name="unit"/>; false when it is out of range.</summary>
    public static bool TryReadNumber(ref Utf8JsonReader reader, TimestampUnit unit, out long nanos) =>
        reader.TryGetInt64(out var integral)
            ? EpochTimestamp.TryToNanos(integral, unit, out nanos)
            : EpochTimestamp.TryToNanos(reader.TryGetDouble(out var fractional) ? fractional : double.NaN, unit, out nanos);

    /// <summary>The current string token as epoch digits in <paramref name="unit"/> or an ISO-8601 date-time.</summary>
    public static bool TryReadString(ref Utf8JsonReader reader, TimestampUnit unit, out long nanos)
    {
        nanos = 0;
        var span = reader.ValueSpan;
        if (!reader.ValueIsEscaped && span.Length > 0 && IsEpochDigits(span))
        {
            return long.TryParse(span, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var epoch)
                && EpochTimestamp.TryToNanos(epoch, unit, out nanos);
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
}
