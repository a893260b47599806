namespace ReactiveIngest.Streams.Delivery;

/// <summary>
/// An element in the data path together with the acknowledgement handle of the message it came from.
/// Whoever makes the element durable (or drops it on purpose into a counted side output) releases
/// one reference of <see cref="Ack"/>.
/// </summary>
public sealed record Envelope<T>(T Payload, AckHandle Ack);
