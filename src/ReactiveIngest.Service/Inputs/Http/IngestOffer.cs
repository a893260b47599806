namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>The outcome of <see cref="HttpIngestInlet.OfferAsync"/>.</summary>
public enum IngestOffer
{
    /// <summary>Taken: committed to the journal, or queued when the journal is off.</summary>
    Accepted,

    /// <summary>The in-memory queue is full (journal off): 429.</summary>
    QueueFull,

    /// <summary>The journal holds its disk budget: 503.</summary>
    JournalFull,

    /// <summary>The service is stopping: 503.</summary>
    Closed,

    /// <summary>
    /// The client went away while its request was being committed (the request was aborted). The inlet does not answer
    /// this; the endpoints do, after reporting the aborted request.
    /// </summary>
    ClientGone,
}
