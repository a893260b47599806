using Xunit;

namespace ReactiveIngest.Simulator.Tests.StackFaults;

/// <summary>The full-stack fault runs share the two cores with the rest of the suite: they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class StackFaultCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "Stack faults";
}
