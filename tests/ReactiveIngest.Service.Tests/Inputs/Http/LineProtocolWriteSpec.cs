using System.Text;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Inputs.Http;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

public sealed class LineProtocolWriteSpec
{
    private static readonly MessageContext Context = new(string.Empty, 1_700_000_000_000_000_000);

    [Fact]
    public void Split_should_convert_timestamps_to_nanoseconds_and_list_rejected_lines_with_their_numbers_and_bytes()
    {
        Assert.True(WritePrecision.TryParse("h", v1: true, out var hours));
        var body = Encoding.UTF8.GetBytes("# comment\n\nm,deviceId=a v=1 472222\r\nm,deviceId=b v=2\nm,deviceId=c v=3 9223372036854775\n  m,deviceId=d v=\n");

        var write = LineProtocolWrite.Split(body, hours, new LineProtocolDecoder(), Context);

        Assert.Equal("m,deviceId=a v=1 1699999200000000000\nm,deviceId=b v=2\n", Encoding.UTF8.GetString(write.Accepted.Span));
        Assert.Equal((2, 2), (write.AcceptedLines, write.Readings));
        Assert.Equal(
            [(5, "m,deviceId=c v=3 9223372036854775", RejectReason.InvalidTimestamp), (6, "m,deviceId=d v=", RejectReason.MalformedPayload)],
            write.Rejected.Select(r => (r.Number, Encoding.UTF8.GetString(r.Bytes.Span), r.Error.Reason)));
        Assert.Contains("precision h", write.Rejected[0].Error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("line 1", write.Rejected[1].Error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Split_in_nanoseconds_without_rejections_should_keep_the_request_bytes_as_they_came()
    {
        var body = Encoding.UTF8.GetBytes("m,deviceId=a v=1 5\n# note\nm,deviceId=a w=2i 6");
        var write = LineProtocolWrite.Split(body, WritePrecision.Nanoseconds, new LineProtocolDecoder(), Context);
        Assert.Equal(body, write.Accepted.ToArray());
        Assert.Equal((2, 2), (write.AcceptedLines, write.Readings));
    }
}
