using System.Runtime;

namespace ReactiveIngest.Service.Diagnostics;

/// <summary>
/// Gives back the memory a very large message took. A multi-megabyte message (cut at its input's edge and
/// dead-lettered) has been received whole by its client library, in large-object-heap arrays; once they are garbage
/// the runtime keeps their memory committed (measured here: a 16 MB MQTT message left the service ~50 MB larger for
/// good, with no live object behind it). So after a message of at least <see cref="Threshold"/> bytes, one aggressive,
/// compacting collection is run on a thread-pool thread, at most once per <see cref="MinInterval"/>; a burst of large
/// messages costs one collection. Ordinary traffic never triggers it.
/// </summary>
public sealed class OversizeMemoryReclaimer(TimeProvider timeProvider)
{
    /// <summary>Messages at least this large trigger a collection: large-object-heap scale, far above telemetry.</summary>
    public const long Threshold = 4L * 1024 * 1024;

    /// <summary>The shortest time between two collections.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(10);

    private long _lastTicks = long.MinValue;
    private int _scheduled;
    private long _collections;

    /// <summary>Collections run so far.</summary>
    public long Collections => Interlocked.Read(ref _collections);

    /// <summary>Called with the size of each oversize message; schedules a collection when it is worth one.</summary>
    public void Notify(long messageBytes)
    {
        if (messageBytes < Threshold || Interlocked.Exchange(ref _scheduled, 1) == 1)
        {
            return;
        }

        var now = timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastTicks);
        var wait = last == long.MinValue ? TimeSpan.Zero : MinInterval - timeProvider.GetElapsedTime(last, now);
        _ = Task.Run(async () =>
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, timeProvider).ConfigureAwait(false);
            }

            // Give the stream a moment to drop its last references (the head is a copy; the original goes with the
            // client library's event).
            await Task.Delay(TimeSpan.FromMilliseconds(200), timeProvider).ConfigureAwait(false);
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Interlocked.Increment(ref _collections);
            Interlocked.Exchange(ref _lastTicks, timeProvider.GetTimestamp());
            Volatile.Write(ref _scheduled, 0);
        });
    }
}
