using System.Collections;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Decoding;

/// <summary>
/// The valid readings decoded from one message, travelling as one stream element (so the graph moves messages,
/// not readings, and the acknowledgement handle is shared by all of them).
/// </summary>
public sealed class ReadingBatch : IReadOnlyList<Reading>
{
    private readonly Reading[] _readings;

    /// <summary>Wraps <paramref name="readings"/> (not copied).</summary>
    /// <param name="readings">The readings.</param>
    /// <param name="partition">The input partition, for watermarks.</param>
    /// <param name="source">The message they came from, if kept.</param>
    public ReadingBatch(Reading[] readings, int partition = 0, RawMessage? source = null)
    {
        ArgumentNullException.ThrowIfNull(readings);
        _readings = readings;
        Partition = partition;
        Source = source;
    }

    /// <summary>The input partition (Kafka partition, MQTT connection).</summary>
    public int Partition { get; }

    /// <summary>The message the readings came from, when the decoder kept it.</summary>
    public RawMessage? Source { get; }

    /// <inheritdoc />
    public int Count => _readings.Length;

    /// <inheritdoc />
    public Reading this[int index] => _readings[index];

    /// <summary>The readings without copying.</summary>
    public ReadOnlySpan<Reading> AsSpan() => _readings;

    /// <summary>A batch of one reading.</summary>
    public static ReadingBatch Of(Reading reading, int partition = 0) => new([reading], partition);

    /// <inheritdoc />
    public IEnumerator<Reading> GetEnumerator() => ((IEnumerable<Reading>)_readings).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
