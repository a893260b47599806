using System.Text;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;

namespace ReactiveIngest.Journal.Tests.Support;

/// <summary>A journal directory of its own under the temp folder, deleted afterwards; small pages and segments.</summary>
internal sealed class TempJournal : IDisposable
{
    public TempJournal() =>
        Directory = Path.Combine(Path.GetTempPath(), "reactiveingest-journal-tests", Guid.NewGuid().ToString("N"));

    public string Directory { get; }

    public JournalSettings Settings(string source = "mqtt:test") => new(Directory, source)
    {
        SegmentSize = 1024 * 1024,
        PageSize = 64 * 1024,
        DiskBudget = 4 * 1024 * 1024,
        CommitInterval = TimeSpan.FromMilliseconds(2),
    };

    public static RawMessage Message(int seq, string topic = "devices/d1") =>
        new(Encoding.UTF8.GetBytes($"{{\"deviceId\":\"d1\",\"seq\":{seq}}}"), new MessageContext(topic, 1_700_000_000_000_000_000 + seq, seq % 2 == 0 ? null : "k" + seq), "ignored", seq % 3);

    public static int SeqOf(RawMessage message)
    {
        using var json = System.Text.Json.JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("seq").GetInt32();
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
