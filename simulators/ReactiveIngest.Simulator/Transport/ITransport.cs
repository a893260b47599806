namespace ReactiveIngest.Simulator.Transport;

/// <summary>Opens connections for simulated devices (one per device, or K shared ones).</summary>
public interface ITransport
{
    /// <summary>A short name for logs and reports (<c>mqtt</c>).</summary>
    string Name { get; }

    /// <summary>Opens a new connection with <paramref name="clientId"/>; throws when the server refuses or cannot be reached.</summary>
    Task<ITransportConnection> ConnectAsync(string clientId, CancellationToken cancellationToken = default);
}
