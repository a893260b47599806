using System.Text;
using Akka;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Limits;

/// <summary>
/// The size limit at an input's edge, before its journal: a message larger than the input's <c>MaxMessageBytes</c>
/// (payload, topic and key UTF-8 bytes together) is replaced by its head, the first <c>headBytes</c> of its payload,
/// marked with its full size (<see cref="RawMessage.OversizeBytes"/>). The head travels on with the same acknowledgement
/// handle, through the journal like any small entry, and the decode stage turns it into a dead letter with reason
/// <c>TooLarge</c>, its size and its first bytes. So the source acknowledges it like any other message (it is never
/// redelivered), the dead letter is the durable record, and the big buffer is freed at once.
/// <para><b>Emits when</b> upstream emits (one element out per element in, in order).</para>
/// <para><b>Backpressures when</b> downstream backpressures.</para>
/// <para><b>Completes when</b> upstream completes. <b>Cancels when</b> downstream cancels.</para>
/// </summary>
public static class MessageSizeLimit
{
    /// <summary>The payload bytes kept of an oversize message, for its dead letter.</summary>
    public const int DefaultHeadBytes = 1024;

    /// <summary>The default <c>MaxMessageBytes</c> of an input: 256 KiB, far above a telemetry message, far below a journal page.</summary>
    public const int DefaultMaxMessageBytes = 256 * 1024;

    /// <summary>The flow that enforces <paramref name="maxMessageBytes"/>.</summary>
    /// <param name="maxMessageBytes">The largest message passed whole.</param>
    /// <param name="headBytes">The payload bytes kept of a larger one.</param>
    /// <param name="onOversize">Called with the full size of each message cut (on the stream's thread; must not block), e.g. to count it or reclaim its memory.</param>
    public static Flow<Envelope<RawMessage>, Envelope<RawMessage>, NotUsed> Create(int maxMessageBytes, int headBytes = DefaultHeadBytes, Action<long>? onOversize = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(headBytes);
        return Flow.Create<Envelope<RawMessage>>().Select(e =>
        {
            var size = SizeOf(e.Payload, maxMessageBytes);
            if (size <= maxMessageBytes)
            {
                return e;
            }

            onOversize?.Invoke(size);
            return new Envelope<RawMessage>(Head(e.Payload, size, headBytes), e.Ack);
        });
    }

    /// <summary>
    /// The bytes <paramref name="message"/> counts against a limit: payload, topic and key as UTF-8. Exact whenever the
    /// result can exceed <paramref name="limit"/>; a cheap upper bound is used to skip the count for small messages.
    /// </summary>
    public static long SizeOf(RawMessage message, long limit = 0)
    {
        ArgumentNullException.ThrowIfNull(message);
        var topic = message.Context.Topic;
        var key = message.Context.Key;
        long upper = message.Payload.Length + (3L * topic.Length) + (3L * (key?.Length ?? 0));
        if (upper <= limit)
        {
            return upper;
        }

        return message.Payload.Length + Encoding.UTF8.GetByteCount(topic) + (key is null ? 0 : Encoding.UTF8.GetByteCount(key));
    }

    /// <summary>
    /// The head of <paramref name="message"/>: its first <paramref name="headBytes"/> payload bytes (a copy, so the full
    /// buffer can be freed), marked with <paramref name="fullSize"/>. A topic or key too long to keep is cut to 256 chars.
    /// </summary>
    public static RawMessage Head(RawMessage message, long fullSize, int headBytes = DefaultHeadBytes)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = message.Payload.Length <= headBytes ? message.Payload.ToArray() : message.Payload[..headBytes].ToArray();
        var context = message.Context with { Topic = Cut(message.Context.Topic), Key = message.Context.Key is { } k ? Cut(k) : null };
        return message with { Payload = payload, Context = context, OversizeBytes = Math.Max(1, fullSize) };
    }

    private static string Cut(string text) => text.Length <= 256 ? text : text[..256];
}
