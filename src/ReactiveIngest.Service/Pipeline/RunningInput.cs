using ReactiveIngest.Service.Inputs;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>A running input: its name and the control materialized with its source.</summary>
public sealed record RunningInput(string Name, IInputControl Control);
