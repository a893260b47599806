namespace ReactiveIngest.Service.Inputs;

/// <summary>How an input's messages reach the source journal (when <c>ReactiveIngest:Journal:Enabled</c>).</summary>
public enum InputJournaling
{
    /// <summary>The pipeline appends each message to the input's journal right after its size limit; the input acknowledges its broker once the entry is committed.</summary>
    ByPipeline,

    /// <summary>The input appends to its journal itself at the edge (HTTP answers 202 after the commit) and reads the journal as its source.</summary>
    AtEdge,

    /// <summary>Not journaled: the broker keeps the log (Kafka offsets are committed only for released records).</summary>
    None,
}
