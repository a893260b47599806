namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// What happens to windows that are still open when the service stops. In every mode the inputs are closed first and
/// raw points and dead letters in flight are written; the modes differ only in the open windows.
/// </summary>
/// <remarks>
/// HTTP-ingested readings carry no acknowledgement and are never redelivered, so their share of an open window depends
/// on the mode: with <see cref="Redeliver"/> it is lost from the aggregate (their raw points are stored); with
/// <see cref="Provisional"/> it is in the provisional result, which stays if no broker message of that window is
/// redelivered and is replaced (without the HTTP readings) if one is; with <see cref="Flush"/> it is kept, at the cost of
/// partial overwrites for broker inputs. A window whose messages were acknowledged is final and its partitions' window
/// progress is saved (except windows acknowledged by <see cref="Flush"/>), so readings of it that arrive after the restart
/// are not folded into it again, in every mode; windows that were not final yet (open, or within the allowed lateness)
/// keep their messages unacknowledged in <see cref="Redeliver"/> and <see cref="Provisional"/> and are rebuilt from all
/// of them.
/// </remarks>
public enum OpenWindowsOnShutdown
{
    /// <summary>
    /// Leave them: their messages stay unacknowledged and the broker redelivers them on restart, so the window is
    /// rebuilt from all its readings (correct aggregates; needs MQTT QoS ≥ 1 persistent sessions or Kafka). Nothing of
    /// the open windows is stored until the restart.
    /// </summary>
    Redeliver = 0,

    /// <summary>
    /// Emit them as they are and acknowledge their messages. Readings of the same window that arrive after the
    /// restart then produce a second, partial result that overwrites the first. Use for HTTP-only inputs.
    /// </summary>
    Flush = 1,

    /// <summary>
    /// The default. Write them as provisional results (the pipeline drains: every open window is stored as it is) but do
    /// not acknowledge their messages, so the broker redelivers them on restart and the recomputed window, which has the
    /// same identity, overwrites the provisional one with the exact result. Between stop and restart the store shows
    /// the partial window instead of nothing. Needs MQTT QoS ≥ 1 persistent sessions or Kafka, like <see cref="Redeliver"/>.
    /// </summary>
    Provisional = 2,
}
