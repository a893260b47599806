using System.Collections.Specialized;

namespace ReactiveIngest.Influx.Tests.Support;

/// <summary>A request the scripted listener received, with the body decompressed when it was gzip.</summary>
internal sealed record RecordedRequest(string Method, string RawUrl, NameValueCollection Headers, byte[] RawBody, string Body, long ReceivedAtTicks)
{
    /// <summary>The lines of the (decompressed) body.</summary>
    public string[] Lines => Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
