namespace ReactiveIngest.Service.Analytics;

/// <summary>One rule's events in one state.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="State">Raised or cleared.</param>
/// <param name="Produced">Events the rule produced.</param>
/// <param name="Published">Events their target acknowledged.</param>
public sealed record AlertCount(string Rule, AlertState State, long Produced, long Published);
