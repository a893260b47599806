using Akka;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Journal.Stages;

/// <summary>Puts a source's messages through its journal (see <see cref="SourceJournal"/>).</summary>
public static class Journaled
{
    /// <summary>
    /// A flow that appends what it receives to <paramref name="journal"/> (releasing each handle once its entry is
    /// committed) and emits the journal's entries, each with a handle that lets the journal truncate past it.
    /// </summary>
    public static Flow<Envelope<RawMessage>, Envelope<RawMessage>, NotUsed> Flow(SourceJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return Akka.Streams.Dsl.Flow.FromGraph(new JournalStage(journal));
    }

    /// <summary><paramref name="source"/> through <paramref name="journal"/>, keeping the source's materialized value.</summary>
    public static Source<Envelope<RawMessage>, TMat> Via<TMat>(Source<Envelope<RawMessage>, TMat> source, SourceJournal journal)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Via(Flow(journal));
    }

    /// <summary>
    /// The entries of a journal that others append to (<see cref="SourceJournal.AppendAsync"/>, e.g. HTTP requests).
    /// Completes once <see cref="SourceJournal.CompleteWriting"/> was called and every entry was emitted.
    /// </summary>
    public static Source<Envelope<RawMessage>, NotUsed> Source(SourceJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return Akka.Streams.Dsl.Source.Never<Envelope<RawMessage>>().Via(Flow(journal));
    }
}
