namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>What one device did during a run.</summary>
public sealed class DeviceTally
{
    /// <summary>The device.</summary>
    public string DeviceId { get; set; } = string.Empty;

    /// <summary>Its kind.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>Its constant clock skew in ms.</summary>
    public long ClockSkewMs { get; set; }

    /// <summary>Messages the broker accepted (every copy, malformed ones included).</summary>
    public long Published { get; set; }

    /// <summary>Distinct valid readings the broker accepted: what storage should hold.</summary>
    public long Readings { get; set; }

    /// <summary>Malformed payloads accepted.</summary>
    public long Malformed { get; set; }

    /// <summary>Duplicate copies accepted.</summary>
    public long Duplicates { get; set; }

    /// <summary>Readings generated while offline and discarded (buffer full, or buffering off): never sent.</summary>
    public long Discarded { get; set; }
}
