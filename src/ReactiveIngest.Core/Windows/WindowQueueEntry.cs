namespace ReactiveIngest.Core.Windows;

/// <summary>A <see cref="WindowEngine"/> queue entry: the window and the generation or stamp it was valid for.</summary>
internal readonly record struct WindowQueueEntry(WindowState Window, int Token);
