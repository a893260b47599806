using ReactiveIngest.Core.Codecs;
using Xunit;

namespace ReactiveIngest.Core.Tests.Codecs;

public sealed class EpochTimestampTests
{
    [Theory]
    [InlineData(99_999_999_999d, TimestampUnit.Seconds)]
    [InlineData(100_000_000_000d, TimestampUnit.Milliseconds)]
    [InlineData(99_999_999_999_999d, TimestampUnit.Milliseconds)]
    [InlineData(100_000_000_000_000d, TimestampUnit.Microseconds)]
    [InlineData(100_000_000_000_000_000d, TimestampUnit.Nanoseconds)]
    [InlineData(-1_700_000_000d, TimestampUnit.Seconds)]
    public void Auto_should_pick_the_unit_by_the_documented_magnitude_bounds(double value, TimestampUnit expected) =>
        Assert.Equal(expected, EpochTimestamp.InferUnit(value));

    [Fact]
    public void Conversions_that_overflow_should_fail()
    {
        Assert.False(EpochTimestamp.TryToNanos(10_000_000_000L, TimestampUnit.Seconds, out _));
        Assert.False(EpochTimestamp.TryToNanos(-10_000_000_000L, TimestampUnit.Seconds, out _));
        Assert.False(EpochTimestamp.TryToNanos(1e30, TimestampUnit.Auto, out _));
        Assert.False(EpochTimestamp.TryToNanos(double.NaN, TimestampUnit.Seconds, out _));
        Assert.True(EpochTimestamp.TryToNanos(9_000_000_000L, TimestampUnit.Seconds, out var nanos));
        Assert.Equal(9_000_000_000_000_000_000L, nanos);
    }

    [Fact]
    public void Fractional_seconds_should_keep_sub_second_precision()
    {
        Assert.True(EpochTimestamp.TryToNanos(1.25, TimestampUnit.Seconds, out var nanos));
        Assert.Equal(1_250_000_000L, nanos);
    }
}
