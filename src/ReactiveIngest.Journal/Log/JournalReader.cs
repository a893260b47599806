using FASTER.core;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// The journal's one reader: walks the committed entries from the begin address the log had at open, decodes each
/// back into the message that was appended, and registers it with the <see cref="ReleaseTracker"/>, whose sequence
/// the caller's handle releases.
/// </summary>
/// <remarks>
/// <para><b>Owns</b> the scan iterator and the pool of topic and key strings; the journal owns the log and the tracker.</para>
/// <para><b>Bounds.</b> Hands out nothing while the tracker is full (<see cref="JournalSettings.MaxUnreleasedEntries"/>)
/// and says so in <see cref="Blocked"/>; sees committed entries only.</para>
/// <para><b>Failure.</b> An entry that does not decode, or a place the iterator cannot read past the part recovery
/// verified, is reported once per region through the callback it was given and skipped (a skipped entry counts as
/// read and released); the next valid entry is delivered. Damage inside the verified part was reported at open and
/// is skipped silently.</para>
/// <para>Not thread-safe: one caller of <see cref="TryRead"/> at a time; <see cref="Blocked"/> may be read and cleared
/// from any thread.</para>
/// </remarks>
internal sealed class JournalReader : IDisposable
{
    private readonly JournalSettings _settings;
    private readonly ReleaseTracker _tracker;
    private readonly Action<JournalDamage> _reportDamage;
    private readonly FasterLogScanIterator _scan;
    private readonly StringPool _text = new(4096);
    private readonly long _verifiedUntil;
    private long _position;
    private long _read;
    private bool _inDamagedRegion;
    private volatile bool _blocked;

    /// <param name="log">The recovered log; read from its begin address, up to its commit as it moves.</param>
    /// <param name="settings">The source named in the messages, and the segment size for damage records.</param>
    /// <param name="tracker">Where each entry read is registered.</param>
    /// <param name="reportDamage">Called, on the reader's thread, with each damaged place found while reading.</param>
    public JournalReader(FasterLog log, JournalSettings settings, ReleaseTracker tracker, Action<JournalDamage> reportDamage)
    {
        _settings = settings;
        _tracker = tracker;
        _reportDamage = reportDamage;
        _verifiedUntil = log.CommittedUntilAddress;
        _position = log.BeginAddress;
        _scan = log.Scan(log.BeginAddress, long.MaxValue, scanUncommitted: false);
    }

    /// <summary>The address the next entry is read from.</summary>
    public long NextAddress => _scan.NextAddress;

    /// <summary>Entries read since open, skipped ones included.</summary>
    public long EntriesRead => Interlocked.Read(ref _read);

    /// <summary>True once <see cref="TryRead"/> found the tracker full, until cleared (a release may let it go on).</summary>
    public bool Blocked
    {
        get => _blocked;
        set => _blocked = value;
    }

    /// <summary>
    /// The next committed entry and its tracker sequence. False when there is none now, or when the tracker is full.
    /// </summary>
    public bool TryRead(out RawMessage message, out long sequence)
    {
        message = null!;
        sequence = -1;
        while (true)
        {
            if (_tracker.IsFull)
            {
                _blocked = true;
                return false;
            }

            byte[] entry;
            int length;
            long address;
            long next;
            try
            {
                if (!_scan.GetNext(out entry, out length, out address, out next))
                {
                    return false;
                }
            }
            catch (FasterException e)
            {
                // The iterator moves past damage a few bytes at a time: one report per region, none where recovery looked.
                if (_position >= _verifiedUntil && !_inDamagedRegion)
                {
                    _reportDamage(JournalFiles.DamageAt(_settings, _position, e.Message));
                }

                _inDamagedRegion = true;
                continue;
            }

            _inDamagedRegion = false;
            _position = next;
            Interlocked.Increment(ref _read);
            try
            {
                message = JournalEntryCodec.Read(entry.AsMemory(0, length), _settings.SourceName, _text);
            }
            catch (FormatException e)
            {
                _reportDamage(JournalFiles.DamageAt(_settings, address, e.Message));
                _tracker.Release(_tracker.Add(address, next));
                continue;
            }

            sequence = _tracker.Add(address, next);
            return true;
        }
    }

    /// <summary>Closes the scan iterator.</summary>
    public void Dispose() => _scan.Dispose();
}
