using Microsoft.Extensions.Options;
using ReactiveIngest.Journal.Log;

namespace ReactiveIngest.Service.Journaling;

/// <summary>Checks <see cref="JournalOptions"/>, naming the key of every problem, and that the directory is writable.</summary>
public sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
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
        var key = JournalOptions.SectionName;
        if (options.CommitInterval < TimeSpan.FromMilliseconds(1) || options.CommitInterval > TimeSpan.FromSeconds(1))
        {
            errors.Add($"{key}:CommitInterval must be from 00:00:00.001 to 00:00:01; it is {options.CommitInterval}.");
        }

        var settings = SettingsFor(options, "check", options.EffectiveDirectory) with { CommitInterval = TimeSpan.FromMilliseconds(5) };
        errors.AddRange(settings.Validate()
            .Where(e => !e.StartsWith(nameof(JournalSettings.SourceName), StringComparison.Ordinal))
            .Select(e => $"{key}:{e}"));
        var directory = options.EffectiveDirectory;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            errors.Add($"{key}:Directory '{directory}' is not writable: {e.Message} (set {key}:Directory, or {key}:Enabled=false).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The journal settings of one source.</summary>
    public static JournalSettings SettingsFor(JournalOptions options, string source, string directory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JournalSettings(directory, source)
        {
            SegmentSize = options.SegmentSize,
            PageSize = options.PageSize,
            DiskBudget = options.DiskBudget,
            CommitInterval = options.CommitInterval,
            MaxUnreleasedEntries = options.MaxUnreleasedEntries,
        };
    }
}
