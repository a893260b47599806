using ReactiveIngest.Core.Aggregates;

namespace ReactiveIngest.Core.Windows;

/// <summary>One window of one series inside a <see cref="WindowEngine"/>; pooled and reused.</summary>
internal sealed class WindowState
{
    public RunningAggregate Aggregate;

    public QuantileSketch Sketch { get; } = new();

    public SeriesState Series { get; set; } = null!;

    public long Start { get; set; }

    public long End { get; set; }

    /// <summary>Emitted as final (or evicted) at least once; further folds are late updates.</summary>
    public bool Fired { get; set; }

    /// <summary>Folded into since the last emission of any kind (drives early results).</summary>
    public bool Changed { get; set; }

    /// <summary>Fired, then changed by a late reading; listed for a <see cref="EmissionKind.LateUpdate"/>.</summary>
    public bool PendingLateUpdate { get; set; }

    /// <summary>Incremented when the window is recycled, so queue entries for an old use are recognised as stale.</summary>
    public int Generation { get; set; }

    /// <summary>Identifies the one valid entry in the fire queue; incremented whenever a new entry replaces it.</summary>
    public int QueueStamp { get; set; }

    /// <summary>Smallest sequence folded since the last non-early emission, or <see cref="long.MaxValue"/>.</summary>
    public long UnemittedSince { get; set; } = long.MaxValue;

    /// <summary>
    /// Smallest sequence folded into the window since it was created, or <see cref="long.MaxValue"/>: the window holds
    /// that message until it is final (dropped after its allowed lateness), not just until it fired.
    /// </summary>
    public long HeldSince { get; set; } = long.MaxValue;

    /// <summary>The revision number of the next emission.</summary>
    public int Revision { get; set; }

    public void Recycle()
    {
        Aggregate.Clear();
        Sketch.Clear();
        Series = null!;
        Fired = false;
        Changed = false;
        PendingLateUpdate = false;
        UnemittedSince = long.MaxValue;
        HeldSince = long.MaxValue;
        Revision = 0;
        Generation++;
        QueueStamp++;
    }
}
