using System.Runtime;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// Gives back the memory very large messages took. A multi-megabyte message (cut at its input's edge and
/// dead-lettered, or an HTTP body refused at its limit) has been received by its client library or read up to the
/// limit in large-object-heap arrays; once they are garbage the runtime keeps their memory committed (measured here: a
/// 16 MB MQTT message left the service ~50 MB larger for good, with no live object behind it). So once such messages
/// have stopped arriving for <see cref="Quiet"/>, one aggressive, compacting collection runs on a thread-pool thread,
/// at most once per <see cref="MinInterval"/>: a burst of large messages costs one collection, ordinary traffic none.
/// </summary>
public sealed class OversizeMemoryReclaimer(TimeProvider timeProvider)
{
    /// <summary>Messages at least this large call for a collection: large-object-heap scale, far above telemetry.</summary>
    public const long Threshold = 1024 * 1024;

    /// <summary>How long after the last large message the collection runs (a burst is collected once, at its end).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    /// <summary>The shortest time between two collections.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(10);

    private long _lastLargeTicks;
    private long _lastCollectionTicks = long.MinValue;
    private int _scheduled;
    private long _collections;

    /// <summary>Collections run so far.</summary>
    public long Collections => Interlocked.Read(ref _collections);

    /// <summary>Called with the size of each oversize message; schedules a collection when it is worth one.</summary>
    public void Notify(long messageBytes)
    {
        if (messageBytes < Threshold)
        {
            return;
        }

        Interlocked.Exchange(ref _lastLargeTicks, timeProvider.GetTimestamp());
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _ = Task.Run(CollectWhenQuietAsync);
        }
    }

    /// <summary>After an HTTP body was refused at its limit: when it was read up to the limit (no Content-Length), that much was allocated.</summary>
    public static void AfterRefusedBody(HttpContext context, long limit)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength is null)
        {
            context.RequestServices.GetService<OversizeMemoryReclaimer>()?.Notify(limit);
        }
    }

    private async Task CollectWhenQuietAsync()
    {
        while (true)
        {
            var sinceLarge = timeProvider.GetElapsedTime(Interlocked.Read(ref _lastLargeTicks));
            var lastCollection = Interlocked.Read(ref _lastCollectionTicks);
            var sinceCollection = lastCollection == long.MinValue ? MinInterval : timeProvider.GetElapsedTime(lastCollection);
            var wait = Max(Quiet - sinceLarge, MinInterval - sinceCollection);
            if (wait <= TimeSpan.Zero)
            {
                break;
            }

            await Task.Delay(wait, timeProvider).ConfigureAwait(false);
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Increment(ref _collections);
        Interlocked.Exchange(ref _lastCollectionTicks, timeProvider.GetTimestamp());
        Volatile.Write(ref _scheduled, 0);

        // A large message that arrived while collecting is collected after its own quiet period.
        if (timeProvider.GetElapsedTime(Interlocked.Read(ref _lastLargeTicks)) < Quiet && Interlocked.Exchange(ref _scheduled, 1) == 0)
        {
            _ = Task.Run(CollectWhenQuietAsync);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
