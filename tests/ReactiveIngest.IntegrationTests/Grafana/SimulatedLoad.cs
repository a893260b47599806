using System.Globalization;
using System.Text;

namespace ReactiveIngest.IntegrationTests.Grafana;

/// <summary>
/// A few minutes of a small fleet in the shape the service stores: raw points (measurement = metric, tags
/// deviceId and site, field value) and window aggregates (measurement window_&lt;name&gt;, tags deviceId, metric
/// and site, the aggregate fields, timestamp = window start), as InfluxDB line protocol.
/// </summary>
public static class SimulatedLoad
{
    /// <summary>The simulated devices.</summary>
    public static readonly IReadOnlyList<string> Devices = ["env-0001", "env-0002", "env-0003", "pwr-0001", "pwr-0002", "pwr-0003"];

    /// <summary>The metrics every device reports.</summary>
    public static readonly IReadOnlyList<string> Metrics = ["temperature", "humidity"];

    /// <summary>Line protocol for <paramref name="seconds"/> of one reading per device and metric per second, ending at <paramref name="endNs"/>.</summary>
    public static string LineProtocol(long endNs, int seconds)
    {
        const long second = 1_000_000_000L;
        var start = (endNs / (10 * second) * 10 * second) - (seconds * second);
        var body = new StringBuilder();
        for (var d = 0; d < Devices.Count; d++)
        {
            var site = d % 2 == 0 ? "north" : "south";
            for (var m = 0; m < Metrics.Count; m++)
            {
                var readings = new List<(long Ts, double Value)>();
                for (var i = 0; i < seconds; i++)
                {
                    var ts = start + (i * second);
                    var value = 20 + d + (m * 30) + Math.Sin(i / 10.0);
                    readings.Add((ts, value));
                    body.Append(CultureInfo.InvariantCulture, $"{Metrics[m]},deviceId={Devices[d]},site={site} value={value:R} {ts}\n");
                }

                AppendWindows(body, "window_10s", Devices[d], Metrics[m], site, readings, start, 10 * second, 10 * second);
                AppendWindows(body, "window_1m", Devices[d], Metrics[m], site, readings, start, 60 * second, 10 * second);
            }
        }

        return body.ToString();
    }

    private static void AppendWindows(
        StringBuilder body, string measurement, string device, string metric, string site, List<(long Ts, double Value)> readings, long start, long size, long slide)
    {
        var end = readings[^1].Ts;
        for (var windowStart = start - size + slide; windowStart <= end; windowStart += slide)
        {
            var inside = readings.Where(r => r.Ts >= windowStart && r.Ts < windowStart + size).ToList();
            if (inside.Count == 0)
            {
                continue;
            }

            var values = inside.Select(r => r.Value).ToList();
            var sorted = values.Order().ToList();
            var mean = values.Average();
            var stddev = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
            double Q(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(q * sorted.Count))];
            body.Append(CultureInfo.InvariantCulture,
                $"{measurement},deviceId={device},metric={metric},site={site} count={values.Count}i,sum={values.Sum():R},min={sorted[0]:R},max={sorted[^1]:R}," +
                $"mean={mean:R},stddev={stddev:R},first={values[0]:R},last={values[^1]:R},p50={Q(0.5):R},p90={Q(0.9):R},p95={Q(0.95):R},p99={Q(0.99):R} {windowStart}\n");
        }
    }
}
