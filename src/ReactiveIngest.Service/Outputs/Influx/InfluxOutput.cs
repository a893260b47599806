using Akka.Streams.Dsl;
using Microsoft.Extensions.Options;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Stages;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Outputs.Influx;

/// <summary>
/// The InfluxDB output: raw readings (measurement = metric, tag deviceId, field value) and window results (see
/// <see cref="AggregatePoints"/>), through the batching writer that releases handles only after a batch is stored.
/// Points InfluxDB rejects become dead letters (to the <see cref="DeadLetterOutput"/>, counted).
/// </summary>
public sealed class InfluxOutput(InfluxWriter writer, IOptions<PipelineOptions> pipeline, PipelineStatus status, DeadLetterOutput deadLetters) : IOutput
{
    private readonly ReadingPointMapper _mapper = ReadingPointMapper.Default;

    /// <inheritdoc />
    public string Name => "influx";

    /// <inheritdoc />
    public Sink<Envelope<ReadingBatch>, Task> Readings() =>
        Acked.Split<ReadingBatch, LinePoint>(batch =>
            {
                status.AddPointsWritten(batch.Count);
                var points = new LinePoint[batch.Count];
                for (var i = 0; i < points.Length; i++)
                {
                    points[i] = _mapper.Map(batch[i]);
                }

                return points;
            })
            .ToMaterialized(Written("raw"), Keep.Right);

    /// <inheritdoc />
    public Sink<Envelope<NamedWindowResult>, Task> Windows()
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

    private Sink<Envelope<LinePoint>, Task> Written(string name) =>
        Flow.Create<Envelope<LinePoint>>()
            .Via(InfluxSink.Write(writer, $"influx:{name}"))
            .ToMaterialized(deadLetters.Sink(status), Keep.Right);
}
