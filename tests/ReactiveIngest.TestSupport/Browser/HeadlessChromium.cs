namespace ReactiveIngest.TestSupport.Browser;

/// <summary>
/// A headless Chromium driven through chromedriver: starts the driver, opens a session with a fresh profile
/// directory and the flags a quiet, sandbox-less test browser needs. Dispose ends the session, kills the
/// driver (and the browser with it) and removes the profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly ChromeDriverProcess _driver;
    private readonly string _profileDirectory;

    private HeadlessChromium(ChromeDriverProcess driver, WebDriverSession session, string profileDirectory)
    {
        _driver = driver;
        Session = session;
        _profileDirectory = profileDirectory;
    }

    /// <summary>The WebDriver session.</summary>
    public WebDriverSession Session { get; }

    /// <summary>The driver (for its log).</summary>
    public ChromeDriverProcess Driver => _driver;

    /// <summary>
    /// Starts chromedriver and a headless browser with a <paramref name="width"/>×<paramref name="height"/> window.
    /// Throws <see cref="Simulator.Servers.ServerNotInstalledException"/> naming the apt-get command when either binary is missing.
    /// </summary>
    public static async Task<HeadlessChromium> StartAsync(int width = 1280, int height = 900, CancellationToken cancellationToken = default)
    {
        var driver = await ChromeDriverProcess.StartAsync(cancellationToken);
        var profile = Directory.CreateTempSubdirectory("reactiveingest-chromium-").FullName;
        try
        {
            string[] arguments =
            [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--user-data-dir=" + profile,
                $"--window-size={width},{height}",
            ];
            var session = await WebDriverSession.CreateAsync(driver.Endpoint, driver.ChromiumPath, arguments, cancellationToken);
            return new HeadlessChromium(driver, session, profile);
        }
        catch
        {
            driver.Dispose();
            TryDelete(profile);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        _driver.Dispose();
        TryDelete(_profileDirectory);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A browser process still holding a file; the temp directory is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
