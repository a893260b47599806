namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>Injected faults that a verifier must account for reading by reading.</summary>
public enum InjectionKind
{
    /// <summary>A malformed payload (should become a dead letter).</summary>
    Malformed = 0,

    /// <summary>A second identical copy of a reading (should be stored once).</summary>
    Duplicate = 1,

    /// <summary>A reading sent long after its event time.</summary>
    Late = 2,

    /// <summary>A reading sent after a newer reading of the same device.</summary>
    OutOfOrder = 3,

    /// <summary>A reading kept while offline and uploaded in a batch on reconnect.</summary>
    OfflineBatch = 4,
}
