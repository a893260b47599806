namespace ReactiveIngest.Kafka.Consumer;

/// <summary>A snapshot of a Kafka source's counters.</summary>
/// <param name="RecordsReceived">Records the consumer thread took from librdkafka.</param>
/// <param name="RecordsEmitted">Records pushed downstream.</param>
/// <param name="RecordsReleased">Handles released by downstream.</param>
/// <param name="RecordsDroppedOnRevoke">Waiting records dropped because their partition was revoked or lost (redelivered to the next owner).</param>
/// <param name="RecordsWhilePaused">Records that arrived for a partition after it was paused (kept, counted).</param>
/// <param name="DuplicatesSuppressed">Records below the next expected offset of their partition (dropped, counted).</param>
/// <param name="WaitingNow">Records handed to the stage and not yet emitted, all partitions.</param>
/// <param name="PeakWaitingPerPartition">The most records ever waiting for one partition.</param>
/// <param name="PausedNow">Partitions paused right now.</param>
/// <param name="Pauses">Times a partition was paused.</param>
/// <param name="Resumes">Times a partition was resumed.</param>
/// <param name="Commits">Successful commit requests.</param>
/// <param name="CommitFailures">Failed commit requests (their offsets are retried with the next commit).</param>
/// <param name="Assigned">Partitions assigned over the source's life.</param>
/// <param name="Revoked">Partitions revoked over the source's life.</param>
/// <param name="Lost">Partitions lost over the source's life.</param>
/// <param name="ClientErrors">Non-fatal errors librdkafka reported (e.g. a broker down).</param>
/// <param name="LastClientError">The latest such error.</param>
public sealed record KafkaSourceStatistics(
    long RecordsReceived,
    long RecordsEmitted,
    long RecordsReleased,
    long RecordsDroppedOnRevoke,
    long RecordsWhilePaused,
    long DuplicatesSuppressed,
    long WaitingNow,
    long PeakWaitingPerPartition,
    long PausedNow,
    long Pauses,
    long Resumes,
    long Commits,
    long CommitFailures,
    long Assigned,
    long Revoked,
    long Lost,
    long ClientErrors,
    string? LastClientError);
