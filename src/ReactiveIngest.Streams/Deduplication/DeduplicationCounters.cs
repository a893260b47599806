namespace ReactiveIngest.Streams.Deduplication;

/// <summary>
/// Totals of a <see cref="DeduplicateStage"/>, readable from any thread (a status page, a metrics exporter). One
/// instance may be shared by several stages; they add to it once per batch with interlocked operations.
/// </summary>
public sealed class DeduplicationCounters
{
    private long _duplicates;
    private long _batchesEmptied;
    private long _keysEvicted;

    /// <summary>Readings dropped because the same identity was seen recently.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Batches whose readings were all duplicates (their acknowledgement handle was released by the stage).</summary>
    public long BatchesEmptied => Interlocked.Read(ref _batchesEmptied);

    /// <summary>Series forgotten to stay within the key bound (a later duplicate of them is not detected).</summary>
    public long KeysEvicted => Interlocked.Read(ref _keysEvicted);

    internal void Add(long duplicates, long batchesEmptied, long keysEvicted)
    {
        if (duplicates != 0)
        {
            Interlocked.Add(ref _duplicates, duplicates);
        }

        if (batchesEmptied != 0)
        {
            Interlocked.Add(ref _batchesEmptied, batchesEmptied);
        }

        if (keysEvicted != 0)
        {
            Interlocked.Add(ref _keysEvicted, keysEvicted);
        }
    }
}
