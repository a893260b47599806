using ReactiveIngest.Core.Configuration;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using Xunit;

namespace ReactiveIngest.Core.Tests.Validation;

public sealed class ReadingValidatorTests
{
    private static readonly DateTimeOffset Now = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly long NowNs = UnixTime.FromDateTimeOffset(Now);

    private static ReadingValidator Validator(ValidationOptions? options = null) =>
        new(options ?? new ValidationOptions
        {
            MaxFutureSkew = TimeSpan.FromMinutes(5),
            MaxAge = TimeSpan.FromDays(1),
            MaxIdentifierLength = 16,
            MaxTags = 2,
            MaxPayloadBytes = 100,
        }, new FixedTimeProvider(Now));

    private static Reading Good => new("d1", "temperature", NowNs, 21.5, TagSet.Create(("site", "berlin")));

    [Fact]
    public void A_good_reading_should_be_valid() =>
        Assert.True(Validator().Validate(Good).IsValid);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void A_non_finite_value_should_be_rejected(double value) =>
        AssertRejected(Good with { Value = value }, RejectReason.NotFinite);

    [Fact]
    public void A_timestamp_beyond_the_future_skew_should_be_rejected()
    {
        var limit = UnixTime.ToNanos(TimeSpan.FromMinutes(5));
        Assert.True(Validator().Validate(Good with { TimestampNs = NowNs + limit }).IsValid);
        AssertRejected(Good with { TimestampNs = NowNs + limit + 1 }, RejectReason.TimestampTooFarInFuture);
        AssertRejected(Good with { TimestampNs = long.MaxValue }, RejectReason.TimestampTooFarInFuture);
    }

    [Fact]
    public void A_timestamp_older_than_the_maximum_age_should_be_rejected()
    {
        var limit = UnixTime.ToNanos(TimeSpan.FromDays(1));
        Assert.True(Validator().Validate(Good with { TimestampNs = NowNs - limit }).IsValid);
        AssertRejected(Good with { TimestampNs = NowNs - limit - 1 }, RejectReason.TimestampTooFarInPast);
        AssertRejected(Good with { TimestampNs = long.MinValue }, RejectReason.TimestampTooFarInPast);
    }

    [Fact]
    public void The_bounds_should_follow_the_time_provider()
    {
        var clock = new FixedTimeProvider(Now);
        var validator = new ReadingValidator(new ValidationOptions { MaxFutureSkew = TimeSpan.FromMinutes(1) }, clock);
        var reading = Good with { TimestampNs = NowNs + UnixTime.ToNanos(TimeSpan.FromMinutes(2)) };
        Assert.Equal(RejectReason.TimestampTooFarInFuture, validator.Validate(reading).Reason);

        clock.Now = Now.AddMinutes(1.5);

        Assert.True(validator.Validate(reading).IsValid);
    }

    [Theory]
    [InlineData("", "m")]
    [InlineData("d", "")]
    public void An_empty_device_id_or_metric_should_be_rejected(string deviceId, string metric) =>
        AssertRejected(Good with { DeviceId = deviceId, Metric = metric }, RejectReason.EmptyIdentifier);

    [Fact]
    public void An_empty_tag_value_should_be_rejected() =>
        AssertRejected(Good with { Tags = TagSet.Create(("site", "")) }, RejectReason.EmptyIdentifier);

    [Fact]
    public void An_identifier_over_the_limit_should_be_rejected()
    {
        Assert.True(Validator().Validate(Good with { DeviceId = new string('x', 16) }).IsValid);
        AssertRejected(Good with { DeviceId = new string('x', 17) }, RejectReason.IdentifierTooLong);
        AssertRejected(Good with { Tags = TagSet.Create((new string('k', 17), "v")) }, RejectReason.IdentifierTooLong);
    }

    [Fact]
    public void More_tags_than_allowed_should_be_rejected() =>
        AssertRejected(Good with { Tags = TagSet.Create(("a", "1"), ("b", "2"), ("c", "3")) }, RejectReason.TooManyTags);

    [Theory]
    [InlineData("d\n1")]
    [InlineData("d\u00001")]
    [InlineData("d\u007f")]
    [InlineData("\u0085")]
    public void Control_characters_in_identifiers_should_be_rejected(string identifier)
    {
        AssertRejected(Good with { DeviceId = identifier }, RejectReason.InvalidCharacters);
        AssertRejected(Good with { Metric = identifier }, RejectReason.InvalidCharacters);
        AssertRejected(Good with { Tags = TagSet.Create(("k", identifier)) }, RejectReason.InvalidCharacters);
    }

    [Fact]
    public void Hostile_but_printable_identifiers_should_be_valid() =>
        Assert.True(Validator().Validate(Good with { DeviceId = "a b,c=d\"\\é漢" }).IsValid);

    [Fact]
    public void A_payload_over_the_limit_should_be_rejected()
    {
        Assert.True(Validator().ValidatePayload(100).IsValid);
        var result = Validator().ValidatePayload(101);

        Assert.Equal(RejectReason.TooLarge, result.Reason);
        Assert.Contains("100", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_should_report_every_problem_by_setting_name()
    {
        var options = new ValidationOptions { MaxFutureSkew = TimeSpan.FromSeconds(-1), MaxAge = TimeSpan.Zero, MaxIdentifierLength = 0, MaxTags = -1, MaxPayloadBytes = 0 };

        var exception = Assert.Throws<InvalidOptionsException>(() => new ReadingValidator(options));

        Assert.Equal(
            ["MaxFutureSkew", "MaxAge", "MaxIdentifierLength", "MaxTags", "MaxPayloadBytes"],
            exception.Errors.Select(e => e["ValidationOptions.".Length..e.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void Validating_a_good_reading_should_not_allocate()
    {
        var validator = Validator();
        var reading = Good;
        for (var i = 0; i < 100; i++)
        {
            Assert.True(validator.Validate(reading).IsValid);
        }

        var valid = 0;
        var allocated = Allocations.PerRound(() =>
        {
            valid += validator.Validate(reading).IsValid ? 1 : 0;
            valid += validator.ValidatePayload(10).IsValid ? 1 : 0;
        });
        Assert.True(allocated[^1] == 0, $"bytes allocated per round of 1000 validations: {string.Join(", ", allocated)}");
        Assert.Equal(2000 * allocated.Count, valid);
    }

    private static void AssertRejected(Reading reading, RejectReason expected)
    {
        var result = Validator().Validate(reading);

        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Detail));
    }
}
