using System.Globalization;
using System.Text;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Streams.Tests.Decoding;

/// <summary>A test decoder: lines of <c>device,metric,seconds,value</c>; "boom" throws.</summary>
internal sealed class CsvTestDecoder : IReadingDecoder
{
    public DecodeError? Decode(ReadOnlySpan<byte> payload, in MessageContext context, List<Reading> output)
    {
        var text = Encoding.UTF8.GetString(payload);
        if (text == "boom")
        {
            throw new InvalidOperationException("codec bug");
        }

        var decoded = new List<Reading>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(',');
            if (parts.Length != 4 || !double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return new DecodeError(RejectReason.MalformedPayload, $"bad line '{line}'");
            }

            decoded.Add(new Reading(parts[0], parts[1], long.Parse(parts[2], CultureInfo.InvariantCulture) * UnixTime.NanosPerSecond, value));
        }

        output.AddRange(decoded);
        return null;
    }
}
