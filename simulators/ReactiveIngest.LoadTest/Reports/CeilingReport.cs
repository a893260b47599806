namespace ReactiveIngest.Simulator.Reports;

/// <summary>
/// The ceiling measurement: on one broker, the highest QoS 1 rate at which <c>mosquitto_sub</c> alone received
/// everything, and the highest at which the whole stack stored everything with every aggregate right.
/// </summary>
/// <param name="StepSec">Send duration of each step.</param>
/// <param name="MosquittoSubCeiling">Highest lossless target rate for mosquitto_sub (msg/s); 0 when even the first step lost.</param>
/// <param name="StackCeiling">Highest target rate with lost = 0 and aggregateMismatches = 0 (msg/s).</param>
/// <param name="Ratio">StackCeiling / MosquittoSubCeiling (goal ≥ 0.9).</param>
/// <param name="Steps">Every step in the order run.</param>
/// <param name="MosquittoSubLosslessRate">
/// Highest rate mosquitto_sub actually received losslessly (the achieved rate of a lossless step, whether or not the
/// fleet reached that step's target). On a machine where publisher, broker and subscriber share the CPU the fleet
/// slows down before anything is lost (QoS 1 flow control), so this is the finer figure.
/// </param>
/// <param name="StackLosslessRate">The same for the whole stack: highest achieved rate of a step with lost = 0 and aggregateMismatches = 0.</param>
/// <param name="AchievedRatio">StackLosslessRate / MosquittoSubLosslessRate.</param>
/// <param name="BrokerLimits">The per-client queue and in-flight limits of the broker both subjects used.</param>
/// <param name="ServiceSettings">The service settings the stack steps overrode, or <c>default service settings</c>.</param>
public sealed record CeilingReport(
    double StepSec,
    double MosquittoSubCeiling,
    double StackCeiling,
    double? Ratio,
    IReadOnlyList<CeilingStep> Steps,
    double MosquittoSubLosslessRate,
    double StackLosslessRate,
    double? AchievedRatio,
    string BrokerLimits,
    string ServiceSettings);
