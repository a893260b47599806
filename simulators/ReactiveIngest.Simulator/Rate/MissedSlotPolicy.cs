namespace ReactiveIngest.Simulator.Rate;

/// <summary>What the sender does with a slot it reaches too late.</summary>
public enum MissedSlotPolicy
{
    /// <summary>Send it anyway; its latency (measured from the intended time) includes the delay. Default.</summary>
    SendLate = 0,

    /// <summary>Do not send it; it is counted as skipped and never generated.</summary>
    Skip = 1,
}
