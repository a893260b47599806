using ReactiveIngest.Streams.Limits;

namespace ReactiveIngest.Service.Inputs;

/// <summary>
/// Limits an input enforces at its edge, before its journal, bound from the input's own section
/// (<c>ReactiveIngest:Sources:Mqtt:N:MaxMessageBytes</c>, <c>…:Kafka:N:MaxMessageBytes</c>).
/// </summary>
public sealed class InputLimits
{
    /// <summary>
    /// The largest message taken whole, in bytes (payload, topic and key as UTF-8); default 256 KiB. A larger message
    /// is dead-lettered with reason <c>TooLarge</c>, its size and its first 1 KiB, and acknowledged so that it is never
    /// redelivered. With the journal on it must fit in a journal page (<c>ReactiveIngest:Journal:PageSize</c>, checked
    /// at start-up).
    /// </summary>
    public int MaxMessageBytes { get; set; } = MessageSizeLimit.DefaultMaxMessageBytes;

    /// <summary>The problems, each naming its key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (MaxMessageBytes < 1)
        {
            yield return $"{prefix}:MaxMessageBytes must be at least 1; it is {MaxMessageBytes}.";
        }
    }
}
