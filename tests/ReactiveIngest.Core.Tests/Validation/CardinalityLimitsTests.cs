using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using Xunit;

namespace ReactiveIngest.Core.Tests.Validation;

public sealed class CardinalityLimitsTests
{
    [Fact]
    public void Known_names_should_be_admitted_after_the_limit_is_reached()
    {
        var limits = new CardinalityLimits(maxDevices: 2, maxMetricNames: 10);
        Assert.Null(limits.Admit("d1", "t"));
        Assert.Null(limits.Admit("d2", "t"));
        Assert.NotNull(limits.Admit("d3", "t"));
        Assert.Null(limits.Admit("d1", "t"));
        Assert.Null(limits.Admit("d2", "t"));
        Assert.Equal(2, limits.Devices);
        Assert.Equal(1, limits.Rejected);
        Assert.True(limits.Overflowed);
    }

    [Fact]
    public void A_new_metric_name_beyond_the_limit_should_be_refused_naming_the_setting()
    {
        var limits = new CardinalityLimits(maxDevices: 10, maxMetricNames: 3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Null(limits.Admit("d", $"m{i}"));
        }

        var refused = limits.Admit("d", "m3");
        Assert.Contains("MaxMetricNames", refused, StringComparison.Ordinal);
        Assert.Equal(3, limits.MetricNames);
    }

    [Fact]
    public void A_refused_metric_should_not_add_its_new_device()
    {
        var limits = new CardinalityLimits(maxDevices: 10, maxMetricNames: 1);
        Assert.Null(limits.Admit("d1", "m1"));
        Assert.NotNull(limits.Admit("d2", "m2"));
        Assert.Equal(1, limits.Devices);
    }

    [Fact]
    public void Concurrent_admissions_should_never_exceed_the_limit()
    {
        var limits = new CardinalityLimits(maxDevices: 500, maxMetricNames: 1);
        Parallel.For(0, 5_000, i => limits.Admit($"d{i}", "m"));
        Assert.Equal(500, limits.Devices);
        Assert.Equal(4_500, limits.Rejected);
    }

    [Fact]
    public void The_validator_should_reject_a_reading_beyond_the_device_limit_as_CardinalityLimit()
    {
        var now = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var validator = new ReadingValidator(new ValidationOptions { MaxDevices = 1 }, new FixedTimeProvider(now));
        var ts = UnixTime.FromDateTimeOffset(now);
        Assert.True(validator.Validate(new Reading("d1", "t", ts, 1, TagSet.Empty)).IsValid);
        var second = validator.Validate(new Reading("d2", "t", ts, 1, TagSet.Empty));
        Assert.Equal(RejectReason.CardinalityLimit, second.Reason);
        Assert.Contains("MaxDevices", second.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_reading_should_not_take_a_place_in_the_limits()
    {
        var now = new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var validator = new ReadingValidator(new ValidationOptions { MaxDevices = 1 }, new FixedTimeProvider(now));
        var ts = UnixTime.FromDateTimeOffset(now);
        Assert.False(validator.Validate(new Reading("bad", "t", ts, double.NaN, TagSet.Empty)).IsValid);
        Assert.True(validator.Validate(new Reading("good", "t", ts, 1, TagSet.Empty)).IsValid);
    }
}
