namespace ReactiveIngest.Service.Configuration;

/// <summary>The configuration has keys no option binds or values that do not convert; <see cref="Problems"/> has one line per key.</summary>
public sealed class InvalidConfigurationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public InvalidConfigurationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems ?? throw new ArgumentNullException(nameof(problems))))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception with one problem.</summary>
    public InvalidConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one problem and its cause.</summary>
    public InvalidConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates an exception without problems (for serializers and analyzers that expect the constructor).</summary>
    public InvalidConfigurationException()
        : this([])
    {
    }

    /// <summary>One line per key: <c>ReactiveIngest:Pipeline:Windows:0:Size: '1x' is not a duration (…)</c>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
