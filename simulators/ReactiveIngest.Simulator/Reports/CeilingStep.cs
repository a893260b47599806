namespace ReactiveIngest.Simulator.Reports;

/// <summary>One step of the ceiling search.</summary>
/// <param name="Subject"><c>mosquitto_sub</c> or <c>stack</c>.</param>
/// <param name="TargetRate">Intended msg/s.</param>
/// <param name="AchievedRate">Messages the broker accepted per second of send time.</param>
/// <param name="Accepted">Messages the broker accepted.</param>
/// <param name="Lost">mosquitto_sub: messages not received; stack: raw points missing in InfluxDB.</param>
/// <param name="AggregateMismatches">Stack only.</param>
/// <param name="Passed">Lossless, no mismatches, and the achieved rate within 10 % of the target.</param>
public sealed record CeilingStep(string Subject, double TargetRate, double AchievedRate, long Accepted, long Lost, long? AggregateMismatches, bool Passed);
