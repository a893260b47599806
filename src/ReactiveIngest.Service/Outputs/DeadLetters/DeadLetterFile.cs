namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>
/// The file target's store: records appended as JSON lines to the active file and flushed to disk before
/// <see cref="Append"/> returns, rotated by size (<c>name.jsonl</c> → <c>name.1.jsonl</c> → … → <c>name.{MaxFiles-1}.jsonl</c>,
/// the oldest deleted), so at most <see cref="FileDeadLetterOptions.MaxFiles"/> files of about
/// <see cref="FileDeadLetterOptions.MaxFileBytes"/> each exist.
/// <para>Crash safety: a line is complete and on disk before its message is acknowledged. A line torn by a crash or a
/// failed write is cut off when the file is opened again, and the message, not acknowledged, is dead-lettered again after
/// redelivery; a batch that failed half-way is written again whole, so a record can appear twice (at least once).</para>
/// <para>Thread-safe: every writer of the process shares one instance.</para>
/// </summary>
public sealed class DeadLetterFile : IDisposable
{
    private readonly object _gate = new();
    private readonly string _path;
    private readonly long _maxFileBytes;
    private readonly int _maxFiles;
    private FileStream? _stream;
    private bool _disposed;

    /// <summary>Creates the store; the file is opened at the first append.</summary>
    public DeadLetterFile(FileDeadLetterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        _path = Path.GetFullPath(options.Path);
        _maxFileBytes = options.MaxFileBytes;
        _maxFiles = options.MaxFiles;
    }

    /// <summary>The active file.</summary>
    public string ActivePath => _path;

    /// <summary>Every file of this store that exists, newest first (the active one first).</summary>
    public IReadOnlyList<string> Files()
    {
        var files = new List<string>();
        for (var i = 0; i < _maxFiles; i++)
        {
            var path = RotatedPath(i);
            if (File.Exists(path))
            {
                files.Add(path);
            }
        }

        return files;
    }

    /// <summary>
    /// Appends each record as one line and flushes the file to disk. On an I/O error the file is closed (and repaired
    /// when next opened) and the exception propagates; the caller retries the whole batch.
    /// </summary>
    public void Append(IReadOnlyList<byte[]> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                var stream = _stream ??= Open();
                foreach (var record in records)
                {
                    if (stream.Position > 0 && stream.Position + record.Length + 1 > _maxFileBytes)
                    {
                        stream = Rotate(stream);
                    }

                    stream.Write(record);
                    stream.WriteByte((byte)'\n');
                }

                stream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _stream?.Dispose();
                _stream = null;
                throw;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _stream?.Dispose();
            _stream = null;
        }
    }

    private string RotatedPath(int index)
    {
        if (index == 0)
        {
            return _path;
        }

        var directory = Path.GetDirectoryName(_path) ?? ".";
        var name = Path.GetFileNameWithoutExtension(_path);
        var extension = Path.GetExtension(_path);
        return Path.Combine(directory, $"{name}.{index}{extension}");
    }

    private FileStream Rotate(FileStream active)
    {
        active.Flush(flushToDisk: true);
        active.Dispose();
        _stream = null;
        var oldest = RotatedPath(_maxFiles - 1);
        if (File.Exists(oldest))
        {
            File.Delete(oldest);
        }

        for (var i = _maxFiles - 2; i >= 0; i--)
        {
            var from = RotatedPath(i);
            if (File.Exists(from))
            {
                File.Move(from, RotatedPath(i + 1));
            }
        }

        return _stream = Open();
    }

    /// <summary>Opens the active file for appending, cutting off a trailing partial line.</summary>
    private FileStream Open()
    {
        var directory = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
        try
        {
            var end = stream.Length;
            var complete = end;
            var buffer = new byte[4096];
            while (complete > 0)
            {
                var chunk = (int)Math.Min(buffer.Length, complete);
                stream.Position = complete - chunk;
                stream.ReadExactly(buffer, 0, chunk);
                var newline = Array.LastIndexOf(buffer, (byte)'\n', chunk - 1, chunk);
                if (newline >= 0)
                {
                    complete = complete - chunk + newline + 1;
                    break;
                }

                complete -= chunk;
            }

            if (complete != end)
            {
                stream.SetLength(complete);
                stream.Flush(flushToDisk: true);
            }

            stream.Position = complete;
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
