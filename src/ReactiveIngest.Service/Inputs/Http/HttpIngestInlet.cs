using System.Threading.Channels;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>
/// The hand-over from HTTP requests to the stream graph, one per codec. With the journal on
/// (<see cref="JournalOptions.Enabled"/>), a request is appended to its source's journal and answered once the append
/// is committed; the graph reads the journal. Without it, requests go to a bounded in-memory queue that the graph
/// reads (<c>ChannelSource.FromReader</c>). A full journal or queue refuses instead of growing.
/// </summary>
public sealed class HttpIngestInlet
{
    private readonly Channel<Envelope<RawMessage>> _json;
    private readonly Channel<Envelope<RawMessage>> _lineProtocol;
    private readonly int _capacity;
    private readonly Lock _writeGate = new();
    private readonly SourceJournals? _journals;
    private long _refused;

    /// <summary>Creates the inlet with the configured capacity (shared by both queues) and, when enabled, the journals.</summary>
    public HttpIngestInlet(IOptions<HttpIngestOptions> options, SourceJournals? journals = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _journals = journals is { Enabled: true } ? journals : null;
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

    /// <summary>True when requests go through the journal.</summary>
    public bool Journaled => _journals is not null;

    /// <summary>
    /// Hands a message to the graph: with the journal, completes once it is committed to disk
    /// (<see cref="IngestOffer.JournalFull"/> at the disk budget); without, at once (<see cref="IngestOffer.QueueFull"/>
    /// when the queue is full).
    /// </summary>
    public async Task<IngestOffer> OfferAsync(RawMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_journals is null)
        {
            return TryOffer(message, AckHandle.None) ? IngestOffer.Accepted : IngestOffer.QueueFull;
        }

        try
        {
            await _journals.For(message.Source).AppendAsync(message, acknowledged: true, cancellationToken);
            return IngestOffer.Accepted;
        }
        catch (JournalFullException)
        {
            Interlocked.Increment(ref _refused);
            return IngestOffer.JournalFull;
        }
        catch (ObjectDisposedException)
        {
            return IngestOffer.Closed;
        }
    }

    /// <summary>Hands a message to the in-memory queue without waiting; false when the queue is full or closed.</summary>
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

    /// <summary>
    /// Hands several line-protocol messages of one request to the graph (a line-protocol body cut into messages of at
    /// most <see cref="HttpIngestOptions.MaxMessageBytes"/>; for the InfluxDB write endpoints also the rejected lines bound
    /// for the dead-letter output). Without the journal, all or none
    /// (<see cref="TryOfferAll"/>). With it, every message is appended and the call completes when all are committed; at
    /// the disk budget it answers <see cref="IngestOffer.JournalFull"/> before appending anything, unless the budget is
    /// reached between two appends of the request, when the messages appended so far are kept (a retried request then
    /// rewrites the same points, which is idempotent, and the de-duplication stage keeps them out of the windows twice).
    /// </summary>
    public async Task<IngestOffer> OfferAllAsync(IReadOnlyList<RawMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_journals is null)
        {
            return TryOfferAll(messages) ? IngestOffer.Accepted : IngestOffer.QueueFull;
        }

        var journal = _journals.For(HttpCodecs.LineProtocolSource);
        if (journal.IsFull)
        {
            Interlocked.Increment(ref _refused);
            return IngestOffer.JournalFull;
        }

        try
        {
            // Appended one after another without waiting, so that one group commit covers the whole request.
            var commits = new Task[messages.Count];
            for (var i = 0; i < messages.Count; i++)
            {
                commits[i] = journal.AppendAsync(messages[i], acknowledged: true, cancellationToken);
            }

            await Task.WhenAll(commits).ConfigureAwait(false);
            return IngestOffer.Accepted;
        }
        catch (JournalFullException)
        {
            Interlocked.Increment(ref _refused);
            return IngestOffer.JournalFull;
        }
        catch (ObjectDisposedException)
        {
            return IngestOffer.Closed;
        }
    }

    /// <summary>Stops taking requests; the graph drains what is queued and completes.</summary>
    public void Complete()
    {
        _json.Writer.TryComplete();
        _lineProtocol.Writer.TryComplete();
        if (_journals is not null)
        {
            _journals.For(HttpCodecs.JsonSource).CompleteWriting();
            _journals.For(HttpCodecs.LineProtocolSource).CompleteWriting();
        }
    }
}
