namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>The file target: <c>ReactiveIngest:DeadLetters:File</c>.</summary>
public sealed class FileDeadLetterOptions
{
    /// <summary>The active file, e.g. <c>/var/lib/reactiveingest/deadletters.jsonl</c>; its directory is created when missing.</summary>
    public string? Path { get; set; }

    /// <summary>
    /// Size at which the active file is rotated. A file grows beyond it only when one record alone is larger. Default 64 MiB.
    /// </summary>
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Files kept, the active one included (<c>name.jsonl</c>, <c>name.1.jsonl</c> … <c>name.{MaxFiles-1}.jsonl</c>, newest
    /// first). When a rotation would exceed it the oldest file is deleted, so disk use stays below
    /// <see cref="MaxFiles"/> × <see cref="MaxFileBytes"/>. Default 8.
    /// </summary>
    public int MaxFiles { get; set; } = 8;
}
