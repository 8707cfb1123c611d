namespace StreamForge.Media;

/// <param name="Number">The $Number$ of the segment (startNumber + position).</param>
/// <param name="Start">Presentation start in seconds (t − presentationTimeOffset) / timescale.</param>
/// <param name="Duration">Seconds.</param>
/// <param name="StartTicks">Start in timescale units as written in the timeline.</param>
/// <param name="DurationTicks">Duration in timescale units.</param>
public sealed record DashSegment(int Number, double Start, double Duration, long StartTicks, long DurationTicks);
