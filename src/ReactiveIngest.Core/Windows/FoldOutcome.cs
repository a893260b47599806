namespace ReactiveIngest.Core.Windows;

/// <summary>What <see cref="WindowEngine.Fold"/> did with a reading.</summary>
public enum FoldOutcome
{
    /// <summary>Folded into at least one window.</summary>
    Accepted = 1,

    /// <summary>Every window of the reading is past its allowed lateness (or evicted): the caller sends it to the late output.</summary>
    Late = 2,

    /// <summary>
    /// Every window of the reading that still accepts readings is final by the persisted progress of its partition
    /// (<see cref="WindowEngine.SetFinalWatermark"/>): the stored result already holds it, so it is not folded again.
    /// </summary>
    ReplayedFinal = 3,
}
