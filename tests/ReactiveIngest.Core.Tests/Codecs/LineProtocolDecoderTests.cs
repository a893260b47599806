using System.Text;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Configuration;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using Xunit;
using static ReactiveIngest.Core.Tests.Codecs.DecoderHarness;

namespace ReactiveIngest.Core.Tests.Codecs;

public sealed class LineProtocolDecoderTests
{
    private const long Ts = 1_700_000_000_000_000_000L;

    [Fact]
    public void Each_numeric_field_should_become_a_reading_named_after_the_field()
    {
        var readings = DecodeOk(new LineProtocolDecoder(), "env,deviceId=d1,site=berlin temperature=21.5,count=3i,total=7u,door=t 1700000000000000000\n");

        var tags = TagSet.Create(("site", "berlin"));
        Assert.Equal(
            [
                new Reading("d1", "temperature", Ts, 21.5, tags),
                new Reading("d1", "count", Ts, 3, tags),
                new Reading("d1", "total", Ts, 7, tags),
                new Reading("d1", "door", Ts, 1, tags),
            ],
            readings);
    }

    [Fact]
    public void Measurement_and_field_naming_should_prefix_the_measurement()
    {
        var decoder = new LineProtocolDecoder(new LineProtocolOptions().WithMetricNaming(LineProtocolMetricNaming.MeasurementAndField));
        var reading = Assert.Single(DecodeOk(decoder, "env,deviceId=d1 temperature=21.5"));

        Assert.Equal("env.temperature", reading.Metric);
    }

    [Fact]
    public void Several_lines_comments_blank_lines_and_crlf_should_all_be_handled()
    {
        var readings = DecodeOk(new LineProtocolDecoder(), "# header\r\nm,deviceId=a v=1 1\r\n\r\n  m,deviceId=b v=2 2\r\n");

        Assert.Equal([new Reading("a", "v", 1, 1), new Reading("b", "v", 2, 2)], readings);
    }

    [Fact]
    public void A_line_without_timestamp_should_use_the_arrival_time()
    {
        var reading = Assert.Single(DecodeOk(new LineProtocolDecoder(), "m,deviceId=a v=1"));

        Assert.Equal(ReceivedAt, reading.TimestampNs);
    }

    [Theory]
    [InlineData(TimestampUnit.Seconds, 1_000_000_000L)]
    [InlineData(TimestampUnit.Milliseconds, 1_000_000L)]
    [InlineData(TimestampUnit.Microseconds, 1_000L)]
    [InlineData(TimestampUnit.Nanoseconds, 1L)]
    public void Precision_should_scale_the_timestamp(TimestampUnit precision, long factor)
    {
        var decoder = new LineProtocolDecoder(new LineProtocolOptions().WithPrecision(precision));
        var reading = Assert.Single(DecodeOk(decoder, "m,deviceId=a v=1 1700000000"));

        Assert.Equal(1_700_000_000L * factor, reading.TimestampNs);
    }

    [Theory]
    [InlineData(@"m\ x\,y,deviceId=d v=1", "m x,y.v")]
    [InlineData(@"m\=x,deviceId=d v=1", @"m\=x.v")]
    [InlineData(@"m,deviceId=d f\ o\,o\=x=1", "m.f o,o=x")]
    [InlineData(@"m\\,deviceId=d v\\=1", @"m\.v\")]
    [InlineData(@"m\q,deviceId=d v\q=1", @"m\q.v\q")]
    public void Escapes_in_measurement_and_field_keys_should_follow_the_influx_rules(string line, string expectedMetric)
    {
        var decoder = new LineProtocolDecoder(new LineProtocolOptions().WithMetricNaming(LineProtocolMetricNaming.MeasurementAndField));
        var reading = Assert.Single(DecodeOk(decoder, line));

        Assert.Equal(expectedMetric, reading.Metric);
    }

    [Fact]
    public void Escapes_in_tags_should_be_unescaped()
    {
        var reading = Assert.Single(DecodeOk(new LineProtocolDecoder(), @"m,deviceId=d\ 1\,x\=y,lo\ c=a\\b v=1"));

        Assert.Equal("d 1,x=y", reading.DeviceId);
        Assert.Equal(TagSet.Create(("lo c", @"a\b")), reading.Tags);
    }

    [Fact]
    public void String_fields_should_be_skipped_and_counted_by_default()
    {
        var decoder = new LineProtocolDecoder();
        var reading = Assert.Single(DecodeOk(decoder, "m,deviceId=d status=\"ok, \\\"fine\\\" = yes\",v=2 5"));

        Assert.Equal(new Reading("d", "v", 5, 2), reading);
        Assert.Equal(1, decoder.SkippedFields);
    }

    [Fact]
    public void String_fields_should_be_wrong_type_when_configured_to_reject() =>
        DecodeFails(new LineProtocolDecoder(new LineProtocolOptions { NonNumericFields = NonNumericFieldHandling.Reject }), "m,deviceId=d s=\"x\",v=1", RejectReason.WrongType);

    [Fact]
    public void A_message_with_only_string_fields_should_be_no_metrics() =>
        DecodeFails(new LineProtocolDecoder(), "m,deviceId=d s=\"x\"", RejectReason.NoMetrics);

    [Fact]
    public void Booleans_should_be_skipped_when_not_numbers()
    {
        var decoder = new LineProtocolDecoder(new LineProtocolOptions { BooleansAsNumbers = false });
        var reading = Assert.Single(DecodeOk(decoder, "m,deviceId=d b=true,v=1"));

        Assert.Equal("v", reading.Metric);
        Assert.Equal(1, decoder.SkippedFields);
    }

    [Fact]
    public void The_device_id_should_come_from_a_configured_tag()
    {
        var reading = Assert.Single(DecodeOk(new LineProtocolDecoder(new LineProtocolOptions().WithDeviceIdTag("host")), "m,host=h1,deviceId=x v=1"));

        Assert.Equal("h1", reading.DeviceId);
        Assert.Equal(TagSet.Create(("deviceId", "x")), reading.Tags);
    }

    [Theory]
    [InlineData(IdentityPrecedence.PayloadWins, "tag-id")]
    [InlineData(IdentityPrecedence.TopicWins, "topic-id")]
    public void The_device_id_should_combine_with_a_topic_template(IdentityPrecedence precedence, string expected)
    {
        var decoder = new LineProtocolDecoder(new LineProtocolOptions().WithTopicTemplate("sites/{site}/devices/{deviceId}", precedence));

        Assert.Equal(expected, Assert.Single(DecodeOk(decoder, "m,deviceId=tag-id v=1", "sites/s1/devices/topic-id")).DeviceId);
        var fromTopic = Assert.Single(DecodeOk(decoder, "m v=1", "sites/s1/devices/topic-id"));
        Assert.Equal(new Reading("topic-id", "v", ReceivedAt, 1, TagSet.Create(("site", "s1"))), fromTopic);
    }

    [Theory]
    [InlineData("m,deviceId=d")]
    [InlineData("m,deviceId=d ")]
    [InlineData(",deviceId=d v=1")]
    [InlineData("m,deviceId v=1")]
    [InlineData("m,deviceId= v=1")]
    [InlineData("m,deviceId=d v")]
    [InlineData("m,deviceId=d v=")]
    [InlineData("m,deviceId=d v=abc")]
    [InlineData("m,deviceId=d v=1x")]
    [InlineData("m,deviceId=d s=\"open")]
    [InlineData("m,deviceId=d v=99999999999999999999i")]
    [InlineData("m,deviceId=d v=-1u")]
    [InlineData("m,deviceId=d =1")]
    public void Syntax_errors_should_be_malformed(string line) =>
        DecodeFails(new LineProtocolDecoder(), line, RejectReason.MalformedPayload);

    [Fact]
    public void The_error_should_name_the_line_and_reject_earlier_lines_too()
    {
        var error = DecodeFails(new LineProtocolDecoder(), "m,deviceId=a v=1\nm,deviceId=b v=oops\n", RejectReason.MalformedPayload);

        Assert.StartsWith("line 2:", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    public void Non_finite_floats_should_be_not_finite(string value) =>
        DecodeFails(new LineProtocolDecoder(), $"m,deviceId=d v={value}", RejectReason.NotFinite);

    [Theory]
    [InlineData("12:00")]
    [InlineData("99999999999999999999")]
    public void Bad_timestamps_should_be_invalid(string ts) =>
        DecodeFails(new LineProtocolDecoder(), $"m,deviceId=d v=1 {ts}", RejectReason.InvalidTimestamp);

    [Fact]
    public void A_timestamp_that_overflows_in_its_precision_should_be_invalid() =>
        DecodeFails(new LineProtocolDecoder(new LineProtocolOptions().WithPrecision(TimestampUnit.Seconds)), "m,deviceId=d v=1 99999999999", RejectReason.InvalidTimestamp);

    [Fact]
    public void A_line_without_device_id_should_be_rejected() =>
        DecodeFails(new LineProtocolDecoder(), "m,site=x v=1", RejectReason.MissingDeviceId);

    [Fact]
    public void An_empty_payload_should_be_no_metrics() =>
        DecodeFails(new LineProtocolDecoder(), "# only a comment\n\n", RejectReason.NoMetrics);

    [Fact]
    public void A_topic_that_does_not_fit_should_be_topic_mismatch() =>
        DecodeFails(new LineProtocolDecoder(new LineProtocolOptions().WithTopicTemplate("devices/{deviceId}")), "m v=1", RejectReason.TopicMismatch, "devices");

    [Fact]
    public void Invalid_options_should_report_every_problem_by_setting_name()
    {
        var options = new LineProtocolOptions
        {
            DeviceIdTag = null,
            Precision = (TimestampUnit)42,
            MetricSeparator = new string('.', 20),
            StringPoolCapacity = -1,
        };

        var exception = Assert.Throws<InvalidOptionsException>(() => new LineProtocolDecoder(options));

        Assert.Contains(exception.Errors, e => e.StartsWith("LineProtocolOptions.DeviceIdTag:", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.StartsWith("LineProtocolOptions.Precision:", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.StartsWith("LineProtocolOptions.MetricSeparator:", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.StartsWith("LineProtocolOptions.StringPoolCapacity:", StringComparison.Ordinal));
    }

    [Fact]
    public void Decoding_a_repeated_message_should_not_allocate()
    {
        var decoder = new LineProtocolDecoder(new LineProtocolOptions().WithMetricNaming(LineProtocolMetricNaming.MeasurementAndField));
        var payload = Encoding.UTF8.GetBytes("env,deviceId=d1,site=s temperature=21.5,humidity=40i 1700000000000000000\nenv,deviceId=d2,site=s temperature=20 1700000000000000000\n");
        var context = Context();
        var output = new List<Reading>(16);
        for (var i = 0; i < 200; i++)
        {
            output.Clear();
            Assert.Null(decoder.Decode(payload, context, output));
        }

        var allocated = Allocations.PerRound(() =>
        {
            output.Clear();
            decoder.Decode(payload, context, output);
        });
        Assert.Equal(3, output.Count);
        Assert.True(allocated[^1] == 0, $"bytes allocated per round of 1000 decodes: {string.Join(", ", allocated)}");
    }

    [Theory]
    [InlineData("env,deviceId=d1 t=1 1700000000", "1700000000")]
    [InlineData("env,deviceId=d1 t=1,u=2i   -42  ", "-42")]
    [InlineData("env,deviceId=d1,site=a\\ b note=\"x 1, y=\\\" 2\",t=1 17", "17")]
    [InlineData("my\\ env,deviceId=d1 t=1 99", "99")]
    public void TryFindTimestamp_should_find_the_text_the_decoder_reads_as_the_timestamp(string line, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        Assert.True(LineProtocolDecoder.TryFindTimestamp(bytes, out var range));
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes.AsSpan()[range]));
    }

    [Theory]
    [InlineData("env,deviceId=d1 t=1")]
    [InlineData("env,deviceId=d1 t=1   ")]
    [InlineData("env,deviceId=d1 note=\"a b 12\"")]
    [InlineData("env,deviceId=d1 t")]
    [InlineData("env")]
    public void TryFindTimestamp_should_report_no_timestamp_for_lines_without_one(string line) =>
        Assert.False(LineProtocolDecoder.TryFindTimestamp(Encoding.UTF8.GetBytes(line), out _));

    [Fact]
    public void A_line_with_more_fields_than_MaxMetricsPerLine_should_reject_the_message()
    {
        var decoder = new LineProtocolDecoder(new LineProtocolOptions { MaxMetricsPerLine = 2 });
        DecodeOk(decoder, "m,deviceId=d a=1,b=2 1\nm,deviceId=d a=1,b=2 2");
        var error = DecodeFails(decoder, "m,deviceId=d a=1 1\nm,deviceId=d a=1,b=2,c=3 2", RejectReason.TooManyMetrics);
        Assert.Contains("line 2", error.Detail, StringComparison.Ordinal);
        Assert.Contains("MaxMetricsPerLine", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_should_reject_the_message()
    {
        var payload = "m,deviceId=d"u8.ToArray().Concat(new byte[] { 0xe9 }).Concat(" a=1 1"u8.ToArray()).ToArray();
        var output = new List<Reading>();
        var error = new LineProtocolDecoder().Decode(payload, Context(), output);
        Assert.Equal(RejectReason.MalformedPayload, error?.Reason);
        Assert.Empty(output);
    }
}
