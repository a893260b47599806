using System.Globalization;

namespace ReactiveIngest.Service.Demo;

/// <summary>
/// The demo's console output: a legend printed once at start that says what each number means, and one status line
/// per interval. Messages and readings are kept apart (a message carries several readings), window results are shown
/// per interval with the total, and the messages awaiting their windows are shown against their bound.
/// </summary>
public static class DemoStatusFormatter
{
    /// <summary>The legend, printed once before the first status line.</summary>
    public static IReadOnlyList<string> Legend(DemoStatusContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hold = context.LongestWindow is { } longest
            ? string.Create(CultureInfo.InvariantCulture,
                $" It levels off instead of growing: it holds at most about the last {Seconds(longest + context.OutOfOrderness + context.AllowedLateness)} of input (longest window {Seconds(longest)} + out-of-orderness {Seconds(context.OutOfOrderness)} + allowed lateness {Seconds(context.AllowedLateness)}, until the window is final), shown as seconds of input at the current rate.")
            : " With a session window it stays up while a device keeps reporting within the gap.";
        var bound = context.UnacknowledgedBound is { } b
            ? context.Journaled
                ? string.Create(CultureInfo.InvariantCulture, $" Bounded by the journal's MaxUnreleasedEntries {b:N0} and DiskBudget (the line shows the share): at the bound the source stops taking messages and the broker keeps them (backpressure, nothing is lost).")
                : string.Create(CultureInfo.InvariantCulture, $" Bounded by MaxInFlight {b:N0} (the line shows the share): at the bound the source stops taking messages (backpressure, nothing is lost).")
            : string.Empty;
        var what = context.Journaled
            ? "  awaiting windows messages taken and kept in the journal (already acknowledged to the broker) until every window holding their readings is final and stored."
            : "  awaiting windows messages taken but not yet acknowledged, because a window holding their readings is not yet final and stored.";
        return
        [
            "What the status line shows (every second):",
            "  sent             MQTT messages the simulated fleet published (total, and per second).",
            "  taken → readings messages the pipeline took, and the readings decoded from them: a message carries several readings (one per metric).",
            what + hold + bound,
            "  windows +N       window results emitted in the last interval (one per device, metric and window), then the total since start.",
            string.Create(CultureInfo.InvariantCulture, $"  late             readings more than the allowed lateness ({Seconds(context.AllowedLateness)}) behind: stored raw, not counted in their window."),
            "  dead letters     messages or readings rejected with a reason (GET /api/deadletters); the fleet sends a few malformed ones on purpose.",
        ];
    }

    /// <summary>One status line: totals of <paramref name="current"/>, rates against <paramref name="previous"/> (none for the first line).</summary>
    public static string Line(DemoStatus? previous, DemoStatus current, DemoStatusContext context)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(context);
        var seconds = previous is null ? 0 : (current.At - previous.At).TotalSeconds;
        double Rate(Func<DemoStatus, long> value) => seconds > 0 ? (value(current) - value(previous!)) / seconds : 0;
        var perMessage = current.MessagesTaken > 0 ? (double)current.Readings / current.MessagesTaken : 0;
        var windowsNow = previous is null ? current.WindowResults : current.WindowResults - previous.WindowResults;
        var takenPerSecond = Rate(s => s.MessagesTaken);
        var held = takenPerSecond > 0
            ? string.Create(CultureInfo.InvariantCulture, $" ≈ {current.AwaitingWindows / takenPerSecond:N0} s of input")
            : string.Empty;
        var bound = context.UnacknowledgedBound is { } b and > 0
            ? string.Create(CultureInfo.InvariantCulture, $" ({100.0 * current.AwaitingWindows / b:N0}% of {b:N0})")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"{current.At:HH:mm:ss} sent {current.MessagesSent:N0} msgs ({Rate(s => s.MessagesSent):N0}/s) | taken {current.MessagesTaken:N0} msgs → {current.Readings:N0} readings ({perMessage:N1}/msg, {Rate(s => s.Readings):N0}/s) | awaiting windows {current.AwaitingWindows:N0} msgs{held}{bound} | windows +{windowsNow:N0} ({current.WindowResults:N0} total) | late {current.LateReadings:N0} | dead letters {current.DeadLetters:N0}");
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
