using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Journaling;

namespace ReactiveIngest.Service.Inputs.Http;

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
        else if (journal.Value is { Enabled: true } journalOptions &&
            JournalPageCheck.Problem($"{Prefix}:MaxMessageBytes", options.MaxMessageBytes, journalOptions) is { } problem)
        {
            errors.Add(problem);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
