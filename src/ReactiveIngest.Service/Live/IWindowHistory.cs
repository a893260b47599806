namespace ReactiveIngest.Service.Live;

/// <summary>Window results older than the live view holds, from long-term storage (InfluxDB).</summary>
public interface IWindowHistory
{
    /// <summary>Results for one series with window start in [from, to), oldest first.</summary>
    Task<IReadOnlyList<WindowResultView>> QueryAsync(string deviceId, string metric, string window, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
