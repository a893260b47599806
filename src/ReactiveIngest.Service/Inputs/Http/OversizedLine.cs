namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>The first line of a write that is longer than the message limit (<see cref="HttpIngestOptions.MaxMessageBytes"/>).</summary>
/// <param name="Number">The line number in the request body, from 1.</param>
/// <param name="Bytes">The line's length in bytes (without its newline; with its timestamp in nanoseconds when converted).</param>
public sealed record OversizedLine(int Number, int Bytes);
