using System.Collections.Concurrent;

namespace ReactiveIngest.Streams.Windows;

/// <summary>
/// An <see cref="IWindowProgressStore"/> in memory: for tests and the memory-only demo (nothing survives the process).
/// Holds at most <see cref="MaxEntries"/> (window, partition) entries; a save that would add more throws
/// <see cref="InvalidOperationException"/> (the stage retries and holds acknowledgements, so nothing is released early).
/// </summary>
public sealed class InMemoryWindowProgressStore : IWindowProgressStore
{
    private readonly ConcurrentDictionary<(string Window, string Partition), long> _entries = new();
    private long _saves;

    /// <summary>Creates an empty store holding at most <paramref name="maxEntries"/> entries.</summary>
    public InMemoryWindowProgressStore(int maxEntries = 65_536)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        MaxEntries = maxEntries;
    }

    /// <summary>The most (window, partition) entries held.</summary>
    public int MaxEntries { get; }

    /// <summary>Successful saves so far.</summary>
    public long Saves => Interlocked.Read(ref _saves);

    /// <summary>Every entry now, for inspection.</summary>
    public IReadOnlyDictionary<(string Window, string Partition), long> Snapshot() => new Dictionary<(string, string), long>(_entries);

    /// <inheritdoc />
    public Task<long?> LoadAsync(string window, string partition, CancellationToken cancellationToken = default) =>
        Task.FromResult(_entries.TryGetValue((window, partition), out var value) ? value : (long?)null);

    /// <inheritdoc />
    public Task SaveAsync(string window, IReadOnlyCollection<KeyValuePair<string, long>> finalWatermarks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(finalWatermarks);
        lock (_entries)
        {
            var added = finalWatermarks.Count(p => !_entries.ContainsKey((window, p.Key)));
            if (_entries.Count + added > MaxEntries)
            {
                throw new InvalidOperationException($"The in-memory window progress store holds at most {MaxEntries} (window, partition) entries.");
            }

            foreach (var (partition, watermark) in finalWatermarks)
            {
                _entries[(window, partition)] = watermark;
            }
        }

        Interlocked.Increment(ref _saves);
        return Task.CompletedTask;
    }
}
