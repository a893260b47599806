using ReactiveIngest.Core.Codecs;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>One line of a write that could not be decoded.</summary>
/// <param name="Number">The line number in the request body, from 1.</param>
/// <param name="Bytes">The line exactly as received (without its newline).</param>
/// <param name="Error">Why it was rejected (the detail without a line number).</param>
public sealed record RejectedLine(int Number, ReadOnlyMemory<byte> Bytes, DecodeError Error);
