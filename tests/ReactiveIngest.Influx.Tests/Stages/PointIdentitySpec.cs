using System.Text;
using FsCheck;
using FsCheck.Fluent;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Stages;
using ReactiveIngest.Influx.Tests.LineProtocol;
using ReactiveIngest.Influx.Tests.Support;
using Xunit;

namespace ReactiveIngest.Influx.Tests.Stages;

public sealed class PointIdentitySpec
{
    private static byte[] Encoded(LinePoint point) => Encoding.UTF8.GetBytes(LineProtocolEncoder.ToLine(point) + "\n");

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property The_series_key_should_be_the_measurement_and_tags_whatever_the_fields() =>
        Prop.ForAll(Gen.Zip(LineProtocolPropertySpec.Points(), LineProtocolPropertySpec.Points()).ToArbitrary(), pair =>
        {
            var (point, other) = pair;
            var line = Encoded(point);
            var key = Encoding.UTF8.GetString(line, 0, PointIdentity.SeriesKeyLength(line));

            // The key parses back to the point's measurement and tags, and another point's fields do not change it.
            var parsed = LineProtocolParser.Parse(key + " f=1i");
            Assert.Equal(point.Measurement, parsed.Measurement);
            Assert.Equal(point.Tags, parsed.Tags);
            var sameIdentity = new LinePoint(point.Measurement, point.Tags, other.Fields, 42);
            Assert.Equal(
                PointIdentity.Hash(Encoded(new LinePoint(point.Measurement, point.Tags, point.Fields, 42)), 42),
                PointIdentity.Hash(Encoded(sameIdentity), 42));
            return true;
        });

    [Fact]
    public void Escaped_spaces_should_stay_in_the_series_key()
    {
        var point = PointBuilder.Measurement("a b").Tag("k ", "v\\ w ").Field("f f", "x y").Timestamp(7).Build();
        var line = Encoded(point);

        Assert.Equal(@"a\ b,k\ =v\\ w\ ", Encoding.UTF8.GetString(line, 0, PointIdentity.SeriesKeyLength(line)));
    }

    [Fact]
    public void Another_timestamp_tag_or_measurement_should_give_another_hash()
    {
        ulong Hash(string measurement, string device, long time) =>
            PointIdentity.Hash(Encoded(PointBuilder.Measurement(measurement).Tag("deviceId", device).Field("v", 1.0).Timestamp(time).Build()), time);

        var hashes = new[] { Hash("m", "a", 1), Hash("m", "a", 2), Hash("m", "b", 1), Hash("n", "a", 1), Hash("m", "a", 1) };

        Assert.Equal(4, hashes.Distinct().Count());
        Assert.Equal(hashes[0], hashes[4]);
    }
}
