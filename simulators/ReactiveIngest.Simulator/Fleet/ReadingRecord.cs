namespace ReactiveIngest.Simulator.Fleet;

/// <summary>A valid reading on its way out, shared by its copies so the ground truth counts it once.</summary>
internal sealed class ReadingRecord(long timestampMs, double[] values)
{
    private int _recorded;

    /// <summary>The event time in the payload.</summary>
    public long TimestampMs => timestampMs;

    /// <summary>The values in the payload, in metric order.</summary>
    public double[] Values => values;

    /// <summary>True exactly once: for the first copy the broker accepted.</summary>
    public bool TryMarkRecorded() => Interlocked.Exchange(ref _recorded, 1) == 0;
}
