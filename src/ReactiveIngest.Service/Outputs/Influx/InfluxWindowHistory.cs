using System.Globalization;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.Query;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Outputs.Influx;

/// <summary>Window results from InfluxDB for what is older than the live view holds. Values are bound parameters.</summary>
public sealed class InfluxWindowHistory(InfluxQueryClient client, IOptions<PipelineOptions> pipeline) : IWindowHistory
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<WindowResultView>> QueryAsync(string deviceId, string metric, string window, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var measurement = InfluxQl.QuoteIdentifier(AggregatePoints.Measurement(pipeline.Value.AggregateMeasurement, window));
        var query = $"SELECT * FROM {measurement} WHERE \"deviceId\" = $device AND \"metric\" = $metric AND time >= $from AND time < $to ORDER BY time ASC LIMIT 100000";
        var parameters = new Dictionary<string, object?>
        {
            ["device"] = deviceId,
            ["metric"] = metric,
            ["from"] = from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            ["to"] = to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        };
        return await client.QueryRowsAsync(query, parameters, (_, row) =>
        {
            var start = UnixTime.ToDateTimeOffset(row.TimeNs);
            return new WindowResultView
            {
                DeviceId = deviceId,
                Metric = metric,
                Window = window,
                WindowStart = start,
                WindowEnd = start,
                Count = row.GetInt64("count"),
                Sum = row.GetDouble("sum"),
                Min = row.GetDouble("min"),
                Max = row.GetDouble("max"),
                Mean = row.GetDouble("mean"),
                StdDev = row.GetDouble("stddev"),
                First = row.GetDouble("first"),
                Last = row.GetDouble("last"),
                P50 = row.GetDouble("p50"),
                P90 = row.GetDouble("p90"),
                P95 = row.GetDouble("p95"),
                P99 = row.GetDouble("p99"),
            };
        }, cancellationToken).ConfigureAwait(false);
    }
}
