using System.Globalization;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// The watermark partition of each message of one source. Each source owns the range
/// [<c>offset</c>, <c>offset</c> + <see cref="IngestGraph.PartitionsPerSource"/>).
/// <list type="bullet">
/// <item>Without <c>perTopic</c> (MQTT connections, HTTP inlets) a message's partition number is its id in the range.</item>
/// <item>With <c>perTopic</c> (Kafka: a partition number is only unique within its topic) each distinct
/// (topic, partition) gets its own id, in order of first sight, so topic A partition 0 and topic B partition 0 hold
/// separate watermarks.</item>
/// </list>
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="IngestGraph.PartitionsPerSource"/> pairs are remembered. A pair first seen after that
/// shares the id of its partition number modulo the range (the former behaviour); its messages are counted in
/// <see cref="SharedLookups"/>, and its window progress is saved under the first pair's name (see <see cref="PartitionNames"/>).
/// Used by one stage only (not thread-safe).
/// </remarks>
internal sealed class WatermarkPartitions
{
    private readonly int _offset;
    private readonly Dictionary<(string Topic, int Partition), int>? _ids;
    private readonly PartitionNames? _names;
    private readonly string _source;
    private readonly HashSet<int>? _namedConnections;
    private string? _lastTopic;
    private int _lastPartition;
    private int _lastId;

    public WatermarkPartitions(int offset, bool perTopic, PartitionNames? names = null, string source = "")
    {
        _offset = offset;
        _ids = perTopic ? [] : null;
        _names = names;
        _source = source;
        _namedConnections = names is not null && !perTopic ? [] : null;
    }

    /// <summary>Messages whose pair was first seen after the range was full, so that it shares an id with another pair.</summary>
    public long SharedLookups { get; private set; }

    /// <summary>The watermark partition of <paramref name="message"/>.</summary>
    public int Of(RawMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_ids is null)
        {
            var id = _offset + message.Partition;
            if (_namedConnections is not null && _namedConnections.Count < IngestGraph.PartitionsPerSource && _namedConnections.Add(id))
            {
                _names!.Register(id, string.Create(CultureInfo.InvariantCulture, $"{_source}:{message.Partition}"));
            }

            return id;
        }

        var topic = message.Context.Topic;
        var partition = message.Partition;
        if (partition == _lastPartition && string.Equals(topic, _lastTopic, StringComparison.Ordinal))
        {
            return _lastId; // consecutive messages mostly come from one partition
        }

        if (!_ids.TryGetValue((topic, partition), out var local))
        {
            if (_ids.Count < IngestGraph.PartitionsPerSource)
            {
                local = _ids.Count;
                _ids.Add((topic, partition), local);
                _names?.Register(_offset + local, string.Create(CultureInfo.InvariantCulture, $"{_source}:{topic}:{partition}"));
            }
            else
            {
                local = (int)((uint)partition % IngestGraph.PartitionsPerSource);
                SharedLookups++;
            }
        }

        _lastTopic = topic;
        _lastPartition = partition;
        _lastId = _offset + local;
        return _lastId;
    }
}
