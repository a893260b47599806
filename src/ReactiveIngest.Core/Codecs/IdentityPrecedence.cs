namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Which source wins when both the payload and the topic template give a device id or the same tag key.
/// </summary>
public enum IdentityPrecedence
{
    /// <summary>The payload's device id and tags win; the topic fills in what the payload lacks (default).</summary>
    PayloadWins = 0,

    /// <summary>The topic's device id and tags win; the payload fills in what the topic lacks.</summary>
    TopicWins = 1,
}
