namespace ReactiveIngest.Journal.Log;

/// <summary>
/// The exclusive hold on one journal directory: its file <c>journal.lock</c>, kept open without sharing while the
/// journal is open, so that no second instance, in this process or another, opens the same journal.
/// </summary>
/// <remarks>
/// Owns one file handle and nothing else; the file stays in the directory (empty) and is reused by the next holder.
/// <see cref="Take"/> does not wait: when another holder has the file it throws <see cref="IOException"/> naming it.
/// The hold ends with <see cref="Dispose"/> or with the process. Repairs leave the file in place
/// (<see cref="FileName"/>). Thread-safe.
/// </remarks>
internal sealed class JournalLock : IDisposable
{
    /// <summary>The lock file's name inside the journal directory.</summary>
    internal const string FileName = "journal.lock";

    private readonly FileStream _file;

    private JournalLock(FileStream file) => _file = file;

    /// <summary>The lock file's full path.</summary>
    public string Path => _file.Name;

    /// <summary>Takes the lock of <paramref name="directory"/>, which must exist.</summary>
    /// <exception cref="IOException">Another instance holds it (the message names the lock file), or it cannot be created.</exception>
    public static JournalLock Take(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        try
        {
            return new JournalLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException e)
        {
            throw new IOException($"The journal in {directory} is in use by another process or instance ({path} is locked): {e.Message}", e);
        }
    }

    /// <summary>Releases the lock; the file stays.</summary>
    public void Dispose() => _file.Dispose();
}
