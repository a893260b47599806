namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>What the verifier found.</summary>
/// <param name="Received">Messages received.</param>
/// <param name="Lost">Accepted messages not received (summed per device).</param>
/// <param name="Duplicates">Messages received more often than accepted (summed per device).</param>
/// <param name="Malformed">Received payloads that did not parse (the injected malformed ones).</param>
/// <param name="AggregatesChecked">Ground-truth windows compared.</param>
/// <param name="AggregateMismatches">Windows that differ or exist on one side only.</param>
/// <param name="Incomplete">True when a limit stopped aggregate checking.</param>
public sealed record DeliveryVerdict(long Received, long Lost, long Duplicates, long Malformed, long AggregatesChecked, long AggregateMismatches, bool Incomplete);
