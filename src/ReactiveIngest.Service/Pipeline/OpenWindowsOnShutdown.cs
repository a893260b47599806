namespace ReactiveIngest.Service.Pipeline;

/// <summary>What happens to windows that are still open when the service stops.</summary>
public enum OpenWindowsOnShutdown
{
    /// <summary>
    /// Leave them: their messages stay unacknowledged and the broker redelivers them on restart, so the window is
    /// rebuilt from all its readings (correct aggregates; needs MQTT QoS ≥ 1 persistent sessions or Kafka).
    /// </summary>
    Redeliver = 0,

    /// <summary>
    /// Emit them as they are and acknowledge their messages. Readings of the same window that arrive after the
    /// restart then produce a second, partial result that overwrites the first. Use for HTTP-only inputs.
    /// </summary>
    Flush = 1,
}
