namespace ReactiveIngest.Core.Codecs;

/// <summary>What the line-protocol decoder does with a field that is not a number (a string, or a boolean when booleans are not numbers).</summary>
public enum NonNumericFieldHandling
{
    /// <summary>
    /// Leave the field out and count it in <see cref="LineProtocolDecoder.SkippedFields"/> (default). A message
    /// whose every field is skipped is rejected with <c>NoMetrics</c>, so nothing vanishes silently.
    /// </summary>
    Skip = 0,

    /// <summary>Reject the whole message with <c>WrongType</c>.</summary>
    Reject = 1,
}
