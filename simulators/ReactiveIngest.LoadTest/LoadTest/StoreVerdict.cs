namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>What <see cref="StoreComparison"/> found.</summary>
/// <param name="ExpectedPoints">Raw points the ground truth says storage should hold (distinct valid readings × their metrics).</param>
/// <param name="StoredPoints">Raw points found in the compared cells.</param>
/// <param name="Lost">Expected points missing.</param>
/// <param name="Duplicates">Points stored beyond the expected ones.</param>
/// <param name="AggregatesChecked">Truth windows compared with stored aggregates; null when aggregates were not compared.</param>
/// <param name="AggregateMismatches">Windows missing, differing or unexpected; null when aggregates were not compared.</param>
/// <param name="Examples">The first few raw-point differences, for the log.</param>
/// <param name="MismatchExamples">The first few aggregate mismatches: window key, expected and stored count/sum/min/max.</param>
public sealed record StoreVerdict(long ExpectedPoints, long StoredPoints, long Lost, long Duplicates, long? AggregatesChecked, long? AggregateMismatches, IReadOnlyList<string> Examples, IReadOnlyList<string> MismatchExamples);
