using ReactiveIngest.Core.Aggregates;

namespace ReactiveIngest.Core.Windows;

/// <summary>
/// One emission of a window. Emissions of the same window share <see cref="Key"/> and <see cref="StartNs"/> (the
/// stored point's identity), so a later one overwrites an earlier one in InfluxDB.
/// </summary>
/// <param name="Key">The series.</param>
/// <param name="StartNs">Window start (inclusive), epoch ns.</param>
/// <param name="EndNs">Window end (exclusive), epoch ns.</param>
/// <param name="Kind">Why it was emitted.</param>
/// <param name="Revision">0 for the first emission of the window, then 1, 2, … for each further one (early ones included).</param>
/// <param name="Aggregates">The aggregates over every reading in the window so far.</param>
/// <param name="OldestSequence">
/// The smallest input sequence number folded into the window since its previous non-early emission, or
/// <see cref="long.MaxValue"/> when none: acknowledgement tracking uses it to know which inputs this result makes durable.
/// </param>
public sealed record WindowResult(
    SeriesKey Key,
    long StartNs,
    long EndNs,
    EmissionKind Kind,
    int Revision,
    AggregateSnapshot Aggregates,
    long OldestSequence);
