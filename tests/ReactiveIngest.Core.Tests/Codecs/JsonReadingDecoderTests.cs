using System.Text;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Configuration;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using Xunit;
using static ReactiveIngest.Core.Tests.Codecs.DecoderHarness;

namespace ReactiveIngest.Core.Tests.Codecs;

public sealed class JsonReadingDecoderTests
{
    private const long Ms = 1_700_000_000_000L;
    private const long MsAsNs = Ms * 1_000_000L;

    [Fact]
    public void One_object_with_several_metrics_should_become_one_reading_per_numeric_field()
    {
        var readings = DecodeOk(new JsonReadingDecoder(), """{"deviceId":"d1","ts":1700000000000,"temperature":21.5,"humidity":40,"firmware":"1.2"}""");

        Assert.Equal(
            [new Reading("d1", "temperature", MsAsNs, 21.5), new Reading("d1", "humidity", MsAsNs, 40)],
            readings);
    }

    [Fact]
    public void An_array_of_objects_should_decode_every_element()
    {
        var readings = DecodeOk(new JsonReadingDecoder(), """[{"deviceId":"a","ts":1700000000000,"t":1},{"deviceId":"b","ts":1700000001000,"t":2,"h":3}]""");

        Assert.Equal(
            [
                new Reading("a", "t", MsAsNs, 1),
                new Reading("b", "t", MsAsNs + 1_000_000_000L, 2),
                new Reading("b", "h", MsAsNs + 1_000_000_000L, 3),
            ],
            readings);
    }

    [Fact]
    public void Nested_paths_should_map_device_id_timestamp_and_tags()
    {
        var options = new JsonCodecOptions()
            .WithDeviceIdPath("$.meta.device")
            .WithTimestamp("meta.time", TimestampUnit.Seconds)
            .WithTag("site", "meta.site")
            .WithTag("fw", "firmware");
        var readings = DecodeOk(
            new JsonReadingDecoder(options),
            """{"meta":{"device":"d9","time":1700000000,"site":"berlin","ignored":{"x":1}},"firmware":"2.0","temp":20,"note":"hi"}""");

        var reading = Assert.Single(readings);
        Assert.Equal(new Reading("d9", "temp", 1_700_000_000L * 1_000_000_000L, 20, TagSet.Create(("site", "berlin"), ("fw", "2.0"))), reading);
    }

    [Fact]
    public void An_explicit_metric_list_should_take_only_those_fields()
    {
        var options = new JsonCodecOptions().WithMetrics("temperature", "env.pressure");
        var readings = DecodeOk(new JsonReadingDecoder(options), """{"deviceId":"d1","ts":1700000000000,"temperature":21.5,"humidity":40,"env":{"pressure":1013}}""");

        Assert.Equal(["temperature", "pressure"], readings.Select(r => r.Metric));
    }

    [Fact]
    public void A_metrics_object_should_make_every_member_a_metric()
    {
        var options = new JsonCodecOptions().WithMetricsObject("values");
        var readings = DecodeOk(new JsonReadingDecoder(options), """{"deviceId":"d1","values":{"a":1,"b":2.5,"c":null},"other":7}""");

        Assert.Equal([("a", 1d), ("b", 2.5d)], readings.Select(r => (r.Metric, r.Value)));
    }

    [Fact]
    public void Booleans_should_become_one_and_zero_by_default()
    {
        var readings = DecodeOk(new JsonReadingDecoder(), """{"deviceId":"d1","door":true,"alarm":false}""");

        Assert.Equal([("door", 1d), ("alarm", 0d)], readings.Select(r => (r.Metric, r.Value)));
    }

    [Fact]
    public void Booleans_should_be_ignored_among_implicit_metrics_when_disabled()
    {
        var readings = DecodeOk(new JsonReadingDecoder(new JsonCodecOptions { BooleansAsNumbers = false }), """{"deviceId":"d1","door":true,"t":1}""");

        Assert.Equal(["t"], readings.Select(r => r.Metric));
    }

    [Fact]
    public void A_missing_timestamp_should_fall_back_to_the_arrival_time()
    {
        var reading = Assert.Single(DecodeOk(new JsonReadingDecoder(), """{"deviceId":"d1","t":1}"""));

        Assert.Equal(ReceivedAt, reading.TimestampNs);
    }

    [Theory]
    [InlineData("1700000000", TimestampUnit.Seconds)]
    [InlineData("1700000000.5", TimestampUnit.Seconds)]
    [InlineData("1700000000000", TimestampUnit.Milliseconds)]
    [InlineData("1700000000000000", TimestampUnit.Microseconds)]
    [InlineData("1700000000000000000", TimestampUnit.Nanoseconds)]
    public void Auto_unit_should_infer_the_unit_from_the_magnitude(string ts, TimestampUnit expectedUnit)
    {
        var reading = Assert.Single(DecodeOk(new JsonReadingDecoder(), $$"""{"deviceId":"d","ts":{{ts}},"t":1}"""));

        var expected = ts.Contains('.', StringComparison.Ordinal) ? 1_700_000_000_500_000_000L : 1_700_000_000_000_000_000L;
        Assert.Equal(expected, reading.TimestampNs);
        Assert.Equal(expectedUnit, EpochTimestamp.InferUnit(double.Parse(ts, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(TimestampUnit.Seconds, 1_000_000_000L)]
    [InlineData(TimestampUnit.Milliseconds, 1_000_000L)]
    [InlineData(TimestampUnit.Microseconds, 1_000L)]
    [InlineData(TimestampUnit.Nanoseconds, 1L)]
    public void A_configured_unit_should_scale_the_timestamp(TimestampUnit unit, long factor)
    {
        var decoder = new JsonReadingDecoder(new JsonCodecOptions().WithTimestamp("ts", unit));
        var reading = Assert.Single(DecodeOk(decoder, """{"deviceId":"d","ts":1234,"t":1}"""));

        Assert.Equal(1234 * factor, reading.TimestampNs);
    }

    [Theory]
    [InlineData("2023-11-14T22:13:20Z", 1_700_000_000_000_000_000L)]
    [InlineData("2023-11-14T22:13:20.123456Z", 1_700_000_000_123_456_000L)]
    [InlineData("2023-11-15T00:13:20+02:00", 1_700_000_000_000_000_000L)]
    [InlineData("2023-11-14T22:13:20", 1_700_000_000_000_000_000L)]
    [InlineData("1700000000000", 1_700_000_000_000_000_000L)]
    public void String_timestamps_should_accept_iso_8601_and_epoch_digits(string ts, long expectedNs)
    {
        var reading = Assert.Single(DecodeOk(new JsonReadingDecoder(), $$"""{"deviceId":"d","ts":"{{ts}}","t":1}"""));

        Assert.Equal(expectedNs, reading.TimestampNs);
    }

    [Fact]
    public void A_numeric_device_id_should_be_taken_as_its_text()
    {
        var reading = Assert.Single(DecodeOk(new JsonReadingDecoder(), """{"deviceId":4711,"t":1}"""));

        Assert.Equal("4711", reading.DeviceId);
    }

    [Fact]
    public void Escaped_names_and_values_should_be_unescaped()
    {
        var options = new JsonCodecOptions().WithTag("site");
        var reading = Assert.Single(DecodeOk(new JsonReadingDecoder(options), """{"deviceId":"d\"1\u00e9","site":"a\\b","temp\u00e9rature":1}"""));

        Assert.Equal(new Reading("d\"1é", "température", ReceivedAt, 1, TagSet.Create(("site", "a\\b"))), reading);
    }

    [Fact]
    public void Topic_template_should_supply_the_device_id_and_tags_when_the_payload_has_none()
    {
        var options = new JsonCodecOptions().WithTopicTemplate("sites/{site}/devices/{deviceId}/telemetry");
        var reading = Assert.Single(DecodeOk(new JsonReadingDecoder(options), """{"t":1}""", "sites/berlin/devices/d7/telemetry"));

        Assert.Equal(new Reading("d7", "t", ReceivedAt, 1, TagSet.Create(("site", "berlin"))), reading);
    }

    [Theory]
    [InlineData(IdentityPrecedence.PayloadWins, "payload-id", "payload-site")]
    [InlineData(IdentityPrecedence.TopicWins, "topic-id", "topic-site")]
    public void Precedence_should_decide_between_payload_and_topic(IdentityPrecedence precedence, string expectedId, string expectedSite)
    {
        var options = new JsonCodecOptions().WithTag("site").WithTopicTemplate("s/{site}/{deviceId}", precedence);
        var reading = Assert.Single(DecodeOk(new JsonReadingDecoder(options), """{"deviceId":"payload-id","site":"payload-site","t":1}""", "s/topic-site/topic-id"));

        Assert.Equal(expectedId, reading.DeviceId);
        Assert.Equal(expectedSite, reading.Tags.Get("site"));
    }

    [Fact]
    public void Malformed_json_should_be_rejected_as_malformed() =>
        DecodeFails(new JsonReadingDecoder(), """{"deviceId":"d1","t":1""", RejectReason.MalformedPayload);

    [Theory]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("""{"deviceId":"d","t":1} {"x":1}""")]
    [InlineData("""{"deviceId":"d",t:1}""")]
    public void Payloads_that_are_not_one_object_or_array_should_be_malformed(string payload) =>
        DecodeFails(new JsonReadingDecoder(), payload, RejectReason.MalformedPayload);

    [Fact]
    public void A_string_where_a_metric_is_expected_should_be_wrong_type()
    {
        var error = DecodeFails(new JsonReadingDecoder(new JsonCodecOptions().WithMetrics("temperature")), """{"deviceId":"d1","temperature":"21.5"}""", RejectReason.WrongType);

        Assert.Contains("temperature", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_inside_a_metrics_object_should_be_wrong_type() =>
        DecodeFails(new JsonReadingDecoder(new JsonCodecOptions().WithMetricsObject("values")), """{"deviceId":"d1","values":{"a":1,"b":"x"}}""", RejectReason.WrongType);

    [Fact]
    public void An_object_as_device_id_should_be_wrong_type() =>
        DecodeFails(new JsonReadingDecoder(), """{"deviceId":{"x":1},"t":1}""", RejectReason.WrongType);

    [Fact]
    public void A_non_object_array_element_should_be_wrong_type_and_reject_the_whole_array() =>
        DecodeFails(new JsonReadingDecoder(), """[{"deviceId":"d","t":1},5]""", RejectReason.WrongType);

    [Fact]
    public void A_number_overflowing_a_double_should_be_not_finite() =>
        DecodeFails(new JsonReadingDecoder(), """{"deviceId":"d1","t":1e400}""", RejectReason.NotFinite);

    [Fact]
    public void A_missing_device_id_should_be_rejected() =>
        DecodeFails(new JsonReadingDecoder(), """{"t":1}""", RejectReason.MissingDeviceId);

    [Fact]
    public void An_object_without_metrics_should_be_rejected() =>
        DecodeFails(new JsonReadingDecoder(), """{"deviceId":"d1","ts":1700000000000,"note":"x"}""", RejectReason.NoMetrics);

    [Fact]
    public void An_empty_array_should_be_rejected_as_no_metrics() =>
        DecodeFails(new JsonReadingDecoder(), "[]", RejectReason.NoMetrics);

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("true")]
    [InlineData("1e30")]
    public void An_unusable_timestamp_should_be_invalid(string ts) =>
        DecodeFails(new JsonReadingDecoder(), $$"""{"deviceId":"d1","ts":{{ts}},"t":1}""", RejectReason.InvalidTimestamp);

    [Fact]
    public void A_topic_that_does_not_fit_the_template_should_be_topic_mismatch() =>
        DecodeFails(new JsonReadingDecoder(new JsonCodecOptions().WithTopicTemplate("devices/{deviceId}")), """{"t":1}""", RejectReason.TopicMismatch, "other/d1/x");

    [Fact]
    public void An_error_in_a_later_array_element_should_leave_nothing_from_earlier_ones() =>
        DecodeFails(new JsonReadingDecoder(), """[{"deviceId":"a","t":1},{"deviceId":"b","t":1},{"t":3}]""", RejectReason.MissingDeviceId);

    [Fact]
    public void Invalid_options_should_report_every_problem_by_setting_name()
    {
        var options = new JsonCodecOptions
        {
            DeviceIdPath = "",
            TimestampPath = "a..b",
            Metrics = ["x"],
            MetricsPath = "values",
            TopicTemplate = "a/#/b",
            MaxDepth = 0,
        };

        var exception = Assert.Throws<InvalidOptionsException>(() => new JsonReadingDecoder(options));

        Assert.Contains(exception.Errors, e => e.StartsWith("JsonCodecOptions.DeviceIdPath:", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.StartsWith("JsonCodecOptions.TimestampPath:", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.StartsWith("JsonCodecOptions.MetricsPath:", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.StartsWith("JsonCodecOptions.TopicTemplate:", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, e => e.StartsWith("JsonCodecOptions.MaxDepth:", StringComparison.Ordinal));
    }

    [Fact]
    public void Mapping_one_field_twice_should_be_an_options_error()
    {
        var errors = new JsonCodecOptions().WithTag("site", "deviceId").Validate();

        Assert.Contains(errors, e => e.StartsWith("JsonCodecOptions.Tags[site]:", StringComparison.Ordinal));
    }

    [Fact]
    public void Decoding_a_repeated_message_should_not_allocate()
    {
        var decoder = new JsonReadingDecoder(new JsonCodecOptions().WithTag("site").WithTopicTemplate("d/{deviceId}"));
        var payload = Encoding.UTF8.GetBytes("""{"deviceId":"d1","ts":1700000000000,"site":"s","temperature":21.5,"humidity":40}""");
        var context = new MessageContext("d/x", ReceivedAt);
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
        Assert.Equal(2, output.Count);
        Assert.True(allocated[^1] == 0, $"bytes allocated per round of 1000 decodes: {string.Join(", ", allocated)}");
    }

    [Fact]
    public void A_message_with_more_metrics_than_MaxMetricsPerMessage_should_be_rejected_whole()
    {
        var keys = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"m{i}\":{i}"));
        var error = DecodeFails(new JsonReadingDecoder(), $"{{\"deviceId\":\"d1\",{keys}}}", RejectReason.TooManyMetrics);
        Assert.Contains("MaxMetricsPerMessage", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_metric_limit_should_count_each_object_of_an_array_on_its_own()
    {
        var decoder = new JsonReadingDecoder(new JsonCodecOptions { MaxMetricsPerMessage = 2 });
        Assert.Equal(6, DecodeOk(decoder, """[{"deviceId":"a","t":1,"h":2},{"deviceId":"b","t":2,"h":3},{"deviceId":"c","t":2,"h":3}]""").Count);
        var error = DecodeFails(decoder, """[{"deviceId":"a","t":1},{"deviceId":"b","t":2,"h":3,"p":4}]""", RejectReason.TooManyMetrics);
        Assert.Contains("element 1", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"deviceId":"d1","t":1,"t":2}""", "'t' twice")]
    [InlineData("""{"deviceId":"d1","deviceId":"d2","t":1}""", "device id key")]
    [InlineData("""{"deviceId":"d1","ts":1700000000000,"ts":1700000001000,"t":1}""", "timestamp key")]
    public void An_object_with_a_duplicate_key_should_be_rejected_as_malformed(string payload, string expected)
    {
        var error = DecodeFails(new JsonReadingDecoder(), payload, RejectReason.MalformedPayload);
        Assert.Contains(expected, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_member_of_a_metrics_object_should_be_rejected_as_malformed() =>
        DecodeFails(new JsonReadingDecoder(new JsonCodecOptions().WithMetricsObject("values")), """{"deviceId":"d1","values":{"a":1,"a":2}}""", RejectReason.MalformedPayload);

    [Fact]
    public void A_leading_utf8_byte_order_mark_should_be_skipped()
    {
        var output = new List<Reading>();
        var payload = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("""{"deviceId":"d1","t":1}""")).ToArray();
        Assert.Null(new JsonReadingDecoder().Decode(payload, Context(), output));
        Assert.Equal("d1", Assert.Single(output).DeviceId);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_should_reject_the_message_naming_the_offset()
    {
        var payload = "{\"deviceId\":\""u8.ToArray().Concat(new byte[] { 0xff }).Concat("\",\"t\":1}"u8.ToArray()).ToArray();
        var output = new List<Reading>();
        var error = new JsonReadingDecoder().Decode(payload, Context(), output);
        Assert.Equal(RejectReason.MalformedPayload, error?.Reason);
        Assert.Contains("offset 13", error?.Detail, StringComparison.Ordinal);
        Assert.Empty(output);
    }
}
