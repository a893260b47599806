using HdrHistogram;

namespace ReactiveIngest.Simulator.Rate;

/// <summary>
/// Send latency measured from each send's intended time (not from when the sender got round to it), in µs,
/// in an HdrHistogram (1 µs to 1 hour, 3 significant digits; larger values are clamped to 1 hour and counted).
/// Thread-safe.
/// </summary>
public sealed class LatencyRecorder
{
    private const long HighestUs = 3_600_000_000L;
    private readonly LongConcurrentHistogram _histogram = new(1, HighestUs, 3);
    private long _clamped;

    /// <summary>Values above one hour that were recorded as one hour.</summary>
    public long Clamped => Interlocked.Read(ref _clamped);

    /// <summary>Recorded values.</summary>
    public long Count => _histogram.TotalCount;

    /// <summary>Records a send that was meant to start at <paramref name="intendedUs"/> and completed at <paramref name="completedUs"/>.</summary>
    public void Record(long intendedUs, long completedUs)
    {
        var latency = Math.Max(1, completedUs - intendedUs);
        if (latency > HighestUs)
        {
            Interlocked.Increment(ref _clamped);
            latency = HighestUs;
        }

        _histogram.RecordValue(latency);
    }

    /// <summary>The latency summary in milliseconds, or null when nothing was recorded.</summary>
    public Reports.LatencySummary? Summary()
    {
        if (_histogram.TotalCount == 0)
        {
            return null;
        }

        return new Reports.LatencySummary(
            _histogram.GetValueAtPercentile(50) / 1000.0,
            _histogram.GetValueAtPercentile(90) / 1000.0,
            _histogram.GetValueAtPercentile(99) / 1000.0,
            _histogram.GetValueAtPercentile(99.9) / 1000.0,
            _histogram.GetMaxValue() / 1000.0);
    }
}
