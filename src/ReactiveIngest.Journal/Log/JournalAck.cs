using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Journal.Log;

/// <summary>The handle of one entry read from a journal: its release lets the journal truncate past the entry.</summary>
internal sealed class JournalAck(SourceJournal journal, long sequence) : AckHandle
{
    protected override void OnReleased() => journal.Release(sequence);
}
