using System.Globalization;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// The duration forms every <see cref="TimeSpan"/> setting accepts: a number with a unit (<c>500ms</c>, <c>10s</c>,
/// <c>1m</c>, <c>1h</c>, <c>1d</c>, decimals such as <c>1.5h</c>), units combined from largest to smallest
/// (<c>1m30s</c>, <c>1h30m</c>), an optional leading <c>-</c>, and the standard <c>[d.]hh:mm:ss[.fffffff]</c> form.
/// </summary>
public static class Duration
{
    /// <summary>Short examples for messages and the configuration reference.</summary>
    public const string Examples = "10s, 1m, 1h, 00:01:00";

    /// <summary>Every accepted form, for the configuration reference.</summary>
    public const string Forms = "`500ms`, `10s`, `1m30s`, `1h`, `1d` or `[d.]hh:mm:ss`";

    private static readonly (string Suffix, TimeSpan Unit)[] Units =
    [
        ("d", TimeSpan.FromDays(1)),
        ("h", TimeSpan.FromHours(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
    ];

    /// <summary>Reads <paramref name="text"/> in one of the accepted forms; false when it is none of them.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span is "0")
        {
            return true;
        }

        if (span.Contains(':'))
        {
            return TimeSpan.TryParse(span, CultureInfo.InvariantCulture, out value);
        }

        var negative = span[0] == '-';
        if (negative)
        {
            span = span[1..];
        }

        // Ranks of Units in descending size; each part must be smaller than the one before.
        var previousRank = -1;
        var total = TimeSpan.Zero;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            span = span[digits..];
            var rank = Rank(span);
            if (rank < 0 || Size(rank) >= Size(previousRank))
            {
                return false;
            }

            span = span[Units[rank].Suffix.Length..];
            previousRank = rank;
            var ticks = amount * Units[rank].Unit.Ticks;
            if (ticks > TimeSpan.MaxValue.Ticks - total.Ticks)
            {
                return false;
            }

            total += TimeSpan.FromTicks((long)Math.Round(ticks));
        }

        value = negative ? -total : total;
        return true;
    }

    private static int Rank(ReadOnlySpan<char> rest)
    {
        for (var i = 0; i < Units.Length; i++)
        {
            if (rest.StartsWith(Units[i].Suffix, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static long Size(int rank) => rank < 0 ? long.MaxValue : Units[rank].Unit.Ticks;
}
