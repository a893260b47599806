using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline.Legs;

/// <summary>
/// The output leg of one stream (readings, window results or dead letters): every element goes to each output that
/// takes the stream (<see cref="AckBroadcast"/>, so its message is acknowledged when all of them stored it); with no
/// such output its reference is released at once.
/// </summary>
public static class OutputLeg
{
    /// <summary>
    /// Connects <paramref name="from"/> to <paramref name="sinks"/>; <paramref name="materialized"/> receives each
    /// sink's completion task when the graph runs.
    /// </summary>
    public static void Connect<T, TMat>(GraphDsl.Builder<TMat> builder, Outlet<Envelope<T>> from, IReadOnlyList<Sink<Envelope<T>, Task>> sinks, Action<Task> materialized)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(sinks);
        ArgumentNullException.ThrowIfNull(materialized);
        IReadOnlyList<Sink<Envelope<T>, Task>> targets = sinks.Count == 0 ? [Acked.Ignore<T>()] : sinks;
        var fan = builder.Add(AckBroadcast.Create<T>(targets.Count));
        builder.From(from).To(fan.In);
        for (var i = 0; i < targets.Count; i++)
        {
            builder.From(fan.Out(i)).To(builder.Add(targets[i].MapMaterializedValue(done =>
            {
                materialized(done);
                return NotUsed.Instance;
            })));
        }
    }
}
