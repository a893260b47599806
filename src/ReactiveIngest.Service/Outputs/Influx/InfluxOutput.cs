using Akka.Streams.Dsl;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Stages;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Service.DeadLetters;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Storage;

/// <summary>
/// Outputs to InfluxDB: raw readings (measurement = metric, tag deviceId, field value) and window results (see
/// <see cref="AggregatePoints"/>), through the batching writer that releases handles only after a batch is stored.
/// Points InfluxDB rejects become dead letters. Dead letters go to the <see cref="DeadLetterOutput"/> (the in-memory log
/// and the configured target).
/// </summary>
public sealed class InfluxOutputs(InfluxWriter writer, IOptions<PipelineOptions> pipeline, PipelineStatus status, DeadLetterOutput deadLetters) : IPipelineOutputs
{
    private readonly ReadingPointMapper _mapper = ReadingPointMapper.Default;

    /// <inheritdoc />
    public Sink<Envelope<ReadingBatch>, Task> Raw() =>
        Flow.Create<Envelope<ReadingBatch>>()
            .SelectMany(e =>
            {
                var batch = e.Payload;
                if (batch.Count == 0)
                {
                    e.Ack.Release();
                    return [];
                }

                status.AddPointsWritten(batch.Count);
                e.Ack.Retain(batch.Count - 1);
                var points = new Envelope<LinePoint>[batch.Count];
                for (var i = 0; i < points.Length; i++)
                {
                    points[i] = new Envelope<LinePoint>(_mapper.Map(batch[i]), e.Ack);
                }

                return points;
            })
            .ToMaterialized(Written("raw"), Keep.Right);

    /// <inheritdoc />
    public Sink<Envelope<NamedWindowResult>, Task> Aggregates()
    {
        var pattern = pipeline.Value.AggregateMeasurement;

        // The measurement of each configured window, resolved once instead of a string per point.
        var measurements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var window in pipeline.Value.EffectiveWindows)
        {
            measurements[window.Name] = AggregatePoints.Measurement(pattern, window.Name);
        }

        return Flow.Create<Envelope<NamedWindowResult>>()
            .Select(e => new Envelope<LinePoint>(
                AggregatePoints.ToPointIn(e.Payload, measurements.GetValueOrDefault(e.Payload.Window) ?? AggregatePoints.Measurement(pattern, e.Payload.Window)),
                e.Ack))
            .ToMaterialized(Written("aggregates"), Keep.Right);
    }

    /// <inheritdoc />
    public Sink<Envelope<DeadLetter>, Task> DeadLetters() => deadLetters.Sink();

    private Sink<Envelope<LinePoint>, Task> Written(string name) =>
        Flow.Create<Envelope<LinePoint>>()
            .Via(InfluxSink.Write(writer, $"influx:{name}"))
            .ToMaterialized(deadLetters.Sink(status), Keep.Right);
}
