using FASTER.core;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// Brings a journal directory back to a log whose every unreleased entry is intact, before the journal serves it:
/// recovers FasterLog to its latest commit, checks that each segment file holds the committed data, checks every entry
/// from the truncation point to the commit against its own CRC-32C (<see cref="JournalEntryCodec.Check"/>), and when
/// anything is damaged rewrites the log from the valid entries, in their order.
/// </summary>
/// <remarks>
/// <para><b>Owns</b> the directory's files while it runs (the caller holds its <see cref="JournalLock"/>); hands the
/// result over in a <see cref="RecoveredLog"/> and keeps nothing.</para>
/// <para><b>Bounds.</b> Reads the unreleased part once to check it and once more to copy it when it repairs; the copy
/// needs as much free disk again (<c>{Directory}.repair-…</c>, removed when done).</para>
/// <para><b>Failure.</b> Damage is not an error: each damaged region (a run of bad entries, or a place the iterator could
/// not read) and each short or missing segment file is one <see cref="JournalDamage"/>, and its entries are dropped. The
/// damaged files are moved to <c>{Directory}.damaged-…</c> and kept. Commit records FasterLog cannot recover at all
/// move the whole journal there and start an empty one (one damage record naming the directory). File-system errors
/// while moving or copying are thrown.</para>
/// <para><b>Not caught here:</b> FasterLog recovers with <c>TryRecoverLatest</c>, and for a commit record cut short it
/// starts an empty log without throwing, so such a journal opens empty with no damage record; a record overwritten
/// with bytes that still parse can recover to addresses that were never written.</para>
/// </remarks>
internal static class JournalRecovery
{
    /// <summary>Opens the journal in <see cref="JournalSettings.Directory"/> (which exists), repaired when it was damaged.</summary>
    /// <exception cref="IOException">Files could not be moved or written during a repair.</exception>
    public static RecoveredLog Open(JournalSettings settings)
    {
        var damage = new List<JournalDamage>();
        var (device, log) = RecoverOrStartEmpty(settings, damage);
        var startedEmpty = damage.Count;
        damage.AddRange(ShortSegments(settings, log));
        var entries = ScanValid(settings, log, damage, copyTo: null);
        if (damage.Count > startedEmpty)
        {
            (device, log) = Repair(settings, device, log, damage);
        }

        return new RecoveredLog(device, log, damage, entries);
    }

    private static (IDevice Device, FasterLog Log) RecoverOrStartEmpty(JournalSettings settings, List<JournalDamage> damage)
    {
        try
        {
            return JournalFiles.CreateLog(settings);
        }
        catch (Exception e) when (e is FasterException or IOException or InvalidOperationException or FormatException or ArgumentException)
        {
            var aside = MoveAside(settings.Directory);
            damage.Add(new JournalDamage(settings.Directory, 0, 0, $"could not recover ({e.Message}); moved to {aside}, started empty"));
            return JournalFiles.CreateLog(settings);
        }
    }

    /// <summary>One record per segment file that is missing or shorter than the committed data it should hold.</summary>
    private static IEnumerable<JournalDamage> ShortSegments(JournalSettings settings, FasterLog log)
    {
        var begin = log.BeginAddress;
        var end = log.CommittedUntilAddress;

        // A new journal begins at its first page's header, not 0, and an emptied one at its last truncation: with
        // nothing committed past the begin address no segment file has to exist.
        if (end <= begin)
        {
            yield break;
        }

        for (var segment = begin / settings.SegmentSize; segment * settings.SegmentSize < end; segment++)
        {
            var start = segment * settings.SegmentSize;
            var needed = Math.Min(settings.SegmentSize, end - start);
            var file = JournalFiles.SegmentFile(settings, segment);
            var length = File.Exists(file) ? new FileInfo(file).Length : -1;
            if (length >= needed)
            {
                continue;
            }

            var held = Math.Max(0, length);
            var detail = length < 0
                ? $"segment file is missing; committed data needs {needed} bytes"
                : $"segment file is truncated to {length} bytes; committed data needs {needed}";
            yield return new JournalDamage(file, held, start + held, detail);
        }
    }

    /// <summary>
    /// Walks the committed, untruncated entries of <paramref name="log"/> and returns how many are valid; records each
    /// damaged region once in <paramref name="damage"/> and appends each valid entry to <paramref name="copyTo"/>.
    /// </summary>
    private static long ScanValid(JournalSettings settings, FasterLog log, List<JournalDamage>? damage, FasterLog? copyTo)
    {
        var begin = log.BeginAddress;
        var end = log.CommittedUntilAddress;
        if (end <= begin)
        {
            return 0;
        }

        long valid = 0;
        var inDamagedRegion = false;
        var position = begin;
        using var scan = log.Scan(begin, end);
        while (true)
        {
            string? problem;
            long problemAt;
            try
            {
                if (!scan.GetNext(out var entry, out var length, out var address, out var next))
                {
                    return valid;
                }

                position = next;

                // FasterLog verifies its own checksum only on pages it reads back from disk, not on the tail page a
                // recovered log keeps in memory; the entry's CRC covers both.
                problem = JournalEntryCodec.Check(entry.AsSpan(0, length));
                problemAt = address;
                if (problem is null)
                {
                    if (copyTo is not null)
                    {
                        Append(copyTo, entry.AsSpan(0, length));
                    }

                    valid++;
                    inDamagedRegion = false;
                    continue;
                }
            }
            catch (FasterException e)
            {
                // Past damage the iterator moves on a few bytes at a time, failing at each step: report the region once.
                problem = e.Message;
                problemAt = position;
            }

            if (!inDamagedRegion)
            {
                damage?.Add(JournalFiles.DamageAt(settings, problemAt, problem));
            }

            inDamagedRegion = true;
        }
    }

    private static void Append(FasterLog log, ReadOnlySpan<byte> entry)
    {
        // The copy's pages fill faster than they flush: commit to make room and try again.
        while (!log.TryEnqueue(entry, out _))
        {
            log.Commit(spinWait: true);
        }
    }

    /// <summary>
    /// Writes the valid entries of <paramref name="log"/> to a new log beside the journal, closes both, moves the
    /// damaged files aside, puts the new files in their place and opens them. Notes in every damage record where the
    /// damaged files are kept.
    /// </summary>
    private static (IDevice Device, FasterLog Log) Repair(JournalSettings settings, IDevice device, FasterLog log, List<JournalDamage> damage)
    {
        var staging = $"{settings.Directory}.repair-{Guid.NewGuid():N}";
        var (stagingDevice, stagingLog) = JournalFiles.CreateLog(settings with { Directory = staging });
        ScanValid(settings, log, damage: null, copyTo: stagingLog);
        stagingLog.Commit(spinWait: true);
        stagingLog.Dispose();
        stagingDevice.Dispose();
        log.Dispose();
        device.Dispose();

        var aside = MoveAside(settings.Directory);
        foreach (var entry in Directory.EnumerateFileSystemEntries(staging))
        {
            Move(entry, Path.Combine(settings.Directory, Path.GetFileName(entry)));
        }

        Directory.Delete(staging, recursive: true);
        for (var i = 0; i < damage.Count; i++)
        {
            damage[i] = damage[i] with { Detail = $"{damage[i].Detail} (the damaged files are kept in {aside})" };
        }

        return JournalFiles.CreateLog(settings);
    }

    /// <summary>Moves everything in <paramref name="directory"/> but its lock file to a new <c>{directory}.damaged-{UTC time}</c>; returns that.</summary>
    private static string MoveAside(string directory)
    {
        var aside = $"{directory}.damaged-{DateTime.UtcNow:yyyyMMddTHHmmssfff}";
        Directory.CreateDirectory(aside);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            var name = Path.GetFileName(entry);
            if (name != JournalLock.FileName)
            {
                Move(entry, Path.Combine(aside, name));
            }
        }

        return aside;
    }

    private static void Move(string from, string to)
    {
        if (Directory.Exists(from))
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }
}
