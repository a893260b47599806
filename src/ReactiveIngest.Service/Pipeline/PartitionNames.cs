using System.Collections.Concurrent;
using System.Globalization;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// The stable name of each watermark partition, under which its window progress is saved: the same input gets the
/// same name after a restart and on every instance, whatever number <see cref="WatermarkPartitions"/> gave it here.
/// <list type="bullet">
/// <item>Kafka: <c>{source}:{topic}:{partition}</c>, so that the consumer that owns a partition after a rebalance reads
/// what the previous owner saved (the source name is <c>Sources:Kafka:N:SourceName</c>, by default <c>kafka:N</c>: the
/// same on every instance that runs the same configuration).</item>
/// <item>MQTT and HTTP: <c>{source}:{connection}</c>.</item>
/// </list>
/// </summary>
/// <remarks>
/// Written by the per-source partition lookups, read by the window stages (which see a partition only after its
/// lookup named it); thread-safe. Bounded like the ids: at most <see cref="IngestGraph.PartitionsPerSource"/> per source.
/// </remarks>
public sealed class PartitionNames
{
    private readonly ConcurrentDictionary<int, string> _names = new();

    /// <summary>Names <paramref name="id"/> unless it already has a name (an id shared after the per-source limit keeps its first name).</summary>
    public void Register(int id, string name) => _names.TryAdd(id, name);

    /// <summary>The name of <paramref name="id"/> (its number when it was never registered).</summary>
    public string NameOf(int id) => _names.TryGetValue(id, out var name) ? name : id.ToString(CultureInfo.InvariantCulture);
}
