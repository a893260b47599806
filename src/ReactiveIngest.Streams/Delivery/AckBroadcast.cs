using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ReactiveIngest.Streams.Delivery;

/// <summary>
/// A <see cref="Broadcast{T}"/> for enveloped elements that keeps the acknowledgement count right: each element
/// takes one more reference of its handle per extra branch before it is broadcast, so its message is acknowledged only
/// when every branch has released its copy.
/// <para>
/// <b>Emits when</b> every output has demand (as <see cref="Broadcast{T}"/>). <b>Backpressures when</b> any output
/// backpressures. <b>Completes when</b> upstream completes. <b>Cancels when</b> every output cancelled; a copy sent to a
/// branch that has cancelled is never released, so the host must stop the graph when a branch fails (see the ingest
/// graph's kill switch).
/// </para>
/// </summary>
public static class AckBroadcast
{
    /// <summary>A fan-out to <paramref name="outputs"/> branches (≥ 1); with one branch the element passes unchanged.</summary>
    public static IGraph<UniformFanOutShape<Envelope<T>, Envelope<T>>, NotUsed> Create<T>(int outputs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        var extra = outputs - 1;
        return GraphDsl.Create(builder =>
        {
            if (outputs == 1)
            {
                var pass = builder.Add(Flow.Create<Envelope<T>>());
                return new UniformFanOutShape<Envelope<T>, Envelope<T>>(pass.Inlet, pass.Outlet);
            }

            var retain = builder.Add(Flow.Create<Envelope<T>>().Select(e =>
            {
                e.Ack.Retain(extra);
                return e;
            }));
            var broadcast = builder.Add(new Broadcast<Envelope<T>>(outputs));
            builder.From(retain.Outlet).To(broadcast.In);
            return new UniformFanOutShape<Envelope<T>, Envelope<T>>(retain.Inlet, [.. broadcast.Outlets.Cast<Outlet<Envelope<T>>>()]);
        });
    }
}
