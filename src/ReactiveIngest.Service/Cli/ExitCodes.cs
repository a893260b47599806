namespace ReactiveIngest.Service.Cli;

/// <summary>The service's exit codes.</summary>
public static class ExitCodes
{
    /// <summary>Done, or stopped on request.</summary>
    public const int Success = 0;

    /// <summary>A failure while running (the service stopped on an error, a file was missing).</summary>
    public const int Failure = 1;

    /// <summary>The command line or the configuration is invalid; nothing was started.</summary>
    public const int InvalidUsage = 2;
}
