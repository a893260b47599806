using System.Numerics;
using System.Runtime.InteropServices;

namespace ReactiveIngest.Influx.Stages;

/// <summary>
/// A 64-bit hash of a point's identity in InfluxDB (measurement + tag set + timestamp), taken from its encoded line:
/// the series key (the bytes before the first unescaped space) and the timestamp in the write precision. Two lines of
/// the same identity always hash alike; two different identities rarely share one (the hash mixes 64 bits and is seeded
/// at random per process, so colliding keys cannot be prepared in advance). Callers treat equal hashes as the same
/// identity, so a collision costs only a needless wait.
/// </summary>
/// <remarks>
/// The encoder escapes every space of the measurement and the tags with a backslash, and refuses identifiers that end
/// in a backslash, so the first space not preceded by a backslash is exactly the one after the series key, and equal
/// identities give equal series-key bytes. No allocation; one vectorized search and one pass over the series key.
/// </remarks>
internal static class PointIdentity
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64();

    /// <summary>The identity hash of <paramref name="line"/>, whose timestamp is <paramref name="timestamp"/> (in the write precision).</summary>
    public static ulong Hash(ReadOnlySpan<byte> line, long timestamp)
    {
        var key = line[..SeriesKeyLength(line)];
        var hash = Seed ^ ((ulong)key.Length * Prime2);
        while (key.Length >= sizeof(ulong))
        {
            hash = Round(hash, MemoryMarshal.Read<ulong>(key));
            key = key[sizeof(ulong)..];
        }

        if (!key.IsEmpty)
        {
            ulong tail = 0;
            foreach (var b in key)
            {
                tail = (tail << 8) | b;
            }

            hash = Round(hash, tail);
        }

        return Avalanche(Round(hash, (ulong)timestamp));
    }

    /// <summary>Length of the series key: up to the first space that is not escaped (the whole line if there is none).</summary>
    internal static int SeriesKeyLength(ReadOnlySpan<byte> line)
    {
        var from = 0;
        while (true)
        {
            var index = line[from..].IndexOf((byte)' ');
            if (index < 0)
            {
                return line.Length;
            }

            var at = from + index;
            if (at == 0 || line[at - 1] != (byte)'\\')
            {
                return at;
            }

            from = at + 1;
        }
    }

    private static ulong Round(ulong hash, ulong word) => BitOperations.RotateLeft(hash ^ (word * Prime1), 31) * Prime2;

    // The finalizer of MurmurHash3 (fmix64): every input bit affects every output bit.
    private static ulong Avalanche(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xFF51AFD7ED558CCDUL;
        hash ^= hash >> 33;
        hash *= 0xC4CEB9FE1A85EC53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
