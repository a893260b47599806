using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Codecs;

/// <summary>Finds a metric named twice among one object's readings (duplicate JSON keys).</summary>
internal static class DuplicateReadings
{
    /// <summary>A metric name that occurs twice in <paramref name="readings"/> (one object's), or null.</summary>
    public static string? FindMetric(ReadOnlySpan<Reading> readings)
    {
        if (readings.Length <= 16)
        {
            for (var i = 1; i < readings.Length; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (string.Equals(readings[i].Metric, readings[j].Metric, StringComparison.Ordinal))
                    {
                        return readings[i].Metric;
                    }
                }
            }

            return null;
        }

        var seen = new HashSet<string>(readings.Length, StringComparer.Ordinal);
        foreach (var reading in readings)
        {
            if (!seen.Add(reading.Metric))
            {
                return reading.Metric;
            }
        }

        return null;
    }
}
