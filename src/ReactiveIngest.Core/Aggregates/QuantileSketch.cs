namespace ReactiveIngest.Core.Aggregates;

/// <summary>
/// A mergeable quantile sketch with a bounded relative error, in the style of DDSketch: values are counted in
/// logarithmic buckets whose width grows with the magnitude, so the bucket that holds the exact quantile pins it down
/// to a fixed relative accuracy. O(1) and allocation-free per value once the bucket array covers the values' range.
/// </summary>
/// <remarks>
/// <para><b>Rank convention.</b> <see cref="Quantile"/> estimates the exact lower quantile: the element of rank
/// <c>floor(q · (n − 1))</c> (0-based) in the sorted input, so q = 0 is the minimum and q = 1 the maximum (both answered exactly).</para>
/// <para><b>Error bound.</b> For a value <c>x</c> with <c>|x| ≥ </c><see cref="MinIndexableMagnitude"/>, the bucket
/// index is <c>ceil(ln|x| / ln γ)</c> with <c>γ = 1 + </c><see cref="InternalRelativeAccuracy"/>; bucket <c>i</c> covers
/// magnitudes <c>(γ^(i−1), γ^i]</c>. The counts are exact, so the bucket that holds the element of the wanted rank is
/// known; the answer lies in that bucket's range intersected with [<see cref="Min"/>, <see cref="Max"/>], interpolated
/// linearly by the rank's position among the bucket's values. Two values in one bucket differ by less than
/// <c>γ − 1</c> = 0.99 % of the smaller, so the answer is within <see cref="RelativeAccuracy"/> = 1 % (relative) of the
/// exact lower quantile; the 0.01 % margin covers floating-point rounding of the logarithm. Values with magnitude below
/// <see cref="MinIndexableMagnitude"/> are counted as zero (absolute error below 1e-9).</para>
/// <para><b>Order.</b> Answers never leave [<see cref="Min"/>, <see cref="Max"/>] (a constant signal gives exactly its
/// value), are monotone in <c>q</c>, and the interpolation lets quantiles of a signal narrower than one bucket (say
/// 20.0 … 20.2) still differ from each other.</para>
/// <para><b>Bounded size.</b> Positive and negative values each use a dense bucket array covering only the index range
/// seen (a sensor in a 10-second window typically needs 5–50 buckets). Each array is capped at
/// <see cref="MaxBucketsPerSign"/> buckets (32 KiB; a magnitude ratio of about 10^17); if a window's values span more,
/// the buckets of the smallest magnitudes are collapsed into one, which keeps the bound for the large values and
/// loses it (within [min, max]) only for the collapsed small ones.</para>
/// <para>Not thread-safe. <see cref="Clear"/> keeps the arrays so pooled sketches allocate nothing in steady state.</para>
/// </remarks>
public sealed class QuantileSketch
{
    /// <summary>The documented relative-error bound of <see cref="Quantile"/> (1 %).</summary>
    public const double RelativeAccuracy = 0.01;

    /// <summary>The relative width of a bucket, <c>γ − 1</c>: a little tighter than <see cref="RelativeAccuracy"/>.</summary>
    public const double InternalRelativeAccuracy = 0.0099;

    /// <summary>Values with a smaller magnitude are counted in the zero bucket.</summary>
    public const double MinIndexableMagnitude = 1e-9;

    /// <summary>The most buckets kept for each sign.</summary>
    public const int MaxBucketsPerSign = 4096;

    private const double Gamma = 1 + InternalRelativeAccuracy;
    private static readonly double InverseLogGamma = 1.0 / Math.Log(Gamma);
    private static readonly double LogGamma = Math.Log(Gamma);

    // Mutable structs held in fields (one object per sketch, no hop per store); the positive counts are allocated
    // with the sketch so that a pooled window's state sits together in memory. 32 buckets centred on the first value
    // cover ±16 buckets (±17 %), so a typical window never grows its array.
    private BucketStore _positive = new(32);
    private BucketStore _negative = new(0);
    private long _zeroCount;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>Number of values added.</summary>
    public long Count => _positive.Total + _negative.Total + _zeroCount;

    /// <summary>Number of buckets currently in use (for tests and memory accounting).</summary>
    public int BucketCount => _positive.Width + _negative.Width + (_zeroCount > 0 ? 1 : 0);

    /// <summary>The smallest value added (exact; NaN when empty).</summary>
    public double Min => Count == 0 ? double.NaN : _min;

    /// <summary>The largest value added (exact; NaN when empty).</summary>
    public double Max => Count == 0 ? double.NaN : _max;

    /// <summary>Adds one value. NaN and infinities must be rejected before they reach the sketch; they are ignored here.</summary>
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        if (value >= MinIndexableMagnitude)
        {
            _positive.Add(Index(value), 1);
        }
        else if (value <= -MinIndexableMagnitude)
        {
            _negative.Add(Index(-value), 1);
        }
        else
        {
            _zeroCount++;
        }

        if (value < _min)
        {
            _min = value;
        }

        if (value > _max)
        {
            _max = value;
        }
    }

    /// <summary>Adds every value counted in <paramref name="other"/>; <paramref name="other"/> is unchanged.</summary>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        _positive.Merge(in other._positive);
        _negative.Merge(in other._negative);
        _zeroCount += other._zeroCount;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>Forgets all values, keeping the allocated arrays.</summary>
    public void Clear()
    {
        _positive.Clear();
        _negative.Clear();
        _zeroCount = 0;
        _min = double.PositiveInfinity;
        _max = double.NegativeInfinity;
    }

    /// <summary>
    /// The approximate lower <paramref name="q"/>-quantile (0 ≤ q ≤ 1): within 1 % of the element of rank
    /// <c>floor(q · (n − 1))</c>, and within [<see cref="Min"/>, <see cref="Max"/>]. <see cref="double.NaN"/> when the sketch is empty.
    /// </summary>
    public double Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1.0);
        var count = Count;
        if (count == 0)
        {
            return double.NaN;
        }

        var rank = (long)Math.Floor(q * (count - 1));
        if (rank == 0 || rank == count - 1)
        {
            return rank == 0 ? _min : _max; // the extremes are known exactly
        }

        // Ascending value order: negatives from the largest magnitude down, then zero, then positives.
        if (rank < _negative.Total)
        {
            var (index, before, inBucket) = _negative.LocateFromTop(rank);
            return Interpolate(-Bound(index), -Bound(index - 1), rank - before, inBucket);
        }

        rank -= _negative.Total;
        if (rank < _zeroCount)
        {
            return Math.Clamp(0.0, _min, _max);
        }

        rank -= _zeroCount;
        var (i, below, c) = _positive.LocateFromBottom(rank);
        return Interpolate(Bound(i - 1), Bound(i), rank - below, c);
    }

    private static int Index(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) * InverseLogGamma);

    /// <summary>γ^index, the upper magnitude of bucket <paramref name="index"/> (may overflow to infinity at the very top; clamped by the caller).</summary>
    private static double Bound(int index) => Math.Exp(index * LogGamma);

    /// <summary>
    /// The value at position <paramref name="position"/> of <paramref name="count"/> in a bucket spanning
    /// [<paramref name="low"/>, <paramref name="high"/>] in value order, after narrowing the span to [min, max].
    /// </summary>
    private double Interpolate(double low, double high, long position, long count)
    {
        var lo = Math.Clamp(low, _min, _max);
        var hi = Math.Clamp(high, _min, _max);
        var fraction = count == 1 ? 0.5 : (double)position / (count - 1);
        return Math.Min(lo + ((hi - lo) * fraction), hi);
    }

    /// <summary>A dense array of counts for a contiguous range of bucket indices (a mutable struct: use it in place).</summary>
    private struct BucketStore
    {
        private long[] _counts;
        private int _offset; // bucket index of _counts[0]
        private int _minIndex;
        private int _maxIndex;

        public BucketStore(int initialLength)
        {
            _counts = initialLength == 0 ? [] : new long[initialLength];
            _minIndex = int.MaxValue;
            _maxIndex = int.MinValue;
        }

        public long Total { get; private set; }

        public readonly int Width => Total == 0 ? 0 : _maxIndex - _minIndex + 1;

        public void Add(int index, long count)
        {
            if (Total == 0)
            {
                if (_counts.Length == 0)
                {
                    _counts = new long[16];
                }

                _offset = index - (_counts.Length / 2);
                _minIndex = index;
                _maxIndex = index;
            }
            else if (index < _minIndex || index > _maxIndex)
            {
                index = Extend(index);
            }

            _counts[index - _offset] += count;
            Total += count;
        }

        public void Merge(in BucketStore other)
        {
            if (other.Total == 0)
            {
                return;
            }

            for (var i = other._minIndex; i <= other._maxIndex; i++)
            {
                var c = other._counts[i - other._offset];
                if (c != 0)
                {
                    Add(i, c);
                }
            }
        }

        public void Clear()
        {
            if (Total != 0)
            {
                Array.Clear(_counts, _minIndex - _offset, _maxIndex - _minIndex + 1);
            }

            Total = 0;
            _minIndex = int.MaxValue;
            _maxIndex = int.MinValue;
        }

        /// <summary>The bucket holding the value of <paramref name="rank"/> counting up from the smallest index, the values below it, and its count.</summary>
        public readonly (int Index, long Before, long Count) LocateFromBottom(long rank)
        {
            long seen = 0;
            for (var i = _minIndex; i <= _maxIndex; i++)
            {
                var c = _counts[i - _offset];
                if (seen + c > rank)
                {
                    return (i, seen, c);
                }

                seen += c;
            }

            throw new ArgumentOutOfRangeException(nameof(rank), rank, "beyond the values counted");
        }

        /// <summary>The bucket holding the value of <paramref name="rank"/> counting down from the largest index, the values above it, and its count.</summary>
        public readonly (int Index, long Before, long Count) LocateFromTop(long rank)
        {
            long seen = 0;
            for (var i = _maxIndex; i >= _minIndex; i--)
            {
                var c = _counts[i - _offset];
                if (seen + c > rank)
                {
                    return (i, seen, c);
                }

                seen += c;
            }

            throw new ArgumentOutOfRangeException(nameof(rank), rank, "beyond the values counted");
        }

        /// <summary>Widens the covered range to include <paramref name="index"/>; returns the index to count at (collapsed when needed).</summary>
        private int Extend(int index)
        {
            var newMin = Math.Min(_minIndex, index);
            var newMax = Math.Max(_maxIndex, index);
            if ((long)newMax - newMin + 1 > MaxBucketsPerSign)
            {
                // Collapse the smallest magnitudes: everything below newMax - Max + 1 goes into that bucket.
                var floor = newMax - MaxBucketsPerSign + 1;
                if (index < floor)
                {
                    index = floor;
                }

                if (_minIndex < floor)
                {
                    long collapsed = 0;
                    var upTo = Math.Min(_maxIndex, floor - 1);
                    for (var i = _minIndex; i <= upTo; i++)
                    {
                        collapsed += _counts[i - _offset];
                        _counts[i - _offset] = 0;
                    }

                    _minIndex = floor;
                    EnsureCovers(floor, Math.Max(newMax, _maxIndex));
                    _counts[floor - _offset] += collapsed;
                }

                newMin = Math.Min(_minIndex, index);
                newMax = Math.Max(_maxIndex, index);
            }

            EnsureCovers(newMin, newMax);
            _minIndex = newMin;
            _maxIndex = newMax;
            return index;
        }

        private void EnsureCovers(int min, int max)
        {
            if (min >= _offset && max < _offset + _counts.Length)
            {
                return;
            }

            var needed = max - min + 1;
            var length = _counts.Length;
            while (length < needed + 8)
            {
                length *= 2;
            }

            var newOffset = min - ((length - needed) / 2);
            var newCounts = new long[length];
            if (Total != 0 && _maxIndex >= _minIndex)
            {
                Array.Copy(_counts, _minIndex - _offset, newCounts, _minIndex - newOffset, _maxIndex - _minIndex + 1);
            }

            _counts = newCounts;
            _offset = newOffset;
        }
    }
}
