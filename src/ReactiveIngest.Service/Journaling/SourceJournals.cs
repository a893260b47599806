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
    private volatile bool _reopening;

    /// <summary>Whether sources go through journals.</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>The journals opened so far, by source name.</summary>
    public IReadOnlyList<SourceJournal> All => [.. _journals.Values.Where(l => l.IsValueCreated).Select(l => l.Value).OrderBy(j => j.SourceName, StringComparer.Ordinal)];

    /// <summary>The journal of <paramref name="source"/>, opened (and recovered) on first use.</summary>
    /// <exception cref="ObjectDisposedException">The journals are being reopened (<see cref="ReopenAsync"/>); retry later.</exception>
    public SourceJournal For(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_reopening, this);
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

    /// <summary>
    /// After a graph failed: holds every journal's truncation point (what the failed graph released while torn down is
    /// read again), closes the journals with a last commit, so what was appended is kept and its sources acknowledged,
    /// and lets <see cref="For"/> open and recover them anew, so the next graph reads every unreleased entry again.
    /// </summary>
    public async Task ReopenAsync()
    {
        _reopening = true;
        try
        {
            foreach (var journal in All)
            {
                journal.HoldTruncation();
            }

            await DisposeAsync();
        }
        finally
        {
            _reopening = false;
        }
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
