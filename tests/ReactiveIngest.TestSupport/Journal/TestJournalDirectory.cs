namespace ReactiveIngest.TestSupport.Journal;

/// <summary>
/// A fresh directory for the service's journal (<c>ReactiveIngest:Journal:Directory</c>) under the temp folder, so that
/// services hosted side by side in one test process never share (and lock) one journal.
/// </summary>
public static class TestJournalDirectory
{
    /// <summary>The configuration key to set.</summary>
    public const string Key = "ReactiveIngest:Journal:Directory";

    /// <summary>A new, unique directory path (created by the service on start).</summary>
    public static string New() => Path.Combine(Path.GetTempPath(), "reactiveingest-test-journals", Guid.NewGuid().ToString("N"));
}
