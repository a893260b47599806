namespace ReactiveIngest.Simulator.Reports;

/// <summary>The service crashes of a run (<c>--kill-service N</c>): each a SIGKILL under load, then a restart with the same configuration.</summary>
/// <param name="KillsPlanned">Kills asked for.</param>
/// <param name="Restarts">Kills done and followed by a service that answered <c>/health/ready</c> again.</param>
/// <param name="Seed">The seed of the kill moments.</param>
/// <param name="KilledAtSec">Seconds after sending started at which the service was killed.</param>
/// <param name="DownSec">Per kill, seconds from the kill until the restarted service was ready.</param>
public sealed record CrashReport(int KillsPlanned, int Restarts, ulong Seed, IReadOnlyList<double> KilledAtSec, IReadOnlyList<double> DownSec);
