using System.Globalization;
using ReactiveIngest.Simulator.Fleet;
using ReactiveIngest.Simulator.Reports;
using ReactiveIngest.Simulator.Scenarios;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// Finds, on one broker, the highest QoS 1 rate at which <c>mosquitto_sub</c> alone loses nothing, and the highest
/// at which the whole stack (MQTT → service → InfluxDB raw + aggregates) has lost = 0 and aggregateMismatches = 0.
/// Each subject doubles the rate from <see cref="CeilingOptions.StartRate"/> until a step fails (or
/// <see cref="CeilingOptions.MaxRate"/>), then bisects between the last pass and the first failure. A step passes
/// only when the fleet also reached 90 % of its target rate and no publish failed. Besides these target rates the
/// report gives, per subject, the highest rate achieved in a lossless step, and their ratio.
/// </summary>
public static class CeilingSearch
{
    /// <summary>Runs both searches with <paramref name="scenario"/>'s fleet (its rate cap is set per step).</summary>
    public static async Task<CeilingReport> RunAsync(LoadTestStack stack, Scenario scenario, StackOptions stackOptions, CeilingOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(stackOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (scenario.Transport.Kind != TransportKind.Mqtt || scenario.Transport.Qos != 1)
        {
            throw new ArgumentException("--find-ceiling measures MQTT at QoS 1: use --qos 1 and the mqtt transport.", nameof(scenario));
        }

        scenario.DurationSec = options.StepSec;
        var steps = new List<CeilingStep>();
        var subCeiling = await SearchAsync(options, rate => SubscriberStepAsync(stack, scenario, rate, output, cancellationToken), steps, output);
        var stackCeiling = await SearchAsync(options, rate => StackStepAsync(stack, scenario, stackOptions, rate, output, cancellationToken), steps, output);
        var subLossless = HighestLossless(steps, "mosquitto_sub");
        var stackLossless = HighestLossless(steps, "stack");
        return new CeilingReport(
            options.StepSec,
            subCeiling,
            stackCeiling,
            subCeiling > 0 ? Math.Round(stackCeiling / subCeiling, 3) : null,
            steps,
            subLossless,
            stackLossless,
            subLossless > 0 ? Math.Round(stackLossless / subLossless, 3) : null,
            stackOptions.BrokerLimits,
            stackOptions.ServiceSettingsSummary(scenario.Transport.Kind));
    }

    /// <summary>The highest achieved rate of <paramref name="subject"/>'s lossless steps; 0 when none was lossless.</summary>
    public static double HighestLossless(IEnumerable<CeilingStep> steps, string subject) =>
        steps.Where(s => s.Subject == subject && s.Lossless).Select(s => s.AchievedRate).DefaultIfEmpty(0).Max();

    private static async Task<double> SearchAsync(CeilingOptions options, Func<double, Task<CeilingStep>> step, List<CeilingStep> steps, TextWriter output)
    {
        double good = 0, bad = double.NaN;
        for (var rate = options.StartRate; rate <= options.MaxRate; rate *= 2)
        {
            var result = await RecordAsync(step, rate, steps, output);
            if (!result.Passed)
            {
                bad = rate;
                break;
            }

            good = rate;
        }

        if (double.IsNaN(bad))
        {
            return good;
        }

        var low = good;
        for (var i = 0; i < options.Refine; i++)
        {
            var mid = Math.Round((low + bad) / 2);
            var result = await RecordAsync(step, mid, steps, output);
            if (result.Passed)
            {
                low = mid;
                good = mid;
            }
            else
            {
                bad = mid;
            }
        }

        return good;
    }

    private static async Task<CeilingStep> RecordAsync(Func<double, Task<CeilingStep>> step, double rate, List<CeilingStep> steps, TextWriter output)
    {
        var result = await step(rate);
        steps.Add(result);
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"ceiling step {result.Subject,-14} target {result.TargetRate,8:0}/s achieved {result.AchievedRate,8:0}/s accepted {result.Accepted,9} lost {result.Lost,7} mismatches {result.AggregateMismatches?.ToString(CultureInfo.InvariantCulture) ?? "-",5} → {(result.Passed ? "pass" : result.Lossless ? "FAIL (target not reached, nothing lost)" : "FAIL (lost)")}"));
        return result;
    }

    private static async Task<CeilingStep> SubscriberStepAsync(LoadTestStack stack, Scenario scenario, double rate, TextWriter output, CancellationToken cancellationToken)
    {
        scenario.Rate.TotalRateCap = rate;
        await using var subscriber = await MosquittoSubCounter.StartAsync(scenario.Transport.Host, stack.BrokerPort, cancellationToken);
        var runner = new FleetRunner(scenario.Fleet, scenario.Rate, scenario.Faults, TransportFactory.Create(scenario.Transport, scenario.Fleet.Format));
        var fleet = await runner.RunAsync(TimeSpan.FromSeconds(scenario.DurationSec), cancellationToken);
        await subscriber.WaitForAsync(fleet.GroundTruth.Published, TimeSpan.FromSeconds(10), cancellationToken);
        var lost = subscriber.Lost(fleet.GroundTruth);
        return Step("mosquitto_sub", rate, fleet, lost, null);
    }

    private static async Task<CeilingStep> StackStepAsync(LoadTestStack stack, Scenario scenario, StackOptions stackOptions, double rate, TextWriter output, CancellationToken cancellationToken)
    {
        scenario.Rate.TotalRateCap = rate;
        var result = await StackRun.RunAsync(stack, scenario, stackOptions, output, cancellationToken);
        return Step("stack", rate, result.Fleet, result.Verdict.Lost, result.Verdict.AggregateMismatches ?? 0);
    }

    private static CeilingStep Step(string subject, double rate, FleetResult fleet, long lost, long? mismatches)
    {
        var achieved = fleet.Stats.Accepted / Math.Max(fleet.SendSeconds, 1e-9);
        return CeilingStep.Judge(subject, rate, achieved, fleet.Stats.Accepted, fleet.Stats.Failed, lost, mismatches);
    }
}
