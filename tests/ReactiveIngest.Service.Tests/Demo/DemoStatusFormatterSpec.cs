using ReactiveIngest.Service.Demo;
using Xunit;

namespace ReactiveIngest.Service.Tests.Demo;

public sealed class DemoStatusFormatterSpec
{
    private static readonly DemoStatusContext Demo = new(
        LongestWindow: TimeSpan.FromMinutes(1),
        OutOfOrderness: TimeSpan.FromSeconds(2),
        AllowedLateness: TimeSpan.FromSeconds(30),
        UnacknowledgedBound: 50_000);

    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 14, 0, 0, TimeSpan.Zero);

    private static DemoStatus At(int seconds, long sent, long taken, long readings, long awaiting, long windows, long late = 0, long dead = 0) =>
        new(T0.AddSeconds(seconds), sent, taken, readings, awaiting, windows, late, dead);

    [Fact]
    public void Line_should_tell_messages_from_readings_and_give_readings_per_message_and_rates()
    {
        var previous = At(0, sent: 10_000, taken: 9_900, readings: 29_700, awaiting: 9_000, windows: 4_000);
        var current = At(2, sent: 10_400, taken: 10_300, readings: 30_900, awaiting: 9_400, windows: 4_600, late: 3, dead: 21);

        var line = DemoStatusFormatter.Line(previous, current, Demo);

        Assert.Equal(
            "14:00:02 sent 10,400 msgs (200/s) | taken 10,300 msgs → 30,900 readings (3.0/msg, 600/s) | awaiting windows 9,400 msgs ≈ 47 s of input (19% of 50,000) | windows +600 (4,600 total) | late 3 | dead letters 21",
            line);
    }

    [Fact]
    public void The_first_line_should_show_no_rates_and_count_every_window_result_as_new()
    {
        var line = DemoStatusFormatter.Line(null, At(1, sent: 150, taken: 0, readings: 0, awaiting: 0, windows: 0), Demo);

        Assert.Equal(
            "14:00:01 sent 150 msgs (0/s) | taken 0 msgs → 0 readings (0.0/msg, 0/s) | awaiting windows 0 msgs (0% of 50,000) | windows +0 (0 total) | late 0 | dead letters 0",
            line);
    }

    [Fact]
    public void Without_an_mqtt_bound_the_awaiting_count_should_stand_alone()
    {
        var line = DemoStatusFormatter.Line(null, At(1, 1, 1, 3, 1, 0), Demo with { UnacknowledgedBound = null });

        Assert.Contains("| awaiting windows 1 msgs | windows", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Awaiting_windows_should_be_shown_as_seconds_of_input_at_the_rate_messages_are_taken()
    {
        var line = DemoStatusFormatter.Line(At(0, 0, 1_000, 3_000, 0, 0), At(1, 0, 1_200, 3_600, 12_400, 0), Demo);

        Assert.Contains("awaiting windows 12,400 msgs ≈ 62 s of input (25% of 50,000)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Legend_should_explain_each_number_the_expected_level_and_the_bound()
    {
        var legend = DemoStatusFormatter.Legend(Demo);

        Assert.Equal(7, legend.Count);
        foreach (var label in new[] { "sent ", "taken → readings ", "awaiting windows ", "windows +N ", "late ", "dead letters " })
        {
            Assert.Single(legend, l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
        }

        var awaiting = legend.Single(l => l.TrimStart().StartsWith("awaiting windows", StringComparison.Ordinal));
        Assert.Contains("a message carries several readings", string.Join('\n', legend), StringComparison.Ordinal);
        Assert.Contains("levels off instead of growing: it holds at most about the last 92 s of input (longest window 60 s + out-of-orderness 2 s + allowed lateness 30 s", awaiting, StringComparison.Ordinal);
        Assert.Contains("Bounded by MaxInFlight 50,000", awaiting, StringComparison.Ordinal);
        Assert.Contains("allowed lateness (30 s)", string.Join('\n', legend), StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_journal_the_legend_should_say_the_messages_are_acknowledged_and_name_the_journals_bound()
    {
        var awaiting = DemoStatusFormatter.Legend(Demo with { UnacknowledgedBound = 4_194_304, Journaled = true })
            .Single(l => l.TrimStart().StartsWith("awaiting windows", StringComparison.Ordinal));

        Assert.Contains("kept in the journal (already acknowledged to the broker)", awaiting, StringComparison.Ordinal);
        Assert.Contains("Bounded by the journal's MaxUnreleasedEntries 4,194,304", awaiting, StringComparison.Ordinal);
        Assert.DoesNotContain("MaxInFlight", awaiting, StringComparison.Ordinal);
    }

    [Fact]
    public void Legend_should_not_promise_a_level_when_a_session_window_holds_messages_open_ended()
    {
        var awaiting = DemoStatusFormatter.Legend(Demo with { LongestWindow = null, UnacknowledgedBound = null })
            .Single(l => l.TrimStart().StartsWith("awaiting windows", StringComparison.Ordinal));

        Assert.DoesNotContain("levels off", awaiting, StringComparison.Ordinal);
        Assert.DoesNotContain("MaxInFlight", awaiting, StringComparison.Ordinal);
        Assert.Contains("session window", awaiting, StringComparison.Ordinal);
    }
}
