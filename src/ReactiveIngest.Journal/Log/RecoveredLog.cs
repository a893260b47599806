using FASTER.core;

namespace ReactiveIngest.Journal.Log;

/// <summary>
/// What <see cref="JournalRecovery.Open"/> hands over: the journal's log, open and holding only entries whose checksums
/// passed, with the damage found on the way.
/// </summary>
/// <remarks>Owns nothing itself: whoever takes it disposes <see cref="Log"/> and then <see cref="Device"/>.</remarks>
/// <param name="Device">The segment files' device.</param>
/// <param name="Log">The recovered (or repaired, or new) log.</param>
/// <param name="Damage">Each damaged place, in the order found; empty when the journal was whole.</param>
/// <param name="Entries">The valid entries between the log's begin and committed addresses: what a reader will deliver again.</param>
internal sealed record RecoveredLog(IDevice Device, FasterLog Log, IReadOnlyList<JournalDamage> Damage, long Entries);
