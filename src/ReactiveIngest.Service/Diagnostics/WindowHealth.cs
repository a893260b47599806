using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// Counters of one configured window definition, updated by the graph with interlocked operations, and what its
/// window stage holds (<see cref="Gauges"/>, published by the stage every tick).
/// </summary>
public sealed class WindowHealth(string name)
{
    private long _emitted;
    private long _late;

    /// <summary>The window name.</summary>
    public string Name => name;

    /// <summary>Results emitted (final, early and late updates).</summary>
    public long Emitted => Interlocked.Read(ref _emitted);

    /// <summary>Readings later than the allowed lateness.</summary>
    public long Late => Interlocked.Read(ref _late);

    /// <summary>Open windows, series, evictions and pending messages of this definition's window stage.</summary>
    public WindowStageGauges Gauges { get; } = new();

    /// <summary>Counts an emitted result.</summary>
    public void AddEmitted() => Interlocked.Increment(ref _emitted);

    /// <summary>Counts a too-late reading.</summary>
    public void AddLate() => Interlocked.Increment(ref _late);
}
