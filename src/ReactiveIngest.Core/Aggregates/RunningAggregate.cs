namespace ReactiveIngest.Core.Aggregates;

/// <summary>
/// Count, sum, min, max, mean, variance (Welford) and first/last by event time, updated in O(1) per value
/// and mergeable (Chan et al.'s parallel variance formula), so a window can be built from pieces.
/// A mutable struct: keep it in a field and call its methods on that field.
/// </summary>
/// <remarks>
/// First is the value with the smallest event time and last the one with the largest; on equal timestamps
/// first keeps the earlier arrival and last takes the later one.
/// </remarks>
public struct RunningAggregate
{
    private double _mean;
    private double _m2;

    /// <summary>Number of values.</summary>
    public long Count { get; private set; }

    /// <summary>Sum of the values.</summary>
    public double Sum { get; private set; }

    /// <summary>Smallest value (NaN when empty).</summary>
    public double Min { get; private set; }

    /// <summary>Largest value (NaN when empty).</summary>
    public double Max { get; private set; }

    /// <summary>Event time of <see cref="First"/>, epoch ns.</summary>
    public long FirstTimestampNs { get; private set; }

    /// <summary>The value with the earliest event time.</summary>
    public double First { get; private set; }

    /// <summary>Event time of <see cref="Last"/>, epoch ns.</summary>
    public long LastTimestampNs { get; private set; }

    /// <summary>The value with the latest event time.</summary>
    public double Last { get; private set; }

    /// <summary>Arithmetic mean (NaN when empty).</summary>
    public readonly double Mean => Count == 0 ? double.NaN : _mean;

    /// <summary>Sum of squared deviations from the mean (Welford's M2).</summary>
    public readonly double SumOfSquaredDeviations => _m2;

    /// <summary>Sample variance, M2 / (n − 1); 0 for fewer than two values.</summary>
    public readonly double SampleVariance => Count < 2 ? 0.0 : _m2 / (Count - 1);

    /// <summary>Population variance, M2 / n; 0 when empty.</summary>
    public readonly double PopulationVariance => Count == 0 ? 0.0 : _m2 / Count;

    /// <summary>Adds one value observed at <paramref name="timestampNs"/>.</summary>
    public void Add(long timestampNs, double value)
    {
        if (Count == 0)
        {
            Count = 1;
            Sum = value;
            Min = value;
            Max = value;
            _mean = value;
            _m2 = 0;
            FirstTimestampNs = LastTimestampNs = timestampNs;
            First = Last = value;
            return;
        }

        Count++;
        Sum += value;
        if (value < Min)
        {
            Min = value;
        }

        if (value > Max)
        {
            Max = value;
        }

        var delta = value - _mean;
        _mean += delta / Count;
        _m2 += delta * (value - _mean);

        if (timestampNs < FirstTimestampNs)
        {
            FirstTimestampNs = timestampNs;
            First = value;
        }

        if (timestampNs >= LastTimestampNs)
        {
            LastTimestampNs = timestampNs;
            Last = value;
        }
    }

    /// <summary>Folds <paramref name="other"/> (values that arrived after this one's) into this aggregate.</summary>
    public void Merge(in RunningAggregate other)
    {
        if (other.Count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            this = other;
            return;
        }

        var n = Count + other.Count;
        var delta = other._mean - _mean;
        _m2 = _m2 + other._m2 + (delta * delta * ((double)Count * other.Count / n));
        _mean += delta * other.Count / n;
        Count = n;
        Sum += other.Sum;
        Min = Math.Min(Min, other.Min);
        Max = Math.Max(Max, other.Max);
        if (other.FirstTimestampNs < FirstTimestampNs)
        {
            FirstTimestampNs = other.FirstTimestampNs;
            First = other.First;
        }

        if (other.LastTimestampNs >= LastTimestampNs)
        {
            LastTimestampNs = other.LastTimestampNs;
            Last = other.Last;
        }
    }

    /// <summary>Resets to the empty aggregate.</summary>
    public void Clear() => this = default;
}
