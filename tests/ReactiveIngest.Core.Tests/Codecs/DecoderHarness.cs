using System.Text;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using Xunit;

namespace ReactiveIngest.Core.Tests.Codecs;

internal static class DecoderHarness
{
    public const long ReceivedAt = 1_700_000_000_123_000_000L;

    public static MessageContext Context(string topic = "t") => new(topic, ReceivedAt);

    public static List<Reading> DecodeOk(IReadingDecoder decoder, string payload, string topic = "t")
    {
        var output = new List<Reading>();
        var error = decoder.Decode(Encoding.UTF8.GetBytes(payload), Context(topic), output);
        Assert.True(error is null, $"unexpected error {error}");
        return output;
    }

    /// <summary>Decodes into a list that already holds one reading and checks it is left exactly as it was.</summary>
    public static DecodeError DecodeFails(IReadingDecoder decoder, string payload, RejectReason expected, string topic = "t")
    {
        var sentinel = new Reading("keep", "me", 1, 2);
        var output = new List<Reading> { sentinel };
        var error = decoder.Decode(Encoding.UTF8.GetBytes(payload), Context(topic), output);
        Assert.NotNull(error);
        Assert.Equal(expected, error.Value.Reason);
        Assert.False(string.IsNullOrWhiteSpace(error.Value.Detail));
        Assert.Equal([sentinel], output);
        return error.Value;
    }
}
