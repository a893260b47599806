namespace ReactiveIngest.Service.Inputs;

/// <summary>One bound entry of a connector's list: its key, the connector's settings, its codec and its edge limits.</summary>
/// <param name="Key">The configuration path, e.g. <c>ReactiveIngest:Sources:Mqtt:0</c>.</param>
/// <param name="Settings">The connector's own settings.</param>
/// <param name="Codec">How payloads are decoded.</param>
/// <param name="Limits">Limits enforced at the edge.</param>
public sealed record InputEntry<TSettings>(string Key, TSettings Settings, CodecDefinition Codec, InputLimits Limits);
