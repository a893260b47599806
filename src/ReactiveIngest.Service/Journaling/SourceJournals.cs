using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Options;
using ReactiveIngest.Journal.Log;

namespace ReactiveIngest.Service.Journaling;

/// <summary>
/// The open journals, one per source, each in its own sub-directory of <see cref="JournalOptions.EffectiveDirectory"/>
/// (named after the source). Opened on first use, closed (with a last commit) when the host disposes this.
/// </summary>
/// <remarks>Bounded by the configured sources: one journal per source name.</remarks>
public sealed class SourceJournals(IOptions<JournalOptions> options, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<SourceJournal>> _journals = new(StringComparer.Ordinal);

    /// <summary>Whether sources go through journals.</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>The journals opened so far, by source name.</summary>
    public IReadOnlyList<SourceJournal> All => [.. _journals.Values.Where(l => l.IsValueCreated).Select(l => l.Value).OrderBy(j => j.SourceName, StringComparer.Ordinal)];

    /// <summary>The journal of <paramref name="source"/>, opened (and recovered) on first use.</summary>
    public SourceJournal For(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _journals.GetOrAdd(source, s => new Lazy<SourceJournal>(() => Open(s))).Value;
    }

    /// <summary>The journals' statistics now.</summary>
    public IReadOnlyList<JournalStatistics> Statistics() => [.. All.Select(j => j.Statistics)];

    /// <summary>The sub-directory name of a source: letters, digits, '-' and '_' kept, anything else as '_' plus its code.</summary>
    public static string DirectoryName(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var name = new StringBuilder(source.Length);
        foreach (var c in source)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            {
                name.Append(c);
            }
            else
            {
                name.Append('_').Append(((int)c).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return name.ToString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var journal in All)
        {
            await journal.DisposeAsync();
        }

        _journals.Clear();
    }

    private SourceJournal Open(string source)
    {
        var value = options.Value;
        var directory = Path.Combine(value.EffectiveDirectory, DirectoryName(source));
        return SourceJournal.Open(JournalOptionsValidator.SettingsFor(value, source, directory), loggerFactory.CreateLogger<SourceJournal>());
    }
}
