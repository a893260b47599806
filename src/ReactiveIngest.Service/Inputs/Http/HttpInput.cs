using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Stages;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>
/// One of HTTP ingestion's two inputs (<see cref="HttpCodecs.JsonSource"/>, <see cref="HttpCodecs.LineProtocolSource"/>):
/// the endpoints enforce <c>MaxMessageBytes</c> and journal each request at the edge, and the graph reads the journal
/// (or, with the journal off, the inlet's bounded queue).
/// </summary>
/// <remarks>
/// The inlet and the journals are resolved when the graph opens the input, not when the input is built: the journal's
/// own start-up check (<see cref="JournalPageCheck"/>) enumerates the inputs, and the inlet depends on the journals.
/// </remarks>
public sealed class HttpInput(string name, IReadingDecoder decoder, IServiceProvider services) : IInput
{
    /// <inheritdoc />
    public string Name => name;

    /// <inheritdoc />
    public string? Key => HttpIngestOptions.SectionName;

    /// <inheritdoc />
    public IReadingDecoder Decoder => decoder;

    /// <inheritdoc />
    public int? MaxMessageBytes => null;

    /// <inheritdoc />
    public InputJournaling Journaling => InputJournaling.AtEdge;

    /// <inheritdoc />
    public bool PartitionsPerTopic => false;

    /// <inheritdoc />
    public Source<Envelope<RawMessage>, IInputControl> Open()
    {
        var inlet = services.GetRequiredService<HttpIngestInlet>();
        var journals = services.GetRequiredService<SourceJournals>();
        var queue = name == HttpCodecs.JsonSource ? inlet.JsonReader : inlet.LineProtocolReader;
        return (journals.Enabled ? Journaled.Source(journals.For(name)) : ChannelSource.FromReader(queue))
            .MapMaterializedValue(_ => (IInputControl)new HttpInputControl(inlet));
    }
}
