using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Ingest;

/// <summary>
/// The bounded hand-over from HTTP requests to the stream graph: requests write, the graph reads
/// (<c>ChannelSource.FromReader</c>), one queue per codec. A full queue refuses instead of growing.
/// </summary>
public sealed class HttpIngestInlet
{
    private readonly Channel<Envelope<RawMessage>> _json;
    private readonly Channel<Envelope<RawMessage>> _lineProtocol;
    private readonly int _capacity;
    private readonly Lock _writeGate = new();
    private long _refused;

    /// <summary>Creates the inlet with the configured capacity (shared by both queues).</summary>
    public HttpIngestInlet(IOptions<HttpIngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var capacity = options.Value.QueueCapacity;
        _capacity = capacity;
        _json = Channel.CreateBounded<Envelope<RawMessage>>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        _lineProtocol = Channel.CreateBounded<Envelope<RawMessage>>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    }

    /// <summary>The graph's end of the JSON queue.</summary>
    public ChannelReader<Envelope<RawMessage>> JsonReader => _json.Reader;

    /// <summary>The graph's end of the line-protocol queue.</summary>
    public ChannelReader<Envelope<RawMessage>> LineProtocolReader => _lineProtocol.Reader;

    /// <summary>Messages waiting for the graph.</summary>
    public int Queued => _json.Reader.Count + _lineProtocol.Reader.Count;

    /// <summary>Requests refused because the queue was full.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Hands a message to the graph without waiting; false when the queue is full or closed.</summary>
    public bool TryOffer(RawMessage message, AckHandle ack)
    {
        ArgumentNullException.ThrowIfNull(message);
        var channel = message.Source == HttpCodecs.LineProtocolSource ? _lineProtocol : _json;
        lock (_writeGate)
        {
            if (channel.Writer.TryWrite(new Envelope<RawMessage>(message, ack)))
            {
                return true;
            }
        }

        Interlocked.Increment(ref _refused);
        return false;
    }

    /// <summary>
    /// Hands several line-protocol messages of one request to the graph, all or none: false (and nothing queued)
    /// when the queue has no room for all of them or is closed. Used by the InfluxDB write endpoints, whose accepted
    /// lines and rejected lines (bound for the dead-letter output) must not be split by a full queue.
    /// </summary>
    public bool TryOfferAll(IReadOnlyList<RawMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_writeGate)
        {
            // Every writer takes this lock and the graph only takes, so the room seen here can only grow until the writes;
            // a write fails only when the queue was closed (shutdown) meanwhile.
            if (_capacity - _lineProtocol.Reader.Count >= messages.Count)
            {
                var all = true;
                foreach (var message in messages)
                {
                    all &= _lineProtocol.Writer.TryWrite(new Envelope<RawMessage>(message, AckHandle.None));
                }

                if (all)
                {
                    return true;
                }
            }
        }

        Interlocked.Increment(ref _refused);
        return false;
    }

    /// <summary>Stops taking requests; the graph drains what is queued and completes.</summary>
    public void Complete()
    {
        _json.Writer.TryComplete();
        _lineProtocol.Writer.TryComplete();
    }
}
