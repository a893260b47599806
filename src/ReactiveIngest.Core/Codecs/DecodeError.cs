using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Core.Codecs;

/// <summary>Why a payload could not be decoded: a reason code for counters and a detail for people.</summary>
/// <param name="Reason">The reason code.</param>
/// <param name="Detail">A human-readable explanation naming the offending field or position.</param>
public readonly record struct DecodeError(RejectReason Reason, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Reason}: {Detail}";
}
