namespace ReactiveIngest.Service.Live;

/// <summary>History when no InfluxDB is configured (demo mode): the live view is all there is.</summary>
public sealed class NoWindowHistory : IWindowHistory
{
    /// <inheritdoc />
    public Task<IReadOnlyList<WindowResultView>> QueryAsync(string deviceId, string metric, string window, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WindowResultView>>([]);
}
