namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>Count, sum, min and max of the values in one window.</summary>
public readonly record struct WindowStats(long Count, double Sum, double Min, double Max)
{
    /// <summary>A window with one value.</summary>
    public static WindowStats Of(double value) => new(1, value, value, value);

    /// <summary>This window with one more value.</summary>
    public WindowStats Add(double value) => Count == 0 ? Of(value) : new(Count + 1, Sum + value, Math.Min(Min, value), Math.Max(Max, value));

    /// <summary>The window holding the values of both.</summary>
    public WindowStats Merge(WindowStats other) =>
        other.Count == 0 ? this : Count == 0 ? other : new(Count + other.Count, Sum + other.Sum, Math.Min(Min, other.Min), Math.Max(Max, other.Max));

    /// <summary>Whether two windows agree: equal counts, min and max, and sums equal within a relative 1e-9 (summation order differs).</summary>
    public bool Matches(WindowStats other) =>
        Count == other.Count &&
        Min.Equals(other.Min) &&
        Max.Equals(other.Max) &&
        Math.Abs(Sum - other.Sum) <= 1e-9 * Math.Max(1.0, Math.Max(Math.Abs(Sum), Math.Abs(other.Sum)));
}
