namespace ReactiveIngest.Core.Configuration;

/// <summary>
/// Thrown when an options object is invalid. <see cref="Errors"/> lists every problem found, each naming
/// the setting to fix (e.g. <c>JsonCodecOptions.DeviceIdPath: …</c>), so one run reports them all.
/// </summary>
public sealed class InvalidOptionsException : ArgumentException
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public InvalidOptionsException(string optionsName, IReadOnlyList<string> errors)
        : base($"{optionsName} is invalid: {string.Join("; ", errors ?? [])}")
    {
        OptionsName = optionsName;
        Errors = errors ?? [];
    }

    /// <summary>Creates the exception with a message only.</summary>
    public InvalidOptionsException()
        : this("options", [])
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public InvalidOptionsException(string message)
        : base(message)
    {
        OptionsName = "options";
        Errors = [message];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public InvalidOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        OptionsName = "options";
        Errors = [message];
    }

    /// <summary>The options type that failed validation.</summary>
    public string OptionsName { get; }

    /// <summary>Every problem found, each naming the setting.</summary>
    public IReadOnlyList<string> Errors { get; }
}
