using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// Turns the pipeline's counters into points of the health measurement, tagged by <c>component</c>:
/// <list type="bullet">
/// <item><c>source</c> (tag <c>source</c>): messages, readings, rejected, readings_per_second, backpressure_seconds,
/// backpressure_ratio (share of the interval the source was held back), and where the source knows them in_flight,
/// acknowledged, kafka_lag, qos0_dropped, reconnects.</item>
/// <item><c>pipeline</c>: readings, dead_letters, window_results, late_readings, points_submitted, in_flight.</item>
/// <item><c>dead_letters</c> (tag <c>reason</c>): count, for each reason seen.</item>
/// <item><c>window</c> (tag <c>window</c>): emitted, late, evicted; and what the window stage holds at its last tick:
/// open_windows, series, pending_messages (messages whose acknowledgement waits for a window).</item>
/// <item><c>influx</c>: writes, write_retries, points_written, points_rejected, write_latency_ms_mean and
/// write_latency_ms_max (of the writes since the previous snapshot, when there were any), snapshots_dropped.</item>
/// </list>
/// Counters are totals since start (use derivative in queries); rates and ratios cover the time since the previous snapshot.
/// Keeps the previous totals per source, so one instance serves one writer.
/// </summary>
public sealed class PipelineHealthSnapshot(string measurement, PipelineStatus status, DeadLetterLog deadLetters, InfluxWriteMeterReader influx)
{
    private readonly Dictionary<string, (long Readings, double Backpressure)> _previous = new(StringComparer.Ordinal);
    private long _previousTimestamp;

    /// <summary>The points of one snapshot at <paramref name="timestamp"/>.</summary>
    /// <param name="timestamp">Stopwatch-independent wall time of the snapshot.</param>
    /// <param name="snapshotsDropped">Snapshots dropped so far because the previous write was still running.</param>
    public IReadOnlyList<LinePoint> Take(DateTimeOffset timestamp, long snapshotsDropped)
    {
        var ns = UnixTime.FromDateTimeOffset(timestamp);
        var elapsedSeconds = _previousTimestamp == 0 ? 0 : (ns - _previousTimestamp) / 1e9;
        _previousTimestamp = ns;
        var points = new List<LinePoint>();
        long inFlightTotal = 0;
        foreach (var source in status.Sources)
        {
            var readings = source.Readings;
            var backpressure = source.Backpressure.Backpressured.TotalSeconds;
            var point = PointBuilder.Measurement(measurement).Tag("component", "source").Tag("source", source.Name)
                .Field("messages", source.Messages)
                .Field("readings", readings)
                .Field("rejected", source.Rejected)
                .Field("backpressure_seconds", backpressure);
            if (_previous.TryGetValue(source.Name, out var previous) && elapsedSeconds > 0)
            {
                point.Field("readings_per_second", (readings - previous.Readings) / elapsedSeconds)
                    .Field("backpressure_ratio", Math.Clamp((backpressure - previous.Backpressure) / elapsedSeconds, 0, 1));
            }

            _previous[source.Name] = (readings, backpressure);
            if (source.Control is { InFlight: { } inFlight } control)
            {
                point.Field("in_flight", inFlight);
                inFlightTotal += inFlight;
                foreach (var (field, value) in control.Figures)
                {
                    point.Field(field, value);
                }
            }

            points.Add(point.Timestamp(ns).Build());
        }

        points.Add(PointBuilder.Measurement(measurement).Tag("component", "pipeline")
            .Field("readings", status.Received)
            .Field("dead_letters", status.DeadLetters)
            .Field("window_results", status.WindowResults)
            .Field("late_readings", status.LateReadings)
            .Field("points_submitted", status.PointsWritten)
            .Field("in_flight", inFlightTotal)
            .Timestamp(ns).Build());

        foreach (var (reason, count) in deadLetters.CountByReason())
        {
            points.Add(PointBuilder.Measurement(measurement).Tag("component", "dead_letters").Tag("reason", reason.ToString())
                .Field("count", count).Timestamp(ns).Build());
        }

        foreach (var window in status.Windows)
        {
            points.Add(PointBuilder.Measurement(measurement).Tag("component", "window").Tag("window", window.Name)
                .Field("emitted", window.Emitted).Field("late", window.Late)
                .Field("open_windows", window.Gauges.OpenWindows).Field("series", window.Gauges.Series)
                .Field("evicted", window.Gauges.EvictedWindows).Field("pending_messages", window.Gauges.PendingMessages)
                .Field("replayed_final", window.Gauges.ReplayedFinal).Field("progress_save_failures", window.Gauges.ProgressSaveFailures)
                .Timestamp(ns).Build());
        }

        var writes = influx.TakeInterval();
        var writer = PointBuilder.Measurement(measurement).Tag("component", "influx")
            .Field("writes", writes.Writes)
            .Field("write_retries", writes.Retries)
            .Field("points_written", writes.PointsWritten)
            .Field("points_rejected", writes.PointsRejected)
            .Field("snapshots_dropped", snapshotsDropped);
        if (writes.MeanLatencySeconds is { } mean && writes.MaxLatencySeconds is { } max)
        {
            writer.Field("write_latency_ms_mean", mean * 1000).Field("write_latency_ms_max", max * 1000);
        }

        points.Add(writer.Timestamp(ns).Build());
        return points;
    }
}
