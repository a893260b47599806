using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.LoadTest;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.LoadTest;

public sealed class StoreComparisonSpec
{
    private static readonly WindowKey A = new("d1", "temperature", 10_000);
    private static readonly WindowKey B = new("d2", "humidity", 20_000);

    private static Dictionary<WindowKey, WindowStats> Truth() => new()
    {
        [A] = WindowStats.Of(20.5).Add(21.0).Add(19.5),
        [B] = WindowStats.Of(40).Add(41),
    };

    [Fact]
    public void Identical_storage_should_report_nothing_lost_duplicated_or_mismatched()
    {
        var verdict = StoreComparison.Compare(Truth(), Truth(), Truth());

        Assert.Equal(5, verdict.ExpectedPoints);
        Assert.Equal(5, verdict.StoredPoints);
        Assert.Equal(0, verdict.Lost);
        Assert.Equal(0, verdict.Duplicates);
        Assert.Equal(2, verdict.AggregatesChecked);
        Assert.Equal(0, verdict.AggregateMismatches);
        Assert.Empty(verdict.Examples);
        Assert.Empty(verdict.MismatchExamples);
    }

    [Fact]
    public void A_partial_window_stored_over_a_final_one_should_be_listed_with_its_key_and_expected_and_stored_count_and_sum()
    {
        var aggregates = Truth();
        aggregates[A] = WindowStats.Of(19.5); // a replay after a crash overwrote the final window with a partial one

        var verdict = StoreComparison.Compare(Truth(), Truth(), aggregates);

        Assert.Equal(0, verdict.Lost);
        Assert.Equal(1, verdict.AggregateMismatches);
        var example = Assert.Single(verdict.MismatchExamples);
        Assert.Equal("aggregate differs: d1/temperature @ 1970-01-01T00:00:10.000Z: expected count 3 sum 61 min 19.5 max 21, stored count 1 sum 19.5 min 19.5 max 19.5", example);
    }

    [Fact]
    public void Expected_aggregates_of_a_longer_window_should_be_checked_instead_of_the_ground_truth_cells()
    {
        var minute = new WindowKey("d1", "temperature", 0);
        var expected = new Dictionary<WindowKey, WindowStats> { [minute] = Truth()[A] };

        var verdict = StoreComparison.Compare(Truth(), Truth(), new Dictionary<WindowKey, WindowStats> { [minute] = Truth()[A] }, expectedAggregates: expected);

        Assert.Equal(1, verdict.AggregatesChecked);
        Assert.Equal(0, verdict.AggregateMismatches);
    }

    [Fact]
    public void A_deliberately_dropped_point_should_be_reported_lost_and_its_window_as_a_mismatch()
    {
        var stored = Truth();
        stored[A] = WindowStats.Of(20.5).Add(21.0); // the 19.5 reading never arrived
        var aggregates = Truth();
        aggregates[A] = stored[A];

        var verdict = StoreComparison.Compare(Truth(), stored, aggregates);

        Assert.Equal(1, verdict.Lost);
        Assert.Equal(0, verdict.Duplicates);
        Assert.Equal(1, verdict.AggregateMismatches);
        Assert.Contains(verdict.Examples, e => e.Contains("lost 1 of 3", StringComparison.Ordinal));
    }

    [Fact]
    public void A_whole_missing_cell_should_count_all_its_points_lost()
    {
        var stored = Truth();
        stored.Remove(B);

        var verdict = StoreComparison.Compare(Truth(), stored, null);

        Assert.Equal(2, verdict.Lost);
        Assert.Null(verdict.AggregatesChecked);
        Assert.Null(verdict.AggregateMismatches);
    }

    [Fact]
    public void A_duplicated_point_should_be_counted_as_a_duplicate_not_as_lost()
    {
        var stored = Truth();
        stored[B] = stored[B].Add(41); // the same reading stored twice (e.g. under another timestamp)

        var verdict = StoreComparison.Compare(Truth(), stored, Truth());

        Assert.Equal(0, verdict.Lost);
        Assert.Equal(1, verdict.Duplicates);
        Assert.Equal(0, verdict.AggregateMismatches);
    }

    [Fact]
    public void Points_in_a_cell_the_truth_does_not_have_should_count_as_duplicates()
    {
        var stored = Truth();
        stored[new WindowKey("d9", "temperature", 10_000)] = WindowStats.Of(1).Add(2);

        var verdict = StoreComparison.Compare(Truth(), stored, null);

        Assert.Equal(2, verdict.Duplicates);
        Assert.Equal(7, verdict.StoredPoints);
    }

    [Fact]
    public void An_aggregate_with_a_different_max_or_an_unexpected_window_should_be_a_mismatch()
    {
        var aggregates = Truth();
        aggregates[A] = new WindowStats(3, 61.0, 19.5, 21.5);
        aggregates[new WindowKey("d1", "temperature", 30_000)] = WindowStats.Of(5);

        var verdict = StoreComparison.Compare(Truth(), Truth(), aggregates);

        Assert.Equal(2, verdict.AggregatesChecked);
        Assert.Equal(2, verdict.AggregateMismatches);
        Assert.Equal(0, verdict.Lost);
    }
}
