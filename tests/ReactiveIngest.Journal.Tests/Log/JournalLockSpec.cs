using ReactiveIngest.Journal.Log;
using ReactiveIngest.Journal.Tests.Support;
using Xunit;

namespace ReactiveIngest.Journal.Tests.Log;

public sealed class JournalLockSpec : IDisposable
{
    private readonly TempJournal _dir = new();

    public JournalLockSpec() => Directory.CreateDirectory(_dir.Directory);

    [Fact]
    public void A_held_lock_should_refuse_a_second_taker_naming_the_lock_file_until_it_is_released()
    {
        var held = JournalLock.Take(_dir.Directory);
        Assert.Equal(Path.Combine(_dir.Directory, "journal.lock"), held.Path);

        var refused = Assert.Throws<IOException>(() => JournalLock.Take(_dir.Directory));
        Assert.Contains(held.Path, refused.Message, StringComparison.Ordinal);

        held.Dispose();
        using var again = JournalLock.Take(_dir.Directory);
        Assert.True(File.Exists(again.Path));
    }

    [Fact]
    public async Task A_second_instance_on_the_same_directory_should_be_refused()
    {
        await using var journal = SourceJournal.Open(_dir.Settings());
        var e = Assert.Throws<IOException>(() => SourceJournal.Open(_dir.Settings()));
        Assert.Contains("journal.lock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_journal_should_release_its_directory()
    {
        await using (var journal = SourceJournal.Open(_dir.Settings()))
        {
            Assert.Throws<IOException>(() => JournalLock.Take(_dir.Directory));
        }

        using var free = JournalLock.Take(_dir.Directory);
    }

    public void Dispose() => _dir.Dispose();
}
