using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Writing;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// Writes a <see cref="PipelineHealthSnapshot"/> to InfluxDB every <see cref="PipelineHealthOptions.HealthInterval"/>,
/// on its own path beside the data: a writer of its own (own connections, unexported metrics) and at most one write in
/// flight. When the previous snapshot is still being written (InfluxDB slow or down; the writer retries) the new one
/// is dropped and counted in <see cref="Dropped"/> (and in the next snapshot's <c>snapshots_dropped</c>), so it can
/// neither queue without limit nor hold back the data path.
/// </summary>
public sealed partial class PipelineHealthWriter(
    PipelineHealthOptions options,
    InfluxWriterOptions writerOptions,
    PipelineHealthSnapshot snapshot,
    TimeProvider timeProvider,
    ILogger<PipelineHealthWriter> logger) : BackgroundService
{
    private long _written;
    private long _dropped;
    private long _failed;

    /// <summary>Snapshots stored.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Snapshots dropped because the previous write was still running.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Snapshots whose write failed (their points were rejected, or the write was cancelled at stop).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var meters = new UnexportedMeterFactory();
        using var metrics = new InfluxMetrics(meters);
        using var writer = new InfluxWriter(writerOptions, null, logger, metrics, timeProvider);
        using var timer = new PeriodicTimer(options.HealthInterval, timeProvider);
        Task pending = Task.CompletedTask;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!pending.IsCompleted)
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }

                var points = snapshot.Take(timeProvider.GetUtcNow(), Dropped);
                pending = WriteAsync(writer, points, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        try
        {
            await pending.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(logger);
        }
    }

    private async Task WriteAsync(InfluxWriter writer, IReadOnlyList<LinePoint> points, CancellationToken cancellationToken)
    {
        try
        {
            using var batch = new EncodedBatch(writerOptions.Precision, points.Count);
            foreach (var point in points)
            {
                if (batch.TryAdd(point) is { } rejection)
                {
                    LogPointRejected(logger, rejection.ToString());
                }
            }

            var result = await writer.WriteAsync(batch, cancellationToken);
            if (result.Rejected.Count > 0)
            {
                Interlocked.Increment(ref _failed);
                LogPointRejected(logger, result.Rejected[0].ToString() ?? string.Empty);
            }
            else
            {
                Interlocked.Increment(ref _written);
            }
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A pipeline-health point was rejected: {Reason}")]
    private static partial void LogPointRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last pipeline-health write did not finish within 5 s of stopping")]
    private static partial void LogStopTimedOut(ILogger logger);
}
