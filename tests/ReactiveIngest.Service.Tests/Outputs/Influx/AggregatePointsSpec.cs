using ReactiveIngest.Core.Aggregates;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Service.Outputs.Influx;
using Xunit;

namespace ReactiveIngest.Service.Tests.Outputs.Influx;

public sealed class AggregatePointsSpec
{
    [Fact]
    public void A_window_result_should_become_one_line_with_its_tags_and_twelve_statistics()
    {
        var key = new SeriesKey("dev-7", "temperature", TagSet.Create(("site", "plant 7"), ("metric", "shadowed"), ("deviceId", "shadowed")));
        var aggregates = new AggregateSnapshot(4, 86.5, 20.25, 23.5, 21.625, 1.25, 20.25, 1, 23.5, 2, 21.5, 23, 23.25, 23.5);
        var result = new WindowResult(key, 1_700_000_000_000_000_000, 1_700_000_010_000_000_000, EmissionKind.Final, 0, aggregates, 1);

        var line = LineProtocolEncoder.ToLine(AggregatePoints.ToPoint(new NamedWindowResult("10s", result), "agg_{window}"));

        // The point's own deviceId and metric tags win over key tags of the same name.
        Assert.Equal(
            "agg_10s,deviceId=dev-7,metric=temperature,site=plant\\ 7 count=4i,sum=86.5,min=20.25,max=23.5,mean=21.625,stddev=1.25," +
            "first=20.25,last=23.5,p50=21.5,p90=23,p95=23.25,p99=23.5 1700000000000000000",
            line);
    }
}
