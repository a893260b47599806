using ReactiveIngest.Simulator.Reports;

namespace ReactiveIngest.Simulator.StackFaults;

/// <summary>
/// The service's resident memory sampled across an outage: per <see cref="OutagePhase"/> the highest sample, and the
/// last sample. Holds three numbers per phase, not the samples. Thread-safe.
/// </summary>
public sealed class RssTimeline
{
    private const double Mb = 1024.0 * 1024.0;
    private readonly Lock _gate = new();
    private readonly long?[] _peak = new long?[3];
    private long? _last;

    /// <summary>The phase new samples belong to.</summary>
    public OutagePhase Phase { get; set; } = OutagePhase.Before;

    /// <summary>Adds a sample (bytes) to the current phase; null (process not running) is ignored.</summary>
    public void Add(long? bytes)
    {
        if (bytes is not { } b)
        {
            return;
        }

        lock (_gate)
        {
            var i = (int)Phase;
            _peak[i] = Math.Max(_peak[i] ?? 0, b);
            _last = b;
        }
    }

    /// <summary>The highest sample of <paramref name="phase"/>, in bytes; null when none was taken.</summary>
    public long? Peak(OutagePhase phase)
    {
        lock (_gate)
        {
            return _peak[(int)phase];
        }
    }

    /// <summary>The report of an outage of <paramref name="seconds"/> started <paramref name="startedAtSec"/> after sending began.</summary>
    public OutageReport Report(double seconds, double startedAtSec)
    {
        lock (_gate)
        {
            var before = _peak[(int)OutagePhase.Before];
            var during = _peak[(int)OutagePhase.During];
            return new OutageReport(
                Math.Round(seconds, 1),
                Math.Round(startedAtSec, 1),
                ToMb(before),
                ToMb(during),
                ToMb(_peak[(int)OutagePhase.After]),
                ToMb(_last),
                before is > 0 && during is { } d ? Math.Round(d / (double)before.Value, 2) : null);
        }
    }

    private static double? ToMb(long? bytes) => bytes is { } b ? Math.Round(b / Mb, 1) : null;
}
