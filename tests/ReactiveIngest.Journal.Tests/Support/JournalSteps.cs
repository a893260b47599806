using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Journal.Tests.Support;

/// <summary>The steps the journal specs repeat: append numbered messages and wait for committed ones to be read.</summary>
internal static class JournalSteps
{
    /// <summary>Appends <see cref="TempJournal.Message"/> <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> − 1, each awaited to its commit.</summary>
    public static async Task AppendAsync(SourceJournal journal, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await journal.AppendAsync(TempJournal.Message(i));
        }
    }

    /// <summary>Reads until <paramref name="count"/> envelopes were read (30 s at most); none is released.</summary>
    public static async Task<List<Envelope<RawMessage>>> ReadAsync(SourceJournal journal, int count)
    {
        var read = new List<Envelope<RawMessage>>();
        await Eventually.TrueAsync(() =>
        {
            while (read.Count < count && journal.TryRead(out var e))
            {
                read.Add(e);
            }

            return read.Count == count;
        }, $"{count} entries read");
        return read;
    }
}
