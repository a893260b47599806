namespace ReactiveIngest.Core.Validation;

/// <summary>
/// The outcome of a validation: valid, or a reason code with a detail. A struct, so the valid outcome
/// (<c>default</c>) costs no allocation.
/// </summary>
public readonly record struct ValidationResult
{
    private ValidationResult(RejectReason reason, string detail)
    {
        Reason = reason;
        Detail = detail;
    }

    /// <summary>The valid outcome.</summary>
    public static ValidationResult Valid => default;

    /// <summary>Whether the reading or message is acceptable.</summary>
    public bool IsValid => Reason is null;

    /// <summary>Why it was rejected, or null when valid.</summary>
    public RejectReason? Reason { get; }

    /// <summary>What exactly is wrong (the field and the limit), or null when valid.</summary>
    public string? Detail { get; }

    /// <summary>A rejection.</summary>
    public static ValidationResult Reject(RejectReason reason, string detail) => new(reason, detail);

    /// <inheritdoc />
    public override string ToString() => IsValid ? "Valid" : $"{Reason}: {Detail}";
}
