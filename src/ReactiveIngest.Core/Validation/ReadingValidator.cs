using System.Buffers;
using ReactiveIngest.Core.Configuration;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Validation;

/// <summary>
/// Checks decoded readings against <see cref="ValidationOptions"/>. Rules, in the order they are checked
/// (the first failure is reported):
/// <list type="number">
/// <item><see cref="RejectReason.NotFinite"/>: the value is NaN or ±Infinity.</item>
/// <item><see cref="RejectReason.TimestampTooFarInFuture"/> / <see cref="RejectReason.TimestampTooFarInPast"/>:
/// the event time is more than <see cref="ValidationOptions.MaxFutureSkew"/> after, or more than
/// <see cref="ValidationOptions.MaxAge"/> before, now (from the <see cref="TimeProvider"/>).</item>
/// <item><see cref="RejectReason.TooManyTags"/>: more than <see cref="ValidationOptions.MaxTags"/> tags.</item>
/// <item>For the device id, the metric, then each tag key and value:
/// <see cref="RejectReason.EmptyIdentifier"/>, <see cref="RejectReason.IdentifierTooLong"/> (more than
/// <see cref="ValidationOptions.MaxIdentifierLength"/> chars), <see cref="RejectReason.InvalidCharacters"/>
/// (a control character: U+0000–U+001F, U+007F–U+009F, e.g. a newline that would split a line-protocol line).</item>
/// <item><see cref="RejectReason.CardinalityLimit"/>: last, for a reading valid otherwise, a device or metric name
/// beyond <see cref="ValidationOptions.MaxDevices"/> / <see cref="ValidationOptions.MaxMetricNames"/>
/// (<see cref="Cardinality"/>).</item>
/// </list>
/// Message level: <see cref="ValidatePayload(int)"/> gives <see cref="RejectReason.TooLarge"/>.
/// A valid reading allocates nothing. Thread-safe.
/// </summary>
public sealed class ReadingValidator : IReadingValidator
{
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(BuildControlCharacters());

    private readonly TimeProvider _timeProvider;
    private readonly long _maxFutureNs;
    private readonly long _maxAgeNs;
    private readonly int _maxIdentifierLength;
    private readonly int _maxTags;
    private readonly int _maxPayloadBytes;

    /// <summary>Creates a validator; throws <see cref="InvalidOptionsException"/> listing every invalid setting.</summary>
    /// <param name="options">The limits; null for the defaults.</param>
    /// <param name="timeProvider">The clock of the timestamp checks; null for the system clock.</param>
    /// <param name="cardinality">The cardinality limits to share (e.g. one instance for the service's lifetime); null for new ones from <paramref name="options"/>.</param>
    public ReadingValidator(ValidationOptions? options = null, TimeProvider? timeProvider = null, CardinalityLimits? cardinality = null)
    {
        options ??= new ValidationOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOptionsException(nameof(ValidationOptions), errors);
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
        _maxFutureNs = UnixTime.ToNanos(options.MaxFutureSkew);
        _maxAgeNs = UnixTime.ToNanos(options.MaxAge);
        _maxIdentifierLength = options.MaxIdentifierLength;
        _maxTags = options.MaxTags;
        _maxPayloadBytes = options.MaxPayloadBytes;
        Cardinality = cardinality ?? new CardinalityLimits(options.MaxDevices, options.MaxMetricNames);
    }

    /// <summary>The distinct devices and metric names taken in, and their limits.</summary>
    public CardinalityLimits Cardinality { get; }

    /// <summary>The largest payload accepted, in bytes.</summary>
    public int MaxPayloadBytes => _maxPayloadBytes;

    /// <summary>Validates a reading against the current time of the validator's <see cref="TimeProvider"/>.</summary>
    public ValidationResult Validate(in Reading reading) => Validate(reading, UnixTime.Now(_timeProvider));

    /// <inheritdoc />
    RejectReason? IReadingValidator.Validate(in Reading reading, out string? detail)
    {
        var result = Validate(reading);
        detail = result.Detail;
        return result.Reason;
    }

    /// <summary>
    /// Validates a reading against <paramref name="nowNs"/> (epoch ns); lets a caller read the clock once for
    /// a whole message.
    /// </summary>
    public ValidationResult Validate(in Reading reading, long nowNs)
    {
        if (!double.IsFinite(reading.Value))
        {
            return ValidationResult.Reject(RejectReason.NotFinite, $"metric '{reading.Metric}' of device '{reading.DeviceId}' is {reading.Value}");
        }

        // The bounds are computed from now (limits are below 100 years, so they cannot overflow), never
        // the difference to the reading's timestamp, which can be any long.
        if (reading.TimestampNs > nowNs + _maxFutureNs)
        {
            return ValidationResult.Reject(
                RejectReason.TimestampTooFarInFuture,
                $"event time {Describe(reading.TimestampNs)} is {Describe(TimeSpan.FromTicks((reading.TimestampNs - nowNs) / UnixTime.NanosPerTick))} ahead of now; the limit is {Describe(TimeSpan.FromTicks(_maxFutureNs / UnixTime.NanosPerTick))}");
        }

        if (reading.TimestampNs < nowNs - _maxAgeNs)
        {
            return ValidationResult.Reject(
                RejectReason.TimestampTooFarInPast,
                $"event time {Describe(reading.TimestampNs)} is older than the limit of {Describe(TimeSpan.FromTicks(_maxAgeNs / UnixTime.NanosPerTick))}");
        }

        var tags = reading.Tags.AsSpan();
        if (tags.Length > _maxTags)
        {
            return ValidationResult.Reject(RejectReason.TooManyTags, $"device '{reading.DeviceId}' sent {tags.Length} tags; the limit is {_maxTags}");
        }

        var result = CheckIdentifier(reading.DeviceId, "device id");
        if (!result.IsValid)
        {
            return result;
        }

        result = CheckIdentifier(reading.Metric, "metric name");
        if (!result.IsValid)
        {
            return result;
        }

        foreach (var tag in tags)
        {
            result = CheckIdentifier(tag.Key, "tag key");
            if (!result.IsValid)
            {
                return result;
            }

            result = CheckIdentifier(tag.Value, "tag value", tag.Key);
            if (!result.IsValid)
            {
                return result;
            }
        }

        return Cardinality.Admit(reading.DeviceId, reading.Metric) is { } overflow
            ? ValidationResult.Reject(RejectReason.CardinalityLimit, overflow)
            : ValidationResult.Valid;
    }

    /// <summary>Checks the size of a message payload.</summary>
    public ValidationResult ValidatePayload(int payloadBytes) =>
        payloadBytes > _maxPayloadBytes
            ? ValidationResult.Reject(RejectReason.TooLarge, $"the payload has {payloadBytes} bytes; the limit is {_maxPayloadBytes}")
            : ValidationResult.Valid;

    private ValidationResult CheckIdentifier(string? value, string what, string? tagKey = null)
    {
        if (string.IsNullOrEmpty(value))
        {
            return ValidationResult.Reject(RejectReason.EmptyIdentifier, tagKey is null ? $"the {what} is empty" : $"the {what} of tag '{tagKey}' is empty");
        }

        if (value.Length > _maxIdentifierLength)
        {
            return ValidationResult.Reject(
                RejectReason.IdentifierTooLong,
                $"the {what} '{value[..Math.Min(value.Length, 40)]}…' has {value.Length} chars; the limit is {_maxIdentifierLength}");
        }

        var bad = value.AsSpan().IndexOfAny(ControlCharacters);
        if (bad >= 0)
        {
            return ValidationResult.Reject(
                RejectReason.InvalidCharacters,
                $"the {what} contains the control character U+{(int)value[bad]:X4} at position {bad}");
        }

        return ValidationResult.Valid;
    }

    // Every long maps to a valid DateTimeOffset (±292 years around 1970 at 100 ns resolution).
    private static string Describe(long epochNs) =>
        UnixTime.ToDateTimeOffset(epochNs).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(TimeSpan span) => span.ToString("c", System.Globalization.CultureInfo.InvariantCulture);

    private static char[] BuildControlCharacters()
    {
        var list = new List<char>();
        for (var c = '\0'; c <= '\u009f'; c++)
        {
            if (char.IsControl(c))
            {
                list.Add(c);
            }
        }

        return [.. list];
    }
}
