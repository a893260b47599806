using System.Globalization;
using System.Text;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using Xunit;

namespace ReactiveIngest.Influx.Tests.LineProtocol;

/// <summary>The encoder's short-decimal path for floats must write exactly what <c>"R"</c> writes.</summary>
public sealed class FloatFormattingSpec
{
    [Theory]
    [InlineData(21.37, "21.37")]
    [InlineData(-0.05, "-0.05")]
    [InlineData(42.0, "42")]
    [InlineData(0.001, "0.001")]
    [InlineData(123456.789012, "123456.789012")]
    [InlineData(999999999999999.0, "999999999999999")]
    public void Typical_readings_should_take_the_short_decimal_path(double value, string expected)
    {
        Span<byte> buffer = stackalloc byte[32];
        Assert.True(LineProtocolEncoder.TryFormatShortDecimal(value, buffer, out var written));
        Assert.Equal(expected, Encoding.ASCII.GetString(buffer[..written]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-5)]
    [InlineData(1e15)]
    [InlineData(0.0001)]
    [InlineData(0.1 + 0.2)]
    [InlineData(Math.PI)]
    public void Values_the_short_path_cannot_prove_should_be_left_to_the_general_formatter(double value)
    {
        Span<byte> buffer = stackalloc byte[32];
        Assert.False(LineProtocolEncoder.TryFormatShortDecimal(value, buffer, out var written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Every_float_should_be_written_as_its_round_trip_text()
    {
        var random = new Random(20261203);
        var values = new List<double>();
        for (var i = 0; i < 200_000; i++)
        {
            // Decimals of 0-8 fractional digits at magnitudes 1e-5 .. 1e16, their neighbouring doubles, and raw bits.
            var digits = random.Next(0, 9);
            var mantissa = random.NextInt64(-10_000_000_000_000_000, 10_000_000_000_000_000) / (long)Math.Pow(10, random.Next(0, 17));
            var value = mantissa / Math.Pow(10, digits);
            values.Add(value);
            values.Add(Math.BitIncrement(value));
            values.Add(Math.BitDecrement(value));
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64()));
        }

        for (var e = -12; e <= 52; e++)
        {
            var power = Math.ScaleB(1, e);
            values.AddRange([power, Math.BitIncrement(power), Math.BitDecrement(power), -power]);
        }

        foreach (var value in values.Where(double.IsFinite))
        {
            var point = new LinePoint("m", TagSet.Empty, new Field("v", FieldValue.Float(value)), null);
            Assert.Equal("m v=" + value.ToString("R", CultureInfo.InvariantCulture), LineProtocolEncoder.ToLine(point));
        }
    }
}
