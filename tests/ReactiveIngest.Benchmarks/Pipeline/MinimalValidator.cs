using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Benchmarks.Pipeline;

/// <summary>Benchmark-only stand-in for the production validator: finite value, non-empty identifiers, sane time.</summary>
public sealed class MinimalValidator : IReadingValidator
{
    private static readonly long MinTimestamp = 946_684_800L * UnixTime.NanosPerSecond; // 2000-01-01

    /// <inheritdoc />
    public RejectReason? Validate(in Reading reading, out string? detail)
    {
        detail = null;
        if (!double.IsFinite(reading.Value))
        {
            detail = "value is not finite";
            return RejectReason.NotFinite;
        }

        if (reading.DeviceId.Length == 0 || reading.Metric.Length == 0)
        {
            detail = "empty identifier";
            return RejectReason.EmptyIdentifier;
        }

        if (reading.TimestampNs < MinTimestamp)
        {
            detail = "timestamp before 2000";
            return RejectReason.TimestampTooFarInPast;
        }

        return null;
    }
}
