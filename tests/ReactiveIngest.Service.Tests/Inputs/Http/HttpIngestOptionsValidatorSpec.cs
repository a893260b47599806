using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

public sealed class HttpIngestOptionsValidatorSpec
{
    /// <summary>The largest MaxMessageBytes that fits the default 1 MiB journal page: 1 MiB − 64 − the 30 bytes an entry may add (JournalEntryCodec.EntryBytesFor).</summary>
    private const int LargestFitting = (1024 * 1024) - 64 - 30;

    private static ValidateOptionsResult Validate(HttpIngestOptions options, bool journal = true) =>
        new HttpIngestOptionsValidator(Options.Create(new JournalOptions { Enabled = journal })).Validate(null, options);

    [Fact]
    public void Every_invalid_http_ingest_setting_should_be_reported_at_once_naming_its_key()
    {
        var result = Validate(new HttpIngestOptions { QueueCapacity = 0, RetryAfterSeconds = 0, MaxMessageBytes = 0 });
        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("ReactiveIngest:Sources:Http:QueueCapacity ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ReactiveIngest:Sources:Http:RetryAfterSeconds ", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ReactiveIngest:Sources:Http:MaxMessageBytes ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_message_limit_that_does_not_fit_a_journal_page_should_fail_naming_the_limit_and_the_journal_key()
    {
        Assert.False(Validate(new HttpIngestOptions { MaxMessageBytes = LargestFitting }).Failed);
        var result = Validate(new HttpIngestOptions { MaxMessageBytes = LargestFitting + 1 });
        var failure = Assert.Single(result.Failures!);
        Assert.Contains("ReactiveIngest:Sources:Http:MaxMessageBytes", failure, StringComparison.Ordinal);
        Assert.Contains("ReactiveIngest:Journal:Enabled", failure, StringComparison.Ordinal);
        Assert.Contains($"at most {LargestFitting}", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_journal_a_message_limit_larger_than_a_page_should_be_accepted()
    {
        Assert.False(Validate(new HttpIngestOptions { MaxMessageBytes = 4 * 1024 * 1024 }, journal: false).Failed);
    }

    [Fact]
    public async Task A_message_of_the_largest_limit_the_check_accepts_should_fit_in_a_journal_entry()
    {
        // The check's arithmetic against the journal itself: an HTTP message (empty topic, no key) of that size appends.
        var directory = TestJournalDirectory.New();
        await using var journal = SourceJournal.Open(new JournalSettings(directory, HttpCodecs.LineProtocolSource));
        var payload = Encoding.ASCII.GetBytes(new string('x', LargestFitting));
        var message = new RawMessage(payload, new MessageContext(string.Empty, UnixTime.Now()), HttpCodecs.LineProtocolSource);
        Assert.Equal(JournalEntryCodec.EntryBytesFor(LargestFitting), JournalEntryCodec.SizeOf(message) + 2 + 8); // no key, not oversize
        await journal.AppendAsync(message);
        Assert.Equal(1, journal.Statistics.Appended);
        Assert.Equal(JournalAppendStatus.TooLarge, journal.TryAppend(
            new RawMessage(new byte[LargestFitting + 23], new MessageContext(string.Empty, UnixTime.Now()), HttpCodecs.LineProtocolSource), true, null));
    }

    [Fact]
    public void The_service_should_not_start_with_a_message_limit_its_journal_cannot_hold()
    {
        using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.UseSetting("ReactiveIngest:Sources:Http:MaxMessageBytes", "1048576");
        });
        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());
        Assert.Contains("ReactiveIngest:Sources:Http:MaxMessageBytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReactiveIngest:Journal:Enabled", error.Message, StringComparison.Ordinal);
    }
}
