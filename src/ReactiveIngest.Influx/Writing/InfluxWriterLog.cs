using Microsoft.Extensions.Logging;

namespace ReactiveIngest.Influx.Writing;

/// <summary>The writer's log messages (source-generated).</summary>
internal static partial class InfluxWriterLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "InfluxDB refuses writes (HTTP {Status}): {ServerMessage}. To fix: {Fix} Data is kept and demand upstream stops; retrying every {RetryInterval}.")]
    public static partial void WritesRefused(ILogger logger, int status, string serverMessage, string fix, TimeSpan retryInterval);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "InfluxDB writes keep failing ({Failures} attempts, last: {Error}); retrying with backoff, demand upstream stops while writes are pending.")]
    public static partial void WritesFailing(ILogger logger, int failures, string error);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "InfluxDB accepts writes again.")]
    public static partial void WritesRecovered(ILogger logger);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "InfluxDB rejected {Count} point(s); they go to the dead-letter output: {ServerMessage}")]
    public static partial void PointsRejected(ILogger logger, int count, string serverMessage);
}
