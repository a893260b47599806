using System.Numerics;
using FASTER.core;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// Where a journal lives on disk and how its FasterLog is opened there: segment files <c>log.0</c>, <c>log.1</c>, …
/// of <see cref="JournalSettings.SegmentSize"/> bytes each, commit records under <c>commits/</c>, and the lock file
/// (<see cref="JournalLock.FileName"/>), all in <see cref="JournalSettings.Directory"/>.
/// </summary>
/// <remarks>
/// Stateless. <see cref="CreateLog"/> recovers whatever the directory holds to its latest commit; it throws what
/// FasterLog throws when the commit records cannot be read (and then leaves nothing open).
/// </remarks>
internal static class JournalFiles
{
    /// <summary>The segment files' name before their number.</summary>
    internal const string LogFileName = "log";

    /// <summary>The directory of the commit records, inside the journal directory.</summary>
    internal const string CommitsDirectory = "commits";

    /// <summary>The file of segment <paramref name="segment"/>.</summary>
    public static string SegmentFile(JournalSettings settings, long segment) =>
        Path.Combine(settings.Directory, $"{LogFileName}.{segment}");

    /// <summary>A damage record for logical <paramref name="address"/>, naming the segment file and the offset in it.</summary>
    public static JournalDamage DamageAt(JournalSettings settings, long address, string detail) =>
        new(SegmentFile(settings, address / settings.SegmentSize), address % settings.SegmentSize, address, detail);

    /// <summary>
    /// Opens the FasterLog in <see cref="JournalSettings.Directory"/> (creating it when empty), recovered to its latest
    /// commit, with FasterLog's per-entry checksum and segment files opened write-through. The caller owns both.
    /// </summary>
    public static (IDevice Device, FasterLog Log) CreateLog(JournalSettings settings)
    {
        var device = Devices.CreateLogDevice(Path.Combine(settings.Directory, LogFileName), preallocateFile: false, deleteOnClose: false, recoverDevice: true);
        try
        {
            var memoryPages = Math.Max(2, (int)BitOperations.RoundUpToPowerOf2((uint)settings.MemoryPages));
            var log = new FasterLog(new FasterLogSettings
            {
                LogDevice = device,
                LogCommitDir = Path.Combine(settings.Directory, CommitsDirectory),
                PageSizeBits = JournalSettings.Log2(settings.PageSize),
                MemorySizeBits = JournalSettings.Log2(settings.PageSize * (long)memoryPages),
                SegmentSizeBits = JournalSettings.Log2(settings.SegmentSize),
                LogChecksum = LogChecksumType.PerEntry,
                TryRecoverLatest = true,
                RemoveOutdatedCommits = true,
                AutoRefreshSafeTailAddress = false,
            });
            return (device, log);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }
}
