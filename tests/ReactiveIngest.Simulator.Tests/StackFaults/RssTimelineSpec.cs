using ReactiveIngest.Simulator.StackFaults;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.StackFaults;

public sealed class RssTimelineSpec
{
    private const long Mb = 1024 * 1024;

    [Fact]
    public void The_report_should_give_the_peak_of_each_phase_the_last_sample_and_during_over_before()
    {
        var rss = new RssTimeline();
        rss.Add(100 * Mb);
        rss.Add(120 * Mb);
        rss.Phase = OutagePhase.During;
        rss.Add(150 * Mb);
        rss.Add(null);
        rss.Add(180 * Mb);
        rss.Phase = OutagePhase.After;
        rss.Add(200 * Mb);
        rss.Add(130 * Mb);

        var report = rss.Report(seconds: 60.04, startedAtSec: 7.52);

        Assert.Equal(60.0, report.Seconds);
        Assert.Equal(7.5, report.StartedAtSec);
        Assert.Equal(120.0, report.RssBeforeMb);
        Assert.Equal(180.0, report.RssDuringMb);
        Assert.Equal(200.0, report.RssPeakAfterMb);
        Assert.Equal(130.0, report.RssAfterMb);
        Assert.Equal(1.5, report.RssRatio);
    }

    [Fact]
    public void Without_samples_before_the_outage_there_should_be_no_ratio()
    {
        var rss = new RssTimeline { Phase = OutagePhase.During };
        rss.Add(150 * Mb);

        var report = rss.Report(10, 0);

        Assert.Null(report.RssBeforeMb);
        Assert.Null(report.RssRatio);
    }
}
