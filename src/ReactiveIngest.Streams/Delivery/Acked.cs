using Akka.Streams.Dsl;

namespace ReactiveIngest.Streams.Delivery;

/// <summary>
/// Flows and sinks over enveloped elements that keep the acknowledgement protocol, so that code composing a graph
/// never counts references by hand: an element's handle is released when its element is done, retained once per
/// extra element derived from it.
/// </summary>
public static class Acked
{
    /// <summary>
    /// A sink that runs <paramref name="action"/> on each payload and then releases its reference: for outputs whose
    /// action is the durable step (an in-memory store, a log, a counter). An exception from the action fails the
    /// sink and the element stays unreleased.
    /// </summary>
    public static Sink<Envelope<T>, Task> ForEach<T>(Action<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Sink.ForEach<Envelope<T>>(e =>
        {
            action(e.Payload);
            e.Ack.Release();
        }).MapMaterializedValue(done => (Task)done);
    }

    /// <summary>A sink that releases every element's reference without storing it (an output that only counts).</summary>
    public static Sink<Envelope<T>, Task> Ignore<T>() => ForEach<T>(static _ => { });

    /// <summary>
    /// Splits each element into the parts <paramref name="split"/> returns, each carrying the element's handle: the
    /// handle takes one more reference per part beyond the first, and an element with no parts releases its reference
    /// at once. Emits the parts in order.
    /// </summary>
    public static Flow<Envelope<T>, Envelope<TPart>, Akka.NotUsed> Split<T, TPart>(Func<T, IReadOnlyList<TPart>> split)
    {
        ArgumentNullException.ThrowIfNull(split);
        return Flow.Create<Envelope<T>>().SelectMany(e => Parts(e, split(e.Payload)));
    }

    /// <summary>
    /// Sends every element to <paramref name="side"/> as well as downstream, taking one more reference for the side's
    /// copy (see <see cref="AckBroadcast"/>). Backpressures when either side does.
    /// </summary>
    public static Flow<Envelope<T>, Envelope<T>, TMat> AlsoTo<T, TMat>(Sink<Envelope<T>, TMat> side)
    {
        ArgumentNullException.ThrowIfNull(side);
        return Flow.Create<Envelope<T>>()
            .Select(e =>
            {
                e.Ack.Retain();
                return e;
            })
            .AlsoToMaterialized(side, Keep.Right, true);
    }

    /// <summary>
    /// The same element with a handle of its own: releasing it runs <paramref name="action"/> and then gives back the
    /// original element's reference (for counting when an output acknowledged an element).
    /// </summary>
    public static Envelope<T> WhenReleased<T>(Envelope<T> envelope, Action action)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(action);
        var original = envelope.Ack;
        return envelope with
        {
            Ack = new CallbackAckHandle(() =>
            {
                action();
                original.Release();
            }),
        };
    }

    private static IEnumerable<Envelope<TPart>> Parts<T, TPart>(Envelope<T> envelope, IReadOnlyList<TPart> parts)
    {
        if (parts.Count == 0)
        {
            envelope.Ack.Release();
            return [];
        }

        envelope.Ack.Retain(parts.Count - 1);
        var result = new Envelope<TPart>[parts.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new Envelope<TPart>(parts[i], envelope.Ack);
        }

        return result;
    }
}
