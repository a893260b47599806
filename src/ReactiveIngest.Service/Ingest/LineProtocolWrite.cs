using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Service.Ingest;

/// <summary>
/// A line-protocol write split line by line the way InfluxDB takes it: the lines that decode are kept, with their
/// timestamps converted to nanoseconds when the write has another precision (so the pipeline's decoder, which reads
/// nanoseconds, sees the same instants); the others are listed with their reason and bytes.
/// </summary>
public sealed class LineProtocolWrite
{
    private const string SingleLinePrefix = "line 1: ";

    private LineProtocolWrite(ReadOnlyMemory<byte> accepted, int acceptedLines, int readings, IReadOnlyList<RejectedLine> rejected)
    {
        Accepted = accepted;
        AcceptedLines = acceptedLines;
        Readings = readings;
        Rejected = rejected;
    }

    /// <summary>The accepted lines as nanosecond line protocol, newline-separated; empty when none was accepted.</summary>
    public ReadOnlyMemory<byte> Accepted { get; }

    /// <summary>How many lines were accepted.</summary>
    public int AcceptedLines { get; }

    /// <summary>Readings in the accepted lines.</summary>
    public int Readings { get; }

    /// <summary>The lines that were rejected, in order.</summary>
    public IReadOnlyList<RejectedLine> Rejected { get; }

    /// <summary>
    /// Splits <paramref name="body"/>. Blank lines and <c>#</c> comments are skipped as the decoder does. A line is
    /// rejected when its timestamp does not fit in nanoseconds at <paramref name="precision"/>, or when
    /// <paramref name="decoder"/> rejects it on its own (so a line whose fields are all strings is rejected as
    /// <c>NoMetrics</c>: the pipeline keeps numbers only).
    /// </summary>
    public static LineProtocolWrite Split(ReadOnlyMemory<byte> body, WritePrecision precision, IReadingDecoder decoder, in MessageContext context)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        var span = body.Span;
        var accepted = new ArrayBufferWriter<byte>(Math.Max(1, body.Length + 64));
        var rejected = new List<RejectedLine>();
        var readings = new List<Reading>();
        var rewritten = new ArrayBufferWriter<byte>(256);
        var acceptedLines = 0;
        var readingCount = 0;
        var position = 0;
        var number = 0;
        while (position < span.Length)
        {
            number++;
            var end = span[position..].IndexOf((byte)'\n');
            var lineEnd = end < 0 ? span.Length : position + end;
            var start = position;
            position = lineEnd + 1;
            var line = span[start..lineEnd];
            var length = line.Length > 0 && line[^1] == (byte)'\r' ? line.Length - 1 : line.Length;
            var trimmed = line[..length].TrimStart(" \t"u8);
            if (trimmed.IsEmpty || trimmed[0] == (byte)'#')
            {
                continue;
            }

            var original = body.Slice(start + (length - trimmed.Length), trimmed.Length);
            var candidate = trimmed;
            if (!precision.IsNanoseconds && LineProtocolDecoder.TryFindTimestamp(trimmed, out var range)
                && long.TryParse(trimmed[range], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var raw))
            {
                if (!precision.TryToNanoseconds(raw, out var nanoseconds))
                {
                    rejected.Add(new RejectedLine(number, original, new DecodeError(
                        RejectReason.InvalidTimestamp, $"timestamp {raw} (precision {precision.Name}) is outside the representable range")));
                    continue;
                }

                rewritten.ResetWrittenCount();
                rewritten.Write(trimmed[..range.Start.Value]);
                Utf8Formatter.TryFormat(nanoseconds, rewritten.GetSpan(20), out var written);
                rewritten.Advance(written);
                rewritten.Write(trimmed[range.End.Value..]);
                candidate = rewritten.WrittenSpan;
            }

            readings.Clear();
            if (decoder.Decode(candidate, context, readings) is { } error)
            {
                // The decoder saw a one-line body and numbers it "line 1"; the line's number in the request is kept instead.
                var detail = error.Detail.StartsWith(SingleLinePrefix, StringComparison.Ordinal) ? error.Detail[SingleLinePrefix.Length..] : error.Detail;
                rejected.Add(new RejectedLine(number, original, error with { Detail = detail }));
                continue;
            }

            accepted.Write(candidate);
            accepted.Write("\n"u8);
            acceptedLines++;
            readingCount += readings.Count;
        }

        if (precision.IsNanoseconds && rejected.Count == 0)
        {
            // Nothing was rewritten or left out: queue the request as it came.
            return new LineProtocolWrite(acceptedLines == 0 ? ReadOnlyMemory<byte>.Empty : body, acceptedLines, readingCount, rejected);
        }

        return new LineProtocolWrite(accepted.WrittenMemory, acceptedLines, readingCount, rejected);
    }
}
