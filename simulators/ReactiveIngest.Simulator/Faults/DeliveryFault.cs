namespace ReactiveIngest.Simulator.Faults;

/// <summary>What happens to one reading on its way out. At most one per reading.</summary>
public enum DeliveryFault
{
    /// <summary>Sent once, on time.</summary>
    None = 0,

    /// <summary>Sent as a malformed payload.</summary>
    Malformed = 1,

    /// <summary>Sent twice.</summary>
    Duplicate = 2,

    /// <summary>Sent after the device's next reading.</summary>
    OutOfOrder = 3,

    /// <summary>Sent late.</summary>
    Late = 4,
}
