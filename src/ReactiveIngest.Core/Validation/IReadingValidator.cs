using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Validation;

/// <summary>
/// Checks one decoded reading (identifiers, value, timestamp range). Implementations are stateless or
/// thread-safe and allocate nothing for a valid reading.
/// </summary>
public interface IReadingValidator
{
    /// <summary>Validates <paramref name="reading"/>.</summary>
    /// <param name="reading">The reading to check.</param>
    /// <param name="detail">When rejected, a human-readable explanation naming the offending field.</param>
    /// <returns><c>null</c> when the reading is acceptable, otherwise the reason it is rejected.</returns>
    RejectReason? Validate(in Reading reading, out string? detail);
}
