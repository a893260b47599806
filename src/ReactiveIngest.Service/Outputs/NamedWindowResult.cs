using ReactiveIngest.Core.Windows;

namespace ReactiveIngest.Service.Outputs;

/// <summary>A window result together with the name of the window definition that produced it.</summary>
public sealed record NamedWindowResult(string Window, WindowResult Result);
