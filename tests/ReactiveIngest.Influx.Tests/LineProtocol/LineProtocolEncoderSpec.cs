using System.Buffers;
using System.Text;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Influx.LineProtocol;
using Xunit;

namespace ReactiveIngest.Influx.Tests.LineProtocol;

public sealed class LineProtocolEncoderSpec
{
    [Fact]
    public void Encoder_should_write_measurement_sorted_tags_fields_and_timestamp()
    {
        var point = PointBuilder.Measurement("cpu")
            .Tag("region", "eu").Tag("host", "a")
            .Field("value", 1.5).Field("count", 3L).Field("big", 18446744073709551615UL).Field("ok", true).Field("note", "hi")
            .Timestamp(1_700_000_000_123_456_789L)
            .Build();

        Assert.Equal("cpu,host=a,region=eu value=1.5,count=3i,big=18446744073709551615u,ok=true,note=\"hi\" 1700000000123456789", LineProtocolEncoder.ToLine(point));
    }

    [Theory]
    [InlineData("my measurement", "x", "my\\ measurement")]
    [InlineData("a,b", "x", "a\\,b")]
    [InlineData("a=b", "x", "a=b")]
    [InlineData("quo\"te", "x", "quo\"te")]
    public void Measurement_should_escape_commas_and_spaces_only(string measurement, string field, string expectedPrefix)
    {
        var line = LineProtocolEncoder.ToLine(new LinePoint(measurement, TagSet.Empty, new Field(field, FieldValue.Integer(1)), null));
        Assert.Equal(expectedPrefix + " x=1i", line);
    }

    [Fact]
    public void Tag_keys_values_and_field_keys_should_escape_commas_equals_and_spaces()
    {
        var point = PointBuilder.Measurement("m").Tag("k ,=", "v =,").Field("f =,", 1L).Build();
        Assert.Equal("m,k\\ \\,\\==v\\ \\=\\, f\\ \\=\\,=1i", LineProtocolEncoder.ToLine(point));
    }

    [Fact]
    public void Backslashes_in_tags_should_stay_literal_and_string_fields_should_escape_quotes_and_backslashes()
    {
        var point = PointBuilder.Measurement("m").Tag("t", "a\\b\\,c").Field("s", "say \"hi\" \\ back\\").Build();
        Assert.Equal("m,t=a\\b\\\\,c s=\"say \\\"hi\\\" \\\\ back\\\\\"", LineProtocolEncoder.ToLine(point));
    }

    [Fact]
    public void String_fields_should_keep_newlines_inside_the_quotes()
    {
        var point = PointBuilder.Measurement("m").Field("s", "one\ntwo").Build();
        Assert.Equal("m s=\"one\ntwo\"", LineProtocolEncoder.ToLine(point));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1")]
    [InlineData(-0.0, "-0")]
    [InlineData(1e300, "1E+300")]
    [InlineData(double.Epsilon, "5E-324")]
    [InlineData(123456789.123456789, "123456789.12345679")]
    public void Floats_should_use_the_shortest_round_trip_form(double value, string expected)
    {
        var line = LineProtocolEncoder.ToLine(PointBuilder.Measurement("m").Field("f", value).Build());
        Assert.Equal("m f=" + expected, line);
        Assert.Equal(value, double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(WritePrecision.Nanoseconds, 1_700_000_000_123_456_789L, "1700000000123456789")]
    [InlineData(WritePrecision.Microseconds, 1_700_000_000_123_456_789L, "1700000000123456")]
    [InlineData(WritePrecision.Milliseconds, 1_700_000_000_123_456_789L, "1700000000123")]
    [InlineData(WritePrecision.Seconds, 1_700_000_000_123_456_789L, "1700000000")]
    [InlineData(WritePrecision.Seconds, -1L, "-1")]
    public void Timestamps_should_be_written_in_the_requested_precision(WritePrecision precision, long ns, string expected)
    {
        var line = LineProtocolEncoder.ToLine(PointBuilder.Measurement("m").Field("f", 1L).Timestamp(ns).Build(), precision);
        Assert.Equal("m f=1i " + expected, line);
    }

    [Theory]
    [InlineData("", "t", "v", "f", RejectReason.EmptyIdentifier)]
    [InlineData("m", "t", "", "f", RejectReason.EmptyIdentifier)]
    [InlineData("m", "", "v", "f", RejectReason.EmptyIdentifier)]
    [InlineData("m", "t", "v", "", RejectReason.EmptyIdentifier)]
    [InlineData("m\nx", "t", "v", "f", RejectReason.InvalidCharacters)]
    [InlineData("m", "t\n", "v", "f", RejectReason.InvalidCharacters)]
    [InlineData("m", "t", "v\r\n", "f", RejectReason.InvalidCharacters)]
    [InlineData("m", "t", "v", "f\n", RejectReason.InvalidCharacters)]
    [InlineData("m", "t", "ends\\", "f", RejectReason.InvalidCharacters)]
    [InlineData("m", "t\\", "v", "f", RejectReason.InvalidCharacters)]
    [InlineData("m\\x", "t", "v", "f", RejectReason.InvalidCharacters)]
    [InlineData("m", "t", "v", "f\\x", RejectReason.InvalidCharacters)]
    [InlineData("#comment", "t", "v", "f", RejectReason.InvalidCharacters)]
    public void Points_that_cannot_be_written_faithfully_should_be_rejected_without_writing(string measurement, string tagKey, string tagValue, string fieldKey, RejectReason reason)
    {
        var point = new LinePoint(measurement, TagSet.Create((tagKey, tagValue)), new Field(fieldKey, FieldValue.Float(1)), 1);
        var buffer = new ArrayBufferWriter<byte>();
        Assert.False(LineProtocolEncoder.TryWrite(buffer, point, WritePrecision.Nanoseconds, out var rejection));
        Assert.Equal(reason, rejection!.Reason);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Unpaired_surrogates_should_be_rejected_rather_than_replaced()
    {
        // Built at run time: attribute arguments cannot carry an unpaired surrogate.
        var lone = new string(['x', (char)0xD800]);
        var point = new LinePoint("m", TagSet.Create(("t", lone)), new Field("f", FieldValue.String("ok")), 1);
        Assert.Equal(RejectReason.InvalidCharacters, LineProtocolEncoder.Validate(point)!.Reason);
        var inString = PointBuilder.Measurement("m").Field("s", lone).Build();
        Assert.Equal(RejectReason.InvalidCharacters, LineProtocolEncoder.Validate(inString)!.Reason);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_floats_should_be_rejected(double value)
    {
        var rejection = LineProtocolEncoder.Validate(PointBuilder.Measurement("m").Field("f", value).Build());
        Assert.Equal(RejectReason.NotFinite, rejection!.Reason);
    }

    [Fact]
    public void A_point_without_fields_should_be_rejected()
    {
        var rejection = LineProtocolEncoder.Validate(new LinePoint("m", TagSet.Empty, Array.Empty<Field>(), null));
        Assert.Equal(RejectReason.NoMetrics, rejection!.Reason);
    }

    [Fact]
    public void Unicode_should_be_written_as_utf8()
    {
        var point = PointBuilder.Measurement("température").Tag("città", "Zürich 😀").Field("ünits", "°C").Build();
        var buffer = new ArrayBufferWriter<byte>();
        LineProtocolEncoder.Write(buffer, point);
        Assert.Equal("température,città=Zürich\\ 😀 ünits=\"°C\"\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Reading_mapper_should_use_metric_as_measurement_and_add_device_tag()
    {
        var reading = new Reading("dev 1", "temp", 42, 21.5, TagSet.Create(("site", "a"), ("deviceId", "spoofed")));
        var line = LineProtocolEncoder.ToLine(ReadingPointMapper.Default.Map(reading));
        Assert.Equal("temp,deviceId=dev\\ 1,site=a value=21.5 42", line);
    }

    [Fact]
    public void Reading_mapper_with_fixed_measurement_should_tag_the_metric()
    {
        var mapper = new ReadingPointMapper { Measurement = "readings", FieldKey = "v" };
        var line = LineProtocolEncoder.ToLine(mapper.Map(new Reading("d", "temp", 7, 1)));
        Assert.Equal("readings,deviceId=d,metric=temp v=1 7", line);
    }
}
