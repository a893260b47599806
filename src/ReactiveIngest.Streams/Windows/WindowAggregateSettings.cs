using ReactiveIngest.Core.Windows;

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
    /// The most input acknowledgement handles held while their windows are open or not yet durable. At the limit the
    /// stage stops pulling and closes the oldest window early (counted as evicted) so that handles can be released.
    /// Size it above messages per (window + out-of-orderness) at peak rate. Default 2,000,000.
    /// </summary>
    public int MaxPendingAcks { get; init; } = 2_000_000;

    /// <summary>Wall clock for idleness and the fallback (tests use a manual one). Default: system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>When set, the stage publishes what it holds (open windows, series, evictions, pending messages) here on every tick.</summary>
    public WindowStageGauges? Gauges { get; init; }
}
