namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>The ceiling search (<c>--find-ceiling</c>): doubling from <see cref="StartRate"/> until a step fails, then bisecting.</summary>
public sealed class CeilingOptions
{
    /// <summary>The first rate tried (msg/s). Default 2000.</summary>
    public double StartRate { get; set; } = 2000;

    /// <summary>The highest rate tried (msg/s). Default 64 000.</summary>
    public double MaxRate { get; set; } = 64_000;

    /// <summary>Send duration of each step. Default 10 s.</summary>
    public double StepSec { get; set; } = 10;

    /// <summary>Bisection steps after the first failure. Default 3.</summary>
    public int Refine { get; set; } = 3;
}
