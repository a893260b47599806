using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>
/// A line-protocol write split line by line the way InfluxDB takes it: the lines that decode are kept, with their
/// timestamps converted to nanoseconds when the write has another precision (so the pipeline's decoder, which reads
/// nanoseconds, sees the same instants); the others are listed with their reason and bytes. A line longer than the
/// message limit stops the split: the write is refused whole (<see cref="Oversized"/>).
/// </summary>
public sealed class LineProtocolWrite
{
    private const string SingleLinePrefix = "line 1: ";

    private readonly int _maxLineBytes;

    private LineProtocolWrite(ReadOnlyMemory<byte> accepted, int acceptedLines, int readings, IReadOnlyList<RejectedLine> rejected, int maxLineBytes, OversizedLine? oversized = null)
    {
        Accepted = accepted;
        AcceptedLines = acceptedLines;
        Readings = readings;
        Rejected = rejected;
        Oversized = oversized;
        _maxLineBytes = maxLineBytes;
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
    /// The first line over the limit, when there is one; then nothing is accepted or rejected (the write is refused
    /// whole with 413, the client keeps the data).
    /// </summary>
    public OversizedLine? Oversized { get; }

    /// <summary>
    /// <see cref="Accepted"/> cut into messages of whole lines, each at most the split's line limit in bytes (a line of
    /// exactly the limit goes without its newline), so that each fits in one journal entry.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> AcceptedMessages() => Messages(Accepted, _maxLineBytes);

    /// <summary>
    /// Cuts newline-separated <paramref name="lines"/> into pieces of whole lines of at most <paramref name="maxBytes"/>
    /// each; a single line (without its newline) longer than that is a piece of its own. Pieces are slices, not copies.
    /// </summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> lines, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var messages = new List<ReadOnlyMemory<byte>>();
        var span = lines.Span;
        var start = 0;
        while (start < span.Length)
        {
            // The longest run of whole lines from start that fits, newlines included.
            var end = start;
            while (end < span.Length)
            {
                var newline = span[end..].IndexOf((byte)'\n');
                var next = newline < 0 ? span.Length : end + newline + 1;
                if (next - start > maxBytes)
                {
                    break;
                }

                end = next;
            }

            if (end > start)
            {
                messages.Add(lines[start..end]);
                start = end;
                continue;
            }

            // The first line does not fit with its newline: it goes alone without it (exactly the limit, or longer).
            var lineLength = span[start..].IndexOf((byte)'\n');
            var lineEnd = lineLength < 0 ? span.Length : start + lineLength;
            messages.Add(lines[start..lineEnd]);
            start = lineLength < 0 ? span.Length : lineEnd + 1;
        }

        return messages;
    }

    /// <summary>
    /// Splits <paramref name="body"/>. Blank lines and <c>#</c> comments are skipped as the decoder does. A line is
    /// rejected when its timestamp does not fit in nanoseconds at <paramref name="precision"/>, or when
    /// <paramref name="decoder"/> rejects it on its own (so a line whose fields are all strings is rejected as
    /// <c>NoMetrics</c>: the pipeline keeps numbers only). A line (comments too) longer than
    /// <paramref name="maxLineBytes"/>, as received or with its timestamp converted, ends the split with
    /// <see cref="Oversized"/> set.
    /// </summary>
    public static LineProtocolWrite Split(ReadOnlyMemory<byte> body, WritePrecision precision, IReadingDecoder decoder, in MessageContext context, int maxLineBytes = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
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
            if (line.Length > maxLineBytes)
            {
                return new LineProtocolWrite(ReadOnlyMemory<byte>.Empty, 0, 0, [], maxLineBytes, new OversizedLine(number, line.Length));
            }

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
                if (candidate.Length > maxLineBytes)
                {
                    return new LineProtocolWrite(ReadOnlyMemory<byte>.Empty, 0, 0, [], maxLineBytes, new OversizedLine(number, candidate.Length));
                }
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

        if (precision.IsNanoseconds && rejected.Count == 0 && body.Length <= maxLineBytes)
        {
            // Nothing was rewritten or left out, and it is one message: queue the request as it came. (A longer body is
            // queued from the copy, which holds no comments or blank lines, so no message is only comments.)
            return new LineProtocolWrite(acceptedLines == 0 ? ReadOnlyMemory<byte>.Empty : body, acceptedLines, readingCount, rejected, maxLineBytes);
        }

        return new LineProtocolWrite(accepted.WrittenMemory, acceptedLines, readingCount, rejected, maxLineBytes);
    }
}
