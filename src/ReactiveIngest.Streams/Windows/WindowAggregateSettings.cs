using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Decoding;

namespace ReactiveIngest.Streams.Windows;

/// <summary>Configuration of the <see cref="WindowAggregateStage"/>.</summary>
public sealed record WindowAggregateSettings
{
    /// <summary>Creates settings for <paramref name="windows"/>.</summary>
    public WindowAggregateSettings(WindowOptions windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        Windows = windows;
    }

    /// <summary>Window shape, keys, lateness, watermark and state limits.</summary>
    public WindowOptions Windows { get; init; }

    /// <summary>
    /// How often the stage re-evaluates the watermark without input (idle partitions, wall-clock fallback) and
    /// checks its acknowledgement backlog. Default 1 s.
    /// </summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>When set, open windows that changed are emitted as <see cref="EmissionKind.Early"/> results this often.</summary>
    public TimeSpan? EarlyResultsInterval { get; init; }

    /// <summary>
    /// The most input acknowledgement handles held while their windows are not final (open, or within the allowed
    /// lateness) or not yet durable. At the limit the stage stops pulling and closes the oldest window early (counted as
    /// evicted) so that handles can be released. Size it above messages per (window + out-of-orderness + allowed
    /// lateness) at peak rate. Default 2,000,000.
    /// </summary>
    public int MaxPendingAcks { get; init; } = 2_000_000;

    /// <summary>
    /// Tells, on every tick, whether an input partition's readings are held back upstream (its source has input that
    /// downstream does not take: a stalled sink backpressures the whole graph). Such a partition does not turn idle and,
    /// while one is held back, the wall-clock fallback stands still, so a sink outage longer than the idle timeout does
    /// not close (and finalize) windows whose readings are still waiting upstream. Default: none (silence is idleness).
    /// </summary>
    public Func<int, bool>? HeldBack { get; init; }

    /// <summary>Wall clock for idleness and the fallback (tests use a manual one). Default: system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where window progress is saved and loaded (see <see cref="IWindowProgressStore"/>). When set, a message is
    /// acknowledged only after the final watermark covering its windows is saved, and a replayed reading of a window
    /// that its partition saved as final is not folded again. When null, progress is not persisted (a replay after a
    /// crash can rebuild a stored window from part of its readings).
    /// </summary>
    public IWindowProgressStore? Progress { get; init; }

    /// <summary>The window definition's name in the progress store (one stage per definition). Default <c>default</c>.</summary>
    public string ProgressWindow { get; init; } = "default";

    /// <summary>
    /// The stable name of an input partition (<see cref="ReadingBatch.Partition"/>) in the progress store: the same
    /// input must get the same name after a restart and on another instance. Default: the number itself.
    /// </summary>
    public Func<int, string> PartitionName { get; init; } = static partition => partition.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The least time between two progress saves (saves are coalesced). Default 500 ms.</summary>
    public TimeSpan ProgressSaveInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The most partitions whose progress is loaded and saved (also limited by the engine's
    /// <see cref="Core.Watermarks.WatermarkOptions.MaxPartitions"/>). A partition seen after that is processed without
    /// persisted progress (counted in <see cref="WindowStageGauges.UntrackedPartitions"/>), so a replay after a crash
    /// can rebuild its windows from part of their readings. Default 4,096.
    /// </summary>
    public int MaxProgressPartitions { get; init; } = 4096;

    /// <summary>When set, the stage publishes what it holds (open windows, series, evictions, pending messages) here on every tick.</summary>
    public WindowStageGauges? Gauges { get; init; }

    /// <summary>
    /// Fault injection for tests: called with each reading right before it is folded, so a spec can make the fold throw
    /// on a chosen reading (the engine runs no user code per reading). Null in production.
    /// </summary>
    internal Action<Reading>? BeforeFold { get; init; }
}
