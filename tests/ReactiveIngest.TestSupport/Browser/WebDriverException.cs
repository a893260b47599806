namespace ReactiveIngest.TestSupport.Browser;

/// <summary>A WebDriver command failed: carries the W3C error code and chromedriver's message.</summary>
public sealed class WebDriverException : Exception
{
    /// <summary>Creates the exception for a failed command.</summary>
    public WebDriverException(string command, string error, string message)
        : base($"WebDriver command '{command}' failed: {error}: {message}")
    {
        Error = error;
    }

    /// <summary>Creates an exception with a plain message.</summary>
    public WebDriverException(string message)
        : base(message)
    {
        Error = string.Empty;
    }

    /// <summary>Creates an exception with a plain message and cause.</summary>
    public WebDriverException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = string.Empty;
    }

    /// <summary>Creates an empty exception.</summary>
    public WebDriverException()
    {
        Error = string.Empty;
    }

    /// <summary>The W3C error code (for example <c>no such element</c>), empty when not from a command.</summary>
    public string Error { get; }
}
