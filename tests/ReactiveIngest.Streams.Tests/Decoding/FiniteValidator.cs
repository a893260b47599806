using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Streams.Tests.Decoding;

/// <summary>A test validator that rejects non-finite values.</summary>
internal sealed class FiniteValidator : IReadingValidator
{
    public RejectReason? Validate(in Reading reading, out string? detail)
    {
        if (double.IsFinite(reading.Value))
        {
            detail = null;
            return null;
        }

        detail = "value is not finite";
        return RejectReason.NotFinite;
    }
}
