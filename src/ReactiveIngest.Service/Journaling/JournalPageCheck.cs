using System.Numerics;
using Microsoft.Extensions.Options;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Service.Inputs;

namespace ReactiveIngest.Service.Journaling;

/// <summary>
/// Checks at start-up that the largest message every journaled input admits (<c>MaxMessageBytes</c>) fits in one
/// journal page (<see cref="JournalOptions.PageSize"/>), naming both keys and the page size that would do. Inputs that
/// journal at their edge (HTTP) check their own limit; inputs that are not journaled (Kafka: the topic is their log) need no check.
/// </summary>
public sealed class JournalPageCheck(IEnumerable<IInput> inputs) : IValidateOptions<JournalOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, JournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        foreach (var input in inputs.Where(i => i.Journaling == InputJournaling.ByPipeline))
        {
            if (input.MaxMessageBytes is { } limit && Problem($"{input.Key ?? input.Name}:MaxMessageBytes", limit, options) is { } problem)
            {
                errors.Add(problem);
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Null when a message of <paramref name="maxMessageBytes"/> fits a page of <paramref name="options"/>, else what to change.</summary>
    public static string? Problem(string limitKey, long maxMessageBytes, JournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var needed = JournalEntryCodec.EntryBytesFor(maxMessageBytes) + 64;
        if (needed <= options.PageSize)
        {
            return null;
        }

        var page = needed > 1L << 30 ? needed : (long)BitOperations.RoundUpToPowerOf2((ulong)needed);
        var largest = options.PageSize - 64 - JournalEntryCodec.EntryBytesFor(0);
        return $"{limitKey} ({maxMessageBytes} bytes) does not fit in one journal page of {options.PageSize} bytes: lower {limitKey} to at most {largest}, " +
            $"raise {JournalOptions.SectionName}:PageSize to {page} (a power of two, at most {JournalOptions.SectionName}:SegmentSize), " +
            $"or switch the journal off ({JournalOptions.SectionName}:Enabled=false).";
    }
}
