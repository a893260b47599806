namespace ReactiveIngest.Simulator.Reports;

/// <summary>One step of the ceiling search.</summary>
/// <param name="Subject"><c>mosquitto_sub</c> or <c>stack</c>.</param>
/// <param name="TargetRate">Intended msg/s.</param>
/// <param name="AchievedRate">Messages the broker accepted per second of send time.</param>
/// <param name="Accepted">Messages the broker accepted.</param>
/// <param name="Lost">mosquitto_sub: messages not received; stack: raw points missing in InfluxDB.</param>
/// <param name="AggregateMismatches">Stack only.</param>
/// <param name="Passed">The target was held: <paramref name="Lossless"/> and the achieved rate within 10 % of the target.</param>
/// <param name="Lossless">Nothing lost, no aggregate mismatch and no failed publish, whatever rate was achieved.</param>
public sealed record CeilingStep(string Subject, double TargetRate, double AchievedRate, long Accepted, long Lost, long? AggregateMismatches, bool Passed, bool Lossless)
{
    /// <summary>The step's verdict from what the fleet achieved and what the subject lost.</summary>
    public static CeilingStep Judge(string subject, double targetRate, double achievedRate, long accepted, long failedPublishes, long lost, long? aggregateMismatches)
    {
        var lossless = lost == 0 && aggregateMismatches is null or 0 && failedPublishes == 0;
        var passed = lossless && achievedRate >= 0.9 * targetRate;
        return new CeilingStep(subject, targetRate, Math.Round(achievedRate, 1), accepted, lost, aggregateMismatches, passed, lossless);
    }
}
