using Akka;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Influx.Stages;

/// <summary>Entry points for writing envelopes of points to InfluxDB (see <see cref="InfluxWriteStage"/>).</summary>
public static class InfluxSink
{
    /// <summary>
    /// A sink that writes points and sends the ones that cannot be stored to <paramref name="deadLetters"/>.
    /// Handles of stored points are released by the sink; handles of dead letters travel with them.
    /// Materializes what the dead-letter sink materializes (typically a task that completes after the last write).
    /// </summary>
    public static Sink<Envelope<LinePoint>, TMat> Create<TMat>(InfluxWriter writer, Sink<Envelope<DeadLetter>, TMat> deadLetters, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        return Write(writer, sourceName).ToMaterialized(deadLetters, Keep.Right);
    }

    /// <summary>
    /// A flow that writes points and passes on the ones that cannot be stored, as dead letters.
    /// </summary>
    public static Flow<Envelope<LinePoint>, Envelope<DeadLetter>, NotUsed> Write(InfluxWriter writer, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var name = sourceName ?? DefaultSourceName(writer.Options);
        return Flow.FromGraph(new InfluxWriteStage(writer, name));
    }

    /// <summary>A flow that maps readings to points with <paramref name="mapper"/> (default: measurement = metric).</summary>
    public static Flow<Envelope<Reading>, Envelope<LinePoint>, NotUsed> FromReadings(ReadingPointMapper? mapper = null)
    {
        var m = mapper ?? ReadingPointMapper.Default;
        return Flow.Create<Envelope<Reading>>().Select(e => new Envelope<LinePoint>(m.Map(e.Payload), e.Ack));
    }

    private static string DefaultSourceName(InfluxWriterOptions options) =>
        options.ApiVersion == InfluxApiVersion.V1 ? $"influx:{options.Database}" : $"influx:{options.Bucket}";
}
