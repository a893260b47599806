namespace ReactiveIngest.Simulator.Reports;

/// <summary>
/// An InfluxDB outage under load (<c>--influx-outage SEC</c>): influxd stopped, then started again on the same data
/// directory and port, with the service's resident memory (<c>VmRSS</c>) sampled every 0.5 s throughout.
/// </summary>
/// <param name="Seconds">How long influxd was down.</param>
/// <param name="StartedAtSec">Seconds after sending started at which influxd was stopped.</param>
/// <param name="RssBeforeMb">Highest service RSS sampled before the outage.</param>
/// <param name="RssDuringMb">Highest service RSS sampled while influxd was down.</param>
/// <param name="RssPeakAfterMb">Highest service RSS sampled after influxd was back (the catch-up), until the drain ended.</param>
/// <param name="RssAfterMb">Service RSS when the drain ended.</param>
/// <param name="RssRatio"><see cref="RssDuringMb"/> / <see cref="RssBeforeMb"/>: how much the service buffered while its store was away.</param>
public sealed record OutageReport(double Seconds, double StartedAtSec, double? RssBeforeMb, double? RssDuringMb, double? RssPeakAfterMb, double? RssAfterMb, double? RssRatio);
