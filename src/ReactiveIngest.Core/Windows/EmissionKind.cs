namespace ReactiveIngest.Core.Windows;

/// <summary>Why a window result was emitted.</summary>
public enum EmissionKind
{
    /// <summary>The watermark passed the window's end (or the input completed).</summary>
    Final = 1,

    /// <summary>A periodic early result of a window that has not closed yet; a later emission supersedes it.</summary>
    Early = 2,

    /// <summary>A late reading within the allowed lateness changed a window that had already fired.</summary>
    LateUpdate = 3,

    /// <summary>The window was closed before the watermark reached its end because the open-window limit was reached.</summary>
    Evicted = 4,
}
