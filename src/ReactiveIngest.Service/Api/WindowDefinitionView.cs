namespace ReactiveIngest.Service.Api;

/// <summary>A configured window definition as <c>/api/windows</c> lists it (durations in seconds; null where the kind has none).</summary>
public sealed record WindowDefinitionView(string Name, string Kind, double? SizeSeconds, double? SlideSeconds, double? GapSeconds);
