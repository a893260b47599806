using System.Collections.Concurrent;

namespace ReactiveIngest.Core.Validation;

/// <summary>
/// Bounds the distinct device ids and metric names the service takes in (each metric name is a measurement in
/// InfluxDB, each device a series), so that no client can create measurements or series without bound.
/// <para><b>Overflow:</b> once <see cref="MaxDevices"/> devices (or <see cref="MaxMetricNames"/> metric names) are known,
/// a reading of a further one is rejected with <see cref="RejectReason.CardinalityLimit"/> and counted in
/// <see cref="Rejected"/>; readings of known names go on. Names are remembered until the process restarts (no
/// eviction: a client cycling names must not push the real fleet out). Memory: about 100 bytes per name plus its
/// characters, so 100,000 devices of 16 characters are about 13 MB.</para>
/// Thread-safe; a known name costs one dictionary look-up and allocates nothing.
/// </summary>
public sealed class CardinalityLimits
{
    private readonly ConcurrentDictionary<string, byte> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _metrics = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _rejected;

    /// <summary>Creates the limits.</summary>
    public CardinalityLimits(int maxDevices, int maxMetricNames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDevices, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMetricNames, 1);
        MaxDevices = maxDevices;
        MaxMetricNames = maxMetricNames;
    }

    /// <summary>The most distinct device ids taken in.</summary>
    public int MaxDevices { get; }

    /// <summary>The most distinct metric names taken in.</summary>
    public int MaxMetricNames { get; }

    /// <summary>Distinct device ids taken in so far.</summary>
    public int Devices => _devices.Count;

    /// <summary>Distinct metric names taken in so far.</summary>
    public int MetricNames => _metrics.Count;

    /// <summary>Readings rejected because a limit was reached.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>True while neither limit has rejected a reading.</summary>
    public bool Overflowed => Rejected > 0;

    /// <summary>
    /// Admits the reading's device and metric (remembering them when new and there is room); null when admitted,
    /// else why not. A reading whose metric is refused does not add its device, and the other way round.
    /// </summary>
    public string? Admit(string deviceId, string metric)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentNullException.ThrowIfNull(metric);
        var knownDevice = _devices.ContainsKey(deviceId);
        var knownMetric = _metrics.ContainsKey(metric);
        if (knownDevice && knownMetric)
        {
            return null;
        }

        lock (_gate)
        {
            if (!knownDevice && !_devices.ContainsKey(deviceId) && _devices.Count >= MaxDevices)
            {
                Interlocked.Increment(ref _rejected);
                return $"device '{Short(deviceId)}' would be device {MaxDevices + 1}; the limit is {MaxDevices} (MaxDevices)";
            }

            if (!knownMetric && !_metrics.ContainsKey(metric) && _metrics.Count >= MaxMetricNames)
            {
                Interlocked.Increment(ref _rejected);
                return $"metric name '{Short(metric)}' would be name {MaxMetricNames + 1}; the limit is {MaxMetricNames} (MaxMetricNames)";
            }

            _devices.TryAdd(deviceId, 0);
            _metrics.TryAdd(metric, 0);
            return null;
        }
    }

    private static string Short(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
