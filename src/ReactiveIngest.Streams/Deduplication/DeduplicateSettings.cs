namespace ReactiveIngest.Streams.Deduplication;

/// <summary>Bounds of the <see cref="DeduplicateStage"/>.</summary>
public sealed record DeduplicateSettings
{
    /// <summary>The largest allowed <see cref="Depth"/>.</summary>
    public const int MaxDepth = 1024;

    /// <summary>The largest allowed <see cref="MaxKeys"/>.</summary>
    public const int MaxKeysLimit = 10_000_000;

    /// <summary>Creates settings.</summary>
    /// <param name="depth">Timestamps remembered per series (1 to <see cref="MaxDepth"/>).</param>
    /// <param name="maxKeys">Series remembered at once (1 to <see cref="MaxKeysLimit"/>).</param>
    public DeduplicateSettings(int depth = 16, int maxKeys = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, MaxDepth);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxKeys, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxKeys, MaxKeysLimit);
        Depth = depth;
        MaxKeys = maxKeys;
    }

    /// <summary>
    /// How many of a series' most recently arrived distinct timestamps are remembered. A duplicate is detected only
    /// while its original is among them.
    /// </summary>
    public int Depth { get; }

    /// <summary>
    /// How many series (device + metric + tags) are remembered; beyond it one that was not seen recently is forgotten
    /// (clock eviction, counted in <see cref="DeduplicationCounters.KeysEvicted"/>). Memory is about
    /// <c>MaxKeys × (Depth × 8 + 64)</c> bytes when full.
    /// </summary>
    public int MaxKeys { get; }

    /// <summary>Where the stage adds what it dropped and evicted; null counts nothing.</summary>
    public DeduplicationCounters? Counters { get; init; }

    /// <summary>
    /// Fault injection for tests: called with each reading before it is looked up, so a spec can make the stage throw
    /// on a chosen element (the stage runs no user code of its own). Null in production.
    /// </summary>
    internal Action<Core.Model.Reading>? BeforeLookup { get; init; }
}
