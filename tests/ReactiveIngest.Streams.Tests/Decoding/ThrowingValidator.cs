using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Streams.Tests.Decoding;

/// <summary>A test validator that accepts every reading but throws for the readings of one device (a validator bug).</summary>
internal sealed class ThrowingValidator(string device) : IReadingValidator
{
    public RejectReason? Validate(in Reading reading, out string? detail)
    {
        if (reading.DeviceId == device)
        {
            throw new InvalidOperationException("validator bug");
        }

        detail = null;
        return null;
    }
}
