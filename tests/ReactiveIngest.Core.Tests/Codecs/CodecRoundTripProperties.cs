using System.Text;
using FsCheck.Xunit;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using Xunit;

namespace ReactiveIngest.Core.Tests.Codecs;

/// <summary>Encode generated readings with the test encoders, decode them, and expect exactly the same readings.</summary>
public sealed class CodecRoundTripProperties
{
    private static readonly MessageContext Context = new("t", 42);

    [Property(Arbitrary = [typeof(CodecArbitraries)], MaxTest = 300)]
    public void Line_protocol_should_round_trip_hostile_identifiers_and_every_numeric_type(LineProtocolCase testCase)
    {
        var builder = new StringBuilder();
        var expected = new List<Reading>();
        var expectedSkipped = 0;
        foreach (var line in testCase.Lines)
        {
            var tags = line.Tags.Select(t => (t.Key, t.Value)).Prepend(("deviceId", line.DeviceId));
            TestLineProtocolEncoder.AppendLine(builder, line.Measurement, tags, line.Fields.Select(f => (f.Key, f.Value)), line.Timestamp);
            var tagSet = TagSet.Create(line.Tags.Select(t => new Tag(t.Key, t.Value)));
            foreach (var field in line.Fields)
            {
                if (field.Value.Kind == TestFieldKind.String)
                {
                    expectedSkipped++;
                    continue;
                }

                var metric = testCase.MeasurementAndField ? $"{line.Measurement}.{field.Key}" : field.Key;
                expected.Add(new Reading(line.DeviceId, metric, line.Timestamp, field.Value.Expected, tagSet));
            }
        }

        var decoder = new LineProtocolDecoder(new LineProtocolOptions
        {
            MetricNaming = testCase.MeasurementAndField ? LineProtocolMetricNaming.MeasurementAndField : LineProtocolMetricNaming.FieldKey,
        });
        var output = new List<Reading>();
        var error = decoder.Decode(Encoding.UTF8.GetBytes(builder.ToString()), Context, output);

        Assert.True(error is null, $"{error}\n{builder}");
        Assert.Equal(expected, output);
        Assert.Equal(expectedSkipped, decoder.SkippedFields);
    }

    [Property(Arbitrary = [typeof(CodecArbitraries)], MaxTest = 300)]
    public void Json_with_a_metrics_object_should_round_trip_any_names_and_values(JsonCase testCase)
    {
        var tags = testCase.Room is null ? TagSet.Create(("site", testCase.Site)) : TagSet.Create(("site", testCase.Site), ("room", testCase.Room));
        var payload = TestJsonEncoder.EncodeNested(testCase.DeviceId, testCase.TimestampNs, testCase.Metrics.Select(m => (m.Name, m.Value)).ToList(), tags);
        var decoder = new JsonReadingDecoder(new JsonCodecOptions()
            .WithTimestamp("ts", TimestampUnit.Nanoseconds)
            .WithMetricsObject("values")
            .WithTag("site", "tags.site")
            .WithTag("room", "tags.room"));
        var output = new List<Reading>();

        var error = decoder.Decode(payload, Context, output);

        Assert.True(error is null, $"{error}\n{Encoding.UTF8.GetString(payload)}");
        Assert.Equal(testCase.Metrics.Select(m => new Reading(testCase.DeviceId, m.Name, testCase.TimestampNs, m.Value, tags)), output);
    }

    [Property(Arbitrary = [typeof(CodecArbitraries)], MaxTest = 200)]
    public void A_json_array_of_flat_objects_should_round_trip_with_inferred_units(FlatJsonCase testCase)
    {
        // Implicit mode: every numeric top-level field besides deviceId and ts is a metric.
        var payload = TestJsonEncoder.EncodeFlatArray(testCase.Objects.Select(o => (o.DeviceId, o.TimestampNs, (IReadOnlyList<(string, double)>)o.Metrics.Select(m => (m.Name, m.Value)).ToList())));
        var decoder = new JsonReadingDecoder(new JsonCodecOptions().WithTimestamp("ts", TimestampUnit.Nanoseconds));
        var output = new List<Reading>();

        var error = decoder.Decode(payload, Context, output);

        Assert.True(error is null, $"{error}\n{Encoding.UTF8.GetString(payload)}");
        Assert.Equal(testCase.Objects.SelectMany(o => o.Metrics.Select(m => new Reading(o.DeviceId, m.Name, o.TimestampNs, m.Value))), output);
    }
}
