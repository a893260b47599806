using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Ingest;

/// <summary>
/// The bounded hand-over from HTTP requests to the stream graph: requests write, the graph reads
/// (<c>ChannelSource.FromReader</c>). A full queue refuses instead of growing.
/// </summary>
public sealed class HttpIngestInlet
{
    private readonly Channel<Envelope<RawMessage>> _channel;
    private long _refused;

    /// <summary>Creates the inlet with the configured capacity.</summary>
    public HttpIngestInlet(IOptions<HttpIngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _channel = Channel.CreateBounded<Envelope<RawMessage>>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
    }

    /// <summary>The graph's end of the queue.</summary>
    public ChannelReader<Envelope<RawMessage>> Reader => _channel.Reader;

    /// <summary>Messages waiting for the graph.</summary>
    public int Queued => _channel.Reader.Count;

    /// <summary>Requests refused because the queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Hands a message to the graph without waiting; false when the queue is full or closed.</summary>
    public bool TryOffer(RawMessage message, AckHandle ack)
    {
        if (_channel.Writer.TryWrite(new Envelope<RawMessage>(message, ack)))
        {
            return true;
        }

        Interlocked.Increment(ref _refused);
        return false;
    }

    /// <summary>Stops taking requests; the graph drains what is queued and completes.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
