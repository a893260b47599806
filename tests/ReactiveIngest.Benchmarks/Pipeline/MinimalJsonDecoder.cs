using System.Text.Json;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Benchmarks.Pipeline;

/// <summary>
/// Benchmark-only stand-in for the production JSON codec (on another branch): reads
/// <c>{"deviceId":"…","ts":&lt;epoch ms&gt;,"&lt;metric&gt;":&lt;number&gt;,…}</c> with <see cref="Utf8JsonReader"/>, one reading
/// per numeric property. Metric names are cached; device ids are allocated per message.
/// </summary>
public sealed class MinimalJsonDecoder : IReadingDecoder
{
    private readonly Dictionary<int, string> _names = [];

    /// <inheritdoc />
    public DecodeError? Decode(ReadOnlySpan<byte> payload, in MessageContext context, List<Reading> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var reader = new Utf8JsonReader(payload);
        string? device = null;
        var ts = context.ReceivedAtNs;
        var start = output.Count;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new DecodeError(RejectReason.MalformedPayload, "expected an object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("deviceId"u8))
                {
                    reader.Read();
                    device = reader.GetString();
                }
                else if (reader.ValueTextEquals("ts"u8))
                {
                    reader.Read();
                    ts = reader.GetInt64() * UnixTime.NanosPerMillisecond;
                }
                else
                {
                    var name = NameOf(ref reader);
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        output.RemoveRange(start, output.Count - start);
                        return new DecodeError(RejectReason.WrongType, $"'{name}' is not a number");
                    }

                    output.Add(new Reading(string.Empty, name, 0, reader.GetDouble()));
                }
            }
        }
        catch (JsonException ex)
        {
            output.RemoveRange(start, output.Count - start);
            return new DecodeError(RejectReason.MalformedPayload, ex.Message);
        }

        if (device is null)
        {
            output.RemoveRange(start, output.Count - start);
            return new DecodeError(RejectReason.MissingDeviceId, "no deviceId");
        }

        for (var i = start; i < output.Count; i++)
        {
            output[i] = output[i] with { DeviceId = device, TimestampNs = ts };
        }

        return null;
    }

    private string NameOf(ref Utf8JsonReader reader)
    {
        var span = reader.ValueSpan;
        var hash = 17;
        foreach (var b in span)
        {
            hash = (hash * 31) + b;
        }

        lock (_names)
        {
            if (_names.TryGetValue(hash, out var cached) && reader.ValueTextEquals(cached))
            {
                return cached;
            }

            var name = reader.GetString()!;
            _names[hash] = name;
            return name;
        }
    }
}
