namespace ReactiveIngest.Journal.Log;

/// <summary>A damaged place in a journal found when it was opened or read: the entries there are skipped.</summary>
/// <param name="File">The segment file.</param>
/// <param name="Offset">The byte offset in that file where the damage starts.</param>
/// <param name="Address">The journal's logical address of that place.</param>
/// <param name="Detail">What was wrong.</param>
public sealed record JournalDamage(string File, long Offset, long Address, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{File} at offset {Offset} (address {Address}): {Detail}";
}
