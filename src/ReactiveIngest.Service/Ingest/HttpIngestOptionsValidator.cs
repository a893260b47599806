using Microsoft.Extensions.Options;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Service.Journaling;

namespace ReactiveIngest.Service.Ingest;

/// <summary>
/// Checks <see cref="HttpIngestOptions"/>, reporting every problem with the key to fix, including that with the
/// journal on the largest message fits in one journal entry.
/// </summary>
public sealed class HttpIngestOptionsValidator(IOptions<JournalOptions> journal) : IValidateOptions<HttpIngestOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HttpIngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Prefix = HttpIngestOptions.SectionName;
        var errors = new List<string>();
        if (options.QueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"{Prefix}:QueueCapacity must be between 1 and 1000000 (is {options.QueueCapacity}).");
        }

        if (options.RetryAfterSeconds is < 1 or > 3600)
        {
            errors.Add($"{Prefix}:RetryAfterSeconds must be between 1 and 3600 (is {options.RetryAfterSeconds}).");
        }

        if (options.MaxMessageBytes < 1)
        {
            errors.Add($"{Prefix}:MaxMessageBytes must be at least 1 (is {options.MaxMessageBytes}).");
        }
        else if (journal.Value is { Enabled: true } journalOptions)
        {
            // The page size the service's journals are opened with (JournalOptions has no key for it: JournalSettings' default).
            var pageSize = JournalOptionsValidator.SettingsFor(journalOptions, HttpCodecs.LineProtocolSource, journalOptions.Directory).PageSize;
            var room = pageSize - 64;
            var entry = (long)options.MaxMessageBytes + JournalEntryCodec.EntryBytesFor(0);
            if (entry > room)
            {
                errors.Add(
                    $"{Prefix}:MaxMessageBytes ({options.MaxMessageBytes}) does not fit in a journal entry: with the entry header " +
                    $"({JournalEntryCodec.EntryBytesFor(0)} bytes) it must be at most the journal page ({pageSize} bytes) less 64, so at most " +
                    $"{room - JournalEntryCodec.EntryBytesFor(0)}; lower it, or switch the journal off ({JournalOptions.SectionName}:Enabled=false).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
