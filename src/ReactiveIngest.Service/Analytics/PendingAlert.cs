namespace ReactiveIngest.Service.Analytics;

/// <summary>An alert event on its way to a target: the event, its serialized form and where it goes.</summary>
/// <param name="Event">The event.</param>
/// <param name="Target">Index of the target in <see cref="AlertCatalog.Targets"/>.</param>
/// <param name="Topic">The topic to publish to.</param>
/// <param name="Payload">The JSON of <paramref name="Event"/>.</param>
public sealed record PendingAlert(AlertEvent Event, int Target, string Topic, byte[] Payload);
